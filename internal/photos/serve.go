package photos

import (
	"errors"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/images"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// ServeMedia answers GET /media/{key...}: a variant of a photo the asker
// may see. The key names its photo, whose row says who that is: a private
// recipe's photos only for its author (marked private, so no shared cache
// keeps them), everything else for anyone. A key that is not a current
// variant — an upload, a replaced variant, a guess — is 404, as is a
// photo the asker may not see, so nobody learns that it exists.
func (s *Service) ServeMedia(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	id := photoIDOf(key)
	if id == "" || media.ValidateKey(key) != nil {
		http.NotFound(w, r)
		return
	}
	acc, err := s.store.PhotoAccessOf(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		s.log.Warn("photo access check failed", "photo", id, "err", err)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	format, ok := acc.Variants[key]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if acc.Private && !s.ownerOrShared(r, acc) {
		http.NotFound(w, r)
		return
	}
	// Opened on its own (a gallery thumbnail's link), a picture is a
	// document the browser draws with its own inline styles, which the
	// site's policy refuses. A picture runs nothing, so its own policy
	// allows those styles and nothing else.
	w.Header().Set("Content-Security-Policy", mediaCSP)
	media.ServeBlob(w, r, s.media, key, media.ServeOptions{
		ContentType: images.Format(format).ContentType(),
		Private:     acc.Private,
		ETag:        etagOf(key),
	})
}

// ShareParam is the query parameter that carries a share link's token on
// the photo URLs of its share page: the link that shows a private recipe
// shows its photos too, for exactly as long as it works.
const ShareParam = "share"

// ownerOrShared says whether the asker may see a private recipe's photo:
// its owner, or whoever holds a live share link of that very recipe
// (ShareParam). The link is looked up on every request, so revoking it or
// its expiry stops the photos at once, as it stops the page.
func (s *Service) ownerOrShared(r *http.Request, acc *store.PhotoAccess) bool {
	if u := auth.UserFrom(r.Context()); u != nil && u.ID == acc.OwnerID {
		return true
	}
	token := r.URL.Query().Get(ShareParam)
	if token == "" || acc.RecipeID == "" || len(token) > 64 {
		return false
	}
	id, err := s.store.SharedRecipeID(r.Context(), auth.HashSecret(token), time.Now())
	return err == nil && id == acc.RecipeID
}

// mediaCSP is the Content-Security-Policy of a delivered picture.
const mediaCSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

// etagOf is the content hash a variant's key was named after.
func etagOf(key string) string {
	hash, _, _ := strings.Cut(path.Base(key), "-")
	return hash
}
