package dataexport

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// The archive's layout, which docs/architecture.md ("Your data") and the
// README.txt inside it describe:
//
//	README.txt            what is where
//	profile.json          the account: name, address, bio, settings
//	recipes/<slug>.json   each recipe as schema.org Recipe JSON-LD, for other apps
//	recipes.json          every recipe in RecCollection's own form (as the API gives it)
//	photos/<id>.jpg       every photo (the largest JPEG kept), named in photos.json
//	photos.json           which recipe (or the avatar) each photo belongs to
//	likes-saves-ratings.json  the person's marks on recipes they can still read
//	collections.json      their collections, each with its recipes in order
//	comments.json         the comments they wrote (on recipes they can still read)
//	follows.json          whom they follow and who follows them

// part is one file or group of files of the archive.
type part func(ctx context.Context, a *archive) error

// parts are written in this order after profile.json.
var parts = []part{writeRecipes, writePhotos, writeMarks, writeCollections, writeComments, writeFollows}

// archive is the zip being written and what its parts share.
type archive struct {
	s    *Service
	zw   *zip.Writer
	user *auth.User
	at   time.Time
	// photos are the person's ready photos, read once for the recipes'
	// JSON-LD and the photo files.
	photos []store.PhotoFile
}

func (s *Service) writeZip(ctx context.Context, w io.Writer, userID string) error {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	photos, err := s.store.PhotoFilesOf(ctx, userID)
	if err != nil {
		return err
	}
	a := &archive{s: s, zw: zip.NewWriter(w), user: u, at: s.now().UTC(), photos: photos}
	if err := a.text("README.txt", readme(u, a.at)); err != nil {
		return err
	}
	profile := map[string]any{
		"username": u.Username, "display_name": u.DisplayName, "email": u.Email, "bio": u.Bio,
		"unit_system": u.UnitSystem, "created_at": u.CreatedAt.UTC(), "profile_url": s.opts.SiteURL + "/u/" + u.Username,
	}
	if err := a.json("profile.json", profile); err != nil {
		return err
	}
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := p(ctx, a); err != nil {
			return err
		}
	}
	return a.zw.Close()
}

// file starts a file in the archive, dated when the export was made.
func (a *archive) file(name string) (io.Writer, error) {
	return a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: a.at})
}

func (a *archive) text(name, body string) error {
	w, err := a.file(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, body)
	return err
}

