package photos

import (
	"errors"
	"net/http"
	"path"
	"strings"

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
	if acc.Private {
		u := auth.UserFrom(r.Context())
		if u == nil || u.ID != acc.OwnerID {
			http.NotFound(w, r)
			return
		}
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

// mediaCSP is the Content-Security-Policy of a delivered picture.
const mediaCSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

// etagOf is the content hash a variant's key was named after.
func etagOf(key string) string {
	hash, _, _ := strings.Cut(path.Base(key), "-")
	return hash
}
