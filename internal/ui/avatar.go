package ui

// The avatar on the settings page: upload (replacing any), and removal.
// The same limits and messages as recipe photos.

import (
	"errors"
	"io"
	"net/http"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// avatarCard is the "Your photo" card of the settings page.
type avatarCard struct {
	// Enabled shows the card: a photo service is configured.
	Enabled bool
	Current *recipe.Photo
	// Thumb is the current avatar's smallest variant, "" while processing.
	Thumb         string
	Error         string
	MaxPhotoBytes int64
	// MaxBody bounds the whole post, for the script's check.
	MaxBody int64
}

// MaxPhotoMB is the photo limit as people read it.
func (v avatarCard) MaxPhotoMB() int64 { return v.MaxPhotoBytes >> 20 }

// fillAvatarCard fills the card from the stored avatar.
func (u *UI) fillAvatarCard(r *http.Request, me *auth.User, v *avatarCard) error {
	if u.photos == nil {
		return nil
	}
	v.Enabled, v.MaxPhotoBytes, v.MaxBody = true, MaxPhotoBytes, maxAvatarBody
	a, err := u.photos.Avatar(r.Context(), me.ID)
	if err != nil {
		return err
	}
	v.Current = a
	if p := a.Smallest("jpeg", 320); a.Ready() && p != nil {
		v.Thumb = p.URL
	}
	return nil
}

// maxAvatarBody bounds an avatar post: one photo and the form around it.
const maxAvatarBody = MaxPhotoBytes + 1<<20

func (u *UI) saveAvatar(w http.ResponseWriter, r *http.Request) {
	me := u.requireUser(w, r)
	if me == nil {
		return
	}
	if u.photos == nil {
		u.notFound(w, r)
		return
	}
	up, err := parseUploadForm(w, r, maxAvatarBody, "avatar")
	if err != nil {
		u.badForm(w, r, err)
		return
	}
	defer up.Close()
	f := up.first("avatar")
	if f == nil {
		u.settingsPage(w, r, http.StatusUnprocessableEntity, me, settingsView{Avatar: avatarCard{Error: "Choose a photo first."}})
		return
	}
	err = u.withFile(f, func(body io.Reader) error {
		_, err := u.photos.SetAvatar(r.Context(), me.ID, body)
		return err
	})
	if err == nil {
		u.redirect(w, r, "/settings", "avatar-saved")
		return
	}
	status, msg, ok := photos.Problem(err)
	if errors.Is(err, photos.ErrStorage) {
		status, msg, ok = http.StatusServiceUnavailable, storageMessage, true
		httpx.SetRetryAfter(w)
	}
	if !ok {
		u.serverError(w, r, err)
		return
	}
	u.settingsPage(w, r, status, me, settingsView{Avatar: avatarCard{Error: photoMessage(named(f, err), msg)}})
}

func (u *UI) removeAvatar(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	if u.photos == nil {
		u.notFound(w, r)
		return
	}
	// No photo to remove (a second click, another tab) is done already.
	if err := u.photos.DeleteAvatar(r.Context(), me.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		if _, _, ok := photos.Problem(err); !ok {
			u.serverError(w, r, err)
			return
		}
	}
	u.redirect(w, r, "/settings", "avatar-removed")
}