func (a *archive) json(name string, v any) error {
	w, err := a.file(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeRecipes writes one JSON-LD file per recipe and recipes.json, all
// of them in RecCollection's own form. Every recipe of the person's is
// included, private and unlisted ones too: they are theirs. A zip is
// written one file at a time, so recipes.json gathers in a temporary file
// while the JSON-LD files are written, and memory does not grow with the
// collection; each recipe is read once (one statement: this is a job).
func writeRecipes(ctx context.Context, a *archive) error {
	ids, err := a.recipeIDs(ctx)
	if err != nil {
		return err
	}
	images := map[string][]string{}
	for _, p := range a.photos {
		if p.RecipeID != "" {
			images[p.RecipeID] = append(images[p.RecipeID], photoPath(p))
		}
	}
	all, err := os.CreateTemp("", "recc-export-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(all.Name())
	defer all.Close()
	buf := bufio.NewWriter(all)
	buf.WriteString("[")
	used := map[string]bool{}
	for _, id := range ids {
		rec, err := a.s.store.Recipe(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted while the export ran
		}
		if err != nil {
			return fmt.Errorf("recipe %s: %w", id, err)
		}
		name := "recipes/" + uniqueName(slug(rec.Title), rec.ID, used) + ".json"
		if err := a.json(name, recipe.SchemaOrg(rec, a.s.opts.SiteURL+"/recipes/"+rec.ID, images[rec.ID])); err != nil {
			return err
		}
		b, err := json.MarshalIndent(rec, "  ", "  ")
		if err != nil {
			return err
		}
		if len(used) > 1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  ")
		buf.Write(b)
	}
	buf.WriteString("\n]\n")
	if err := buf.Flush(); err != nil {
		return err
	}
	if _, err := all.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w, err := a.file("recipes.json")
	if err != nil {
		return err
	}
	_, err = io.Copy(w, all)
	return err
}

// recipeIDs lists the person's recipes, newest first, a page at a time.
func (a *archive) recipeIDs(ctx context.Context) ([]string, error) {
	var ids []string
	lq := store.ListQuery{AuthorID: a.user.ID, ViewerID: a.user.ID, Limit: store.MaxListLimit}
	for {
		page, err := a.s.store.ListRecipes(ctx, lq)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			ids = append(ids, r.ID)
		}
		if page.NextCursor == "" {
			return ids, nil
		}
		lq.Cursor = page.NextCursor
	}
}

// photoPath is where photo p is in the archive.
func photoPath(p store.PhotoFile) string { return "photos/" + p.ID + ".jpg" }

// writePhotos copies every ready photo of the person's and lists them in
// photos.json.
func writePhotos(ctx context.Context, a *archive) error {
	type listed struct {
		store.PhotoFile
		File string `json:"file"`
	}
	var list []listed
	for _, p := range a.photos {
		rc, err := a.s.media.Get(ctx, p.Key)
		if err != nil {
			// A photo deleted while the export ran is simply not in it.
			a.s.opts.Logger.WarnContext(ctx, "export photo", "photo", p.ID, "err", err)
			continue
		}
		// JPEG is compressed already: stored, not deflated again.
		w, err := a.zw.CreateHeader(&zip.FileHeader{Name: photoPath(p), Method: zip.Store, Modified: a.at})
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		rc.Close()
		if err != nil {
			return fmt.Errorf("copy photo %s: %w", p.ID, err)
		}
		list = append(list, listed{p, photoPath(p)})
	}
	if list == nil {
		list = []listed{}
	}
	return a.json("photos.json", list)
}

// writeMarks writes the person's likes, saves and ratings.
func writeMarks(ctx context.Context, a *archive) error {
	marks, err := a.s.store.MarksOf(ctx, a.user.ID)
	if err != nil {
		return err
	}
	return a.json("likes-saves-ratings.json", marks)
}

// writeComments writes the comments the person wrote, on recipes they
// can still read.
func writeComments(ctx context.Context, a *archive) error {
	cs, err := a.s.store.CommentsOf(ctx, a.user.ID)
	if err != nil {
		return err
	}
	return a.json("comments.json", cs)
}

// writeFollows writes whom the person follows and who follows them.
func writeFollows(ctx context.Context, a *archive) error {
	following, followers, err := a.s.store.FollowsOf(ctx, a.user.ID)
	if err != nil {
		return err
	}
	return a.json("follows.json", map[string]any{"following": following, "followers": followers})
}

// writeCollections writes the person's collections with their recipes
// in order, as they see them (another cook's recipe gone private is left
// out, as on the collection's page).
func writeCollections(ctx context.Context, a *archive) error {
	cs, err := a.s.store.CollectionsOf(ctx, a.user.ID, a.user.ID)
	if err != nil {
		return err
	}
	type entry struct {
		Position int    `json:"position"`
		RecipeID string `json:"recipe_id"`
		Title    string `json:"title"`
	}
	type listed struct {
		Name        string            `json:"name"`
		Description string            `json:"description"`
		Visibility  recipe.Visibility `json:"visibility"`
		CreatedAt   time.Time         `json:"created_at"`
		URL         string            `json:"url"`
		Recipes     []entry           `json:"recipes"`
	}
	out := []listed{}
	for _, c := range cs {
		l := listed{Name: c.Name, Description: c.Description, Visibility: c.Visibility, CreatedAt: c.CreatedAt.UTC(),
			URL: a.s.opts.SiteURL + "/c/" + c.ID, Recipes: []entry{}}
		cursor := ""
		for {
			_, page, err := a.s.store.CollectionPage(ctx, a.user.ID, c.ID, cursor, store.MaxListLimit)
			if err != nil {
				return fmt.Errorf("collection %s: %w", c.ID, err)
			}
			for _, it := range page.Items {
				l.Recipes = append(l.Recipes, entry{it.Position, it.Recipe.ID, it.Recipe.Title})
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		out = append(out, l)
	}
	return a.json("collections.json", out)
}

// slug is a file name made of a title: lower-case letters and digits
// joined by hyphens, at most 60 bytes.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "recipe"
	}
	return s
}

// uniqueName is name, or name with the start of id when another recipe
// took it.
func uniqueName(name, id string, used map[string]bool) string {
	if used[name] {
		name += "-" + id[:min(len(id), 8)]
	}
	for used[name] {
		name += "-" + id
	}
	used[name] = true
	return name
}

func readme(u *auth.User, at time.Time) string {
	return "RecCollection data export of @" + u.Username + ", made " + at.Format("2 January 2006 15:04 UTC") + ".\n\n" +
		"profile.json                 your account: name, address, bio and settings\n" +
		"recipes.json                 every recipe of yours, private ones too, in RecCollection's own form\n" +
		"recipes/*.json               each recipe as a schema.org Recipe (JSON-LD), which other recipe apps read\n" +
		"photos/*.jpg, photos.json    your photos (the largest copy kept) and what each belongs to\n" +
		"likes-saves-ratings.json     what you liked, saved and rated (recipes you can still see)\n" +
		"collections.json             your collections, each with its recipes in order\n" +
		"comments.json                the comments you wrote (on recipes you can still see)\n" +
		"follows.json                 whom you follow and who follows you\n"
}
