package app_test

import (
	"fmt"
	"net/http"
	"testing"
)

// The editor's live preview has a budget of its own: a cook who previews
// a long ingredient list can still save it, and previews are limited too.
func TestIngredientPreviewLimitedApartFromWrites(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	ana := rlClientFrom("127.0.0.1")
	registerAt(t, ana, ts.URL, "ana")
	parse := func(i int) rlAnswer {
		return rlSend(t, ana, "POST", ts.URL+"/api/v1/ingredients/parse", "application/json", fmt.Sprintf(`{"lines":["%d eggs"]}`, i+1))
	}
	for i := range 120 {
		if a := parse(i); a.status != http.StatusOK {
			t.Fatalf("preview %d: %d %s", i+1, a.status, a.body)
		}
	}
	wantLimited(t, parse(120), 120)
	a := rlSend(t, ana, "PATCH", ts.URL+"/api/v1/me", "application/json", `{"display_name":"Ana"}`)
	if a.status != http.StatusOK || a.header.Get("RateLimit-Limit") != "60" || a.header.Get("RateLimit-Remaining") != "59" {
		t.Errorf("write after 120 previews: %d limit %q remaining %q, want 200 with 60 and 59",
			a.status, a.header.Get("RateLimit-Limit"), a.header.Get("RateLimit-Remaining"))
	}
}
