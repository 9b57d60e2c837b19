package notifications

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/store"
)

// A token opens to what it was made for, under the current key or a
// previous one, and nothing else opens: another key, a changed payload or
// MAC, a kind that does not exist, an overlong token.
func TestUnsubscribeTokens(t *testing.T) {
	oldKey, newKey := []byte("old-secret-key-old-secret-key-0123456789"), []byte("new-secret-key-new-secret-key-0123456789")
	old, cur := newSigner(oldKey), newSigner(newKey, oldKey)
	const id = "0190c1de-0000-7000-8000-000000000001"
	for _, kind := range []store.NotificationKind{store.KindLike, DigestKind} {
		for _, s := range []*signer{old, cur} {
			gotID, gotKind, ok := cur.open(s.token(id, kind))
			if !ok || gotID != id || gotKind != kind {
				t.Fatalf("open(%s): %q %q %v", kind, gotID, gotKind, ok)
			}
		}
	}
	tok := cur.token(id, store.KindLike)
	payload, mac, _ := strings.Cut(tok, ".")
	other := newSigner([]byte("another-key-another-key-another-key-0123"))
	forged := []string{"", tok + "A", "A" + tok, payload, payload + ".", "." + mac,
		b64.EncodeToString([]byte(id+"/comment")) + "." + mac, other.token(id, store.KindLike),
		cur.signFor(id, "poke"), strings.Repeat("A", 250)}
	for _, f := range forged {
		if _, _, ok := cur.open(f); ok {
			t.Errorf("opened %q", f)
		}
	}
	if _, _, ok := old.open(tok); ok {
		t.Error("a key that was never current opened a new token")
	}
}

// signFor signs any kind, even one that does not exist (for the test).
func (s *signer) signFor(userID, kind string) string {
	payload := userID + "/" + kind
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(sum(s.current, payload))
}
