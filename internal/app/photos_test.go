package app_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Photos on real components: the job queue run by Serve, the in-process
// S3, a CDN's URLs, storage migration and backups. The rules themselves
// (refusals, access, lifecycle) are tested in
// internal/api/photos_http_test.go.

// TestPhotoVariantsOnTheRealQueue: an upload through the API is answered
// at once as processing; the queue that Serve runs renders the variants
// and the recipe shows the photo ready, every variant served, the upload
// itself gone from storage and its job completed on the first attempt.
func TestPhotoVariantsOnTheRealQueue(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServing(t, engine, nil)
			cook := phRegister(t, srv.URL, "cook")
			id := phCreateRecipe(t, srv.URL, cook, "Soup", "public", 1)
			data := imagetest.WithExif(imagetest.Encoded(t, "jpeg", 800, 600), 1, binary.LittleEndian)
			p := phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+id+"/photo", cook, data, map[string]string{"alt": "Soup"}, http.StatusOK)
			if p.Status != "processing" || p.Width != 800 || p.Height != 600 || len(p.Variants) != 0 {
				t.Fatalf("accepted photo = %+v", p)
			}

			r := phReady(t, srv.URL, cook, id)
			got := r.Photo
			if got == nil || got.ID != p.ID || len(got.Colour) != 7 {
				t.Fatalf("photo after the job = %+v", got)
			}
			var webp, jpeg []int
			for _, v := range got.Variants {
				switch v.Format {
				case "webp":
					webp = append(webp, v.Width)
				case "jpeg":
					jpeg = append(jpeg, v.Width)
				}
			}
			if want := []int{800, 640, 320}; !slices.Equal(webp, want) || !slices.Equal(jpeg, want) {
				t.Errorf("variant widths: webp %v, jpeg %v; want %v each", webp, jpeg, want)
			}
			bodies := phFetch(t, srv.URL, "", r)
			for u, b := range bodies {
				if bytes.Contains(b, []byte(imagetest.GPSSecret)) {
					t.Errorf("%s carries the upload's GPS position", u)
				}
			}
			if keys, want := phBlobs(t, srv.App.Media(), "photos/"), phKeys(r.urls()); !slices.Equal(keys, want) {
				t.Errorf("stored %q, want the variants only %q", keys, want)
			}
			// River records the completion a moment after the work.
			jobs := waitPhotoJobs(t, srv, engine, func(jobs []photoJob) bool {
				return len(jobs) == 1 && jobs[0].state == "completed"
			})
			if jobs[0].photoID != p.ID || jobs[0].attempt != 1 || jobs[0].errors {
				t.Errorf("photo job = %+v, want one completed on its first attempt", jobs[0])
			}
		})
	}
}

// TestPhotoJobWithoutItsUpload: the variants job of a photo whose upload
// is gone marks it failed at once (no attempt could help); one whose
// upload cannot be read fails the attempt, which the console counts as a
// job to retry, and the queue's retry renders the photo once the upload
// reads again. The uploads are made while no queue runs (an app without
// Serve), so the blobs can be broken before the jobs start.
func TestPhotoJobWithoutItsUpload(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			cfg := testutil.Config(t, engine)
			a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(a.Handler())
			cook := phRegister(t, ts.URL, "cook")
			phRegister(t, ts.URL, "boss")
			u, err := a.Store().UserByLogin(ctx, "boss")
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Store().SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			goneID := phCreateRecipe(t, ts.URL, cook, "Gone", "public", 1)
			stuckID := phCreateRecipe(t, ts.URL, cook, "Stuck", "public", 1)
			img := imagetest.Encoded(t, "png", 500, 300)
			gone := phUpload(t, "PUT", ts.URL+"/api/v1/recipes/"+goneID+"/photo", cook, img, nil, http.StatusOK)
			stuck := phUpload(t, "PUT", ts.URL+"/api/v1/recipes/"+stuckID+"/photo", cook, img, nil, http.StatusOK)
			ts.Close()
			a.Close()

			files := filepath.Join(cfg.DataDir, "files")
			upload := func(id string) string { return filepath.Join(files, "photos", id, "upload") }
			if err := os.Remove(upload(gone.ID)); err != nil {
				t.Fatal(err)
			}
			// A link to itself: opening it fails with "too many levels
			// of symbolic links", a storage error rather than "not found".
			if err := os.Remove(upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("upload", upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}

			srv := phServeAgain(t, engine, cfg, "")
			boss := loginAs(t, http.DefaultClient, srv.URL, "boss", moverPassword, http.StatusOK)
			if p := phSettled(t, srv.URL, cook, goneID).Photo; p == nil || p.Status != "failed" || len(p.Variants) != 0 {
				t.Fatalf("photo without its upload = %+v, want failed", p)
			}
			if keys := phBlobs(t, srv.App.Media(), "photos/"+gone.ID+"/"); len(keys) != 0 {
				t.Errorf("a failed photo left %q", keys)
			}

			// The unreadable upload fails attempt after attempt, each
			// waiting longer for the next (1 s, 16 s, …), as the console
			// shows: river queues a retry due within its scheduler's
			// interval (5 s) as waiting at once, so "to retry" counts the
			// job from its second failure, with the third attempt 16 s
			// away.
			end := time.Now().Add(photoDeadline)
			for {
				var st struct {
					Queue struct {
						Retrying int64 `json:"retrying"`
					} `json:"queue"`
				}
				ans := phWant(t, phDo(t, "GET", srv.URL+"/api/v1/admin/status", boss, nil), http.StatusOK, "admin status")
				if err := json.Unmarshal(ans.body, &st); err != nil {
					t.Fatal(err)
				}
				if st.Queue.Retrying == 1 {
					break
				}
				if time.Now().After(end) {
					t.Fatalf("the console never counted the failing job as retrying: %s", ans.body)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if p := phRecipeOf(t, srv.URL, cook, stuckID).Photo; p == nil || p.Status != "processing" {
				t.Fatalf("photo whose job is retrying = %+v, want processing", p)
			}
			if err := os.Remove(upload(stuck.ID)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(upload(stuck.ID), img, 0o640); err != nil {
				t.Fatal(err)
			}
			r := phReady(t, srv.URL, cook, stuckID)
			phFetch(t, srv.URL, "", r)
			if keys, want := phBlobs(t, srv.App.Media(), "photos/"+stuck.ID+"/"), phKeys(r.urls()); !slices.Equal(keys, want) {
				t.Errorf("stored %q, want the variants only %q", keys, want)
			}

			jobs := waitPhotoJobs(t, srv, engine, func(jobs []photoJob) bool {
				return len(jobs) == 2 && jobs[0].state == "completed" && jobs[1].state == "completed"
			})
			if j := jobs[0]; j.photoID != gone.ID || j.attempt != 1 || j.errors {
				t.Errorf("job of the photo without its upload = %+v, want done on the first attempt", j)
			}
			if j := jobs[1]; j.photoID != stuck.ID || j.attempt < 2 || !j.errors {
				t.Errorf("job of the unreadable upload = %+v, want failed attempts recorded before it completed", j)
			}
		})
	}
}

// TestPhotosOnS3: with RECC_STORAGE_URL on S3 the queue renders into the
// bucket, and /media/ serves each variant from it with the rules of the
// file store: the stored bytes, right type and cache scope, ranges (206
// with the right part), 304 for the content-hash ETag, 404 for anyone
// but the author on a private recipe. Deleting the recipes empties the
// bucket of their photos.
func TestPhotosOnS3(t *testing.T) {
	// Not parallel: the app reads the S3 credentials from the environment.
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s3 := testutil.S3(t)
			s3.Setenv(t)
			srv := testutil.StartServing(t, engine, func(c *config.Config) { c.StorageURL = s3.URL })
			bucket, err := media.Open(ctx, s3.URL, s3.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			cook, other := phRegister(t, srv.URL, "cook"), phRegister(t, srv.URL, "other")
			pubID := phCreateRecipe(t, srv.URL, cook, "Soup", "public", 1)
			privID := phCreateRecipe(t, srv.URL, cook, "Secret", "private", 1)
			img := imagetest.Encoded(t, "jpeg", 900, 600)
			phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+pubID+"/photo", cook, img, nil, http.StatusOK)
			phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+privID+"/photo", cook, img, nil, http.StatusOK)
			pub, priv := phReady(t, srv.URL, cook, pubID), phReady(t, srv.URL, cook, privID)

			var want []string
			for _, k := range phKeys(append(pub.urls(), priv.urls()...)) {
				want = append(want, "files/"+k)
			}
			if got := photoObjects(t, s3); !slices.Equal(got, want) {
				t.Fatalf("bucket holds %q, want the variants only %q", got, want)
			}

			check := func(r phRecipe, viewer, scope string) {
				t.Helper()
				for _, v := range r.Photo.Variants {
					full := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil), http.StatusOK, "GET "+v.URL)
					rc, err := bucket.Get(ctx, strings.TrimPrefix(v.URL, "/media/"))
					if err != nil {
						t.Fatal(err)
					}
					stored, err := io.ReadAll(rc)
					rc.Close()
					if err != nil || !bytes.Equal(full.body, stored) {
						t.Fatalf("%s: %d bytes served, %d stored (%v)", v.URL, len(full.body), len(stored), err)
					}
					size := len(stored)
					for h, want := range map[string]string{
						"Content-Type":   "image/" + v.Format,
						"Cache-Control":  scope + ", max-age=31536000, immutable",
						"Content-Length": fmt.Sprint(size),
						"Accept-Ranges":  "bytes",
					} {
						if got := full.header.Get(h); got != want {
							t.Errorf("%s: %s %q, want %q", v.URL, h, got, want)
						}
					}
					etag := full.header.Get("ETag")
					if hash, _, _ := strings.Cut(v.URL[strings.LastIndex(v.URL, "/")+1:], "-"); etag != `"`+hash+`"` {
						t.Errorf("%s: ETag %s, want the content hash %q", v.URL, etag, hash)
					}
					for rng, part := range map[string][2]int{"bytes=10-109": {10, 110}, "bytes=-16": {size - 16, size}, fmt.Sprintf("bytes=%d-", size-5): {size - 5, size}} {
						a := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "Range", rng), http.StatusPartialContent, v.URL+" "+rng)
						if cr := fmt.Sprintf("bytes %d-%d/%d", part[0], part[1]-1, size); a.header.Get("Content-Range") != cr {
							t.Errorf("%s %s: Content-Range %q, want %q", v.URL, rng, a.header.Get("Content-Range"), cr)
						}
						if !bytes.Equal(a.body, stored[part[0]:part[1]]) {
							t.Errorf("%s %s: the part's bytes differ from the blob's", v.URL, rng)
						}
					}
					a := phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "If-None-Match", etag), http.StatusNotModified, v.URL+" If-None-Match")
					if len(a.body) != 0 || a.header.Get("ETag") != etag {
						t.Errorf("%s: 304 with %d bytes and ETag %q", v.URL, len(a.body), a.header.Get("ETag"))
					}
					phWant(t, phDo(t, "GET", srv.URL+v.URL, viewer, nil, "If-None-Match", `"other"`), http.StatusOK, v.URL+" stale If-None-Match")
				}
			}
			check(pub, "", "public")
			check(priv, cook, "private")
			for _, v := range priv.Photo.Variants {
				for who, token := range map[string]string{"another user": other, "anonymous": ""} {
					if a := phDo(t, "GET", srv.URL+v.URL, token, nil, "Range", "bytes=0-9"); a.status != http.StatusNotFound {
						t.Errorf("%s gets %s of a private recipe: %d", who, v.URL, a.status)
					}
				}
			}

			for _, id := range []string{pubID, privID} {
				phWant(t, phDo(t, "DELETE", srv.URL+"/api/v1/recipes/"+id, cook, nil), http.StatusNoContent, "delete "+id)
			}
			if got := photoObjects(t, s3); len(got) != 0 {
				t.Errorf("deleting the recipes left %q in the bucket", got)
			}
			for _, u := range append(pub.urls(), priv.urls()...) {
				phWant(t, phDo(t, "GET", srv.URL+u, cook, nil), http.StatusNotFound, "GET "+u+" after the delete")
			}
		})
	}
}

// TestStorageMigrateWithPhotos is `storage migrate` from the file store to
// S3 under a library of photos: a run interrupted midway leaves part of
// the library copied, the next run copies only the rest, every blob
// reads back with its source's SHA-256, and the same database served
// from S3 (the file store removed) shows every photo with the same URLs
// and bytes.
func TestStorageMigrateWithPhotos(t *testing.T) {
	// Not parallel: the app reads the S3 credentials from the environment.
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s3 := testutil.S3(t)
			s3.Setenv(t)
			var cfg *config.Config
			srv := testutil.StartServing(t, engine, func(c *config.Config) { cfg = c })
			lib := phMakeLibrary(t, srv.URL)
			if err := srv.Stop(); err != nil {
				t.Fatal(err)
			}

			from, err := media.Open(ctx, cfg.StorageURL, os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			to, err := media.Open(ctx, s3.URL, s3.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			keys := phBlobs(t, from, "")
			if !slices.Equal(keys, lib.keys()) {
				t.Fatalf("the file store holds %q, want the library's variants %q", keys, lib.keys())
			}

			cctx, cancel := context.WithCancel(ctx)
			rep, err := media.Migrate(cctx, from, &cancelAfter{Store: to, n: 5, cancel: cancel}, media.MigrateOptions{Workers: 1})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %+v, %v; want context.Canceled", rep, err)
			}
			copied := phBlobs(t, to, "")
			if len(copied) == 0 || len(copied) >= len(keys) {
				t.Fatalf("after the interruption S3 holds %d of %d blobs", len(copied), len(keys))
			}
			rep, err = media.Migrate(ctx, from, to, media.MigrateOptions{})
			if err != nil || rep.Skipped != len(copied) || rep.Copied != len(keys)-len(copied) || len(rep.Failures) != 0 {
				t.Fatalf("resumed run: %+v, %v; want %d skipped and %d copied", rep, err, len(copied), len(keys)-len(copied))
			}
			if got := phBlobs(t, to, ""); !slices.Equal(got, keys) {
				t.Fatalf("S3 holds %q, want %q", got, keys)
			}
			for _, k := range keys {
				if sha256Of(t, from, k) != sha256Of(t, to, k) {
					t.Errorf("%s differs on S3", k)
				}
			}

			if err := os.RemoveAll(filepath.Join(cfg.DataDir, "files")); err != nil {
				t.Fatal(err)
			}
			moved := phServeAgain(t, engine, cfg, s3.URL)
			lib.same(t, moved.URL)
		})
	}
}

// TestBackupRestoresPhotos: a backup holds the photos' blobs with their
// rows. A recipe deleted after the backup takes its blobs with it;
// restoring the backup brings back the recipe and its photos, with the
// same URLs and bytes.
func TestBackupRestoresPhotos(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var cfg *config.Config
			srv := testutil.StartServing(t, engine, func(c *config.Config) { cfg = c })
			lib := phMakeLibrary(t, srv.URL)
			backups, err := media.NewFile(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			info, err := backup.New(srv.App.Store(), srv.App.Media(), backups, backup.Options{}).Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if info.Files != len(lib.keys()) {
				t.Errorf("the backup holds %d files, want the library's %d variants", info.Files, len(lib.keys()))
			}

			var stew phRecipe
			for _, r := range lib.recipes {
				if len(r.Photos) == 3 {
					stew = r
				}
			}
			phWant(t, phDo(t, "DELETE", srv.URL+"/api/v1/recipes/"+stew.ID, lib.cook, nil), http.StatusNoContent, "delete the stew")
			for _, p := range stew.all() {
				if p.ID == stew.Author.Avatar.ID {
					continue
				}
				if keys := phBlobs(t, srv.App.Media(), "photos/"+p.ID+"/"); len(keys) != 0 {
					t.Errorf("the deleted recipe's photo %s left %q", p.ID, keys)
				}
				for _, v := range p.Variants {
					phWant(t, phDo(t, "GET", srv.URL+v.URL, lib.cook, nil), http.StatusNotFound, "GET "+v.URL+" after the delete")
				}
			}
			if err := srv.Stop(); err != nil {
				t.Fatal(err)
			}

			// `backup restore --force`, with the server stopped.
			st, err := app.OpenStore(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			files, err := media.Open(ctx, cfg.StorageURL, os.Getenv)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := backup.New(st, files, backups, backup.Options{}).Restore(ctx, info.Name, backup.RestoreOptions{Force: true})
			st.Close()
			if err != nil || rep.Files != info.Files || rep.FilesRemoved != 0 {
				t.Fatalf("restore: %+v, %v", rep, err)
			}
			lib.same(t, phServeAgain(t, engine, cfg, "").URL)
		})
	}
}

// TestPhotoURLsOnACDN: with RECC_MEDIA_BASE_URL the photos of public and
// unlisted recipes and avatars point at the CDN, whose origin is this
// server's /media/ path (answered with a public, immutable cache scope);
// a private recipe's photos, in its own answer and in lists, always
// point at this server. Turning a recipe private moves its URLs back
// here at once, and the origin stops serving the CDN path to others.
func TestPhotoURLsOnACDN(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			const cdn = "https://cdn.example.test"
			srv := testutil.StartServing(t, engine, func(c *config.Config) { c.MediaBaseURL = cdn })
			cook := phRegister(t, srv.URL, "cook")
			phWant(t, phDo(t, "PUT", srv.URL+"/api/v1/me/avatar", cook, imagetest.Encoded(t, "png", 200, 200), "Content-Type", "image/png"),
				http.StatusOK, "avatar")
			ids := map[string]string{}
			for _, vis := range []string{"public", "unlisted", "private"} {
				id := phCreateRecipe(t, srv.URL, cook, "Soup "+vis, vis, 1)
				phUpload(t, "PUT", srv.URL+"/api/v1/recipes/"+id+"/photo", cook, imagetest.Encoded(t, "jpeg", 400, 300), nil, http.StatusOK)
				phUpload(t, "POST", srv.URL+"/api/v1/recipes/"+id+"/photos", cook, imagetest.Encoded(t, "png", 300, 300), nil, http.StatusCreated)
				ids[vis] = id
			}
			// wantURLs checks where every URL of a photo points.
			wantURLs := func(what string, p phPhoto, base string) {
				t.Helper()
				urls := []string{p.URL}
				for _, v := range p.Variants {
					urls = append(urls, v.URL)
				}
				for _, u := range urls {
					if !strings.HasPrefix(u, base+"/media/photos/"+p.ID+"/") {
						t.Errorf("%s: URL %q, want it under %s/media/", what, u, base)
					}
				}
			}
			for vis, id := range ids {
				r := phReady(t, srv.URL, cook, id)
				base := cdn
				if vis == "private" {
					base = ""
				}
				wantURLs(vis+" main photo", *r.Photo, base)
				wantURLs(vis+" gallery photo", r.Photos[0], base)
				wantURLs("avatar beside a "+vis+" recipe", *r.Author.Avatar, cdn)
				for _, p := range r.all() {
					scope, viewer := "public", ""
					if vis == "private" && p.ID != r.Author.Avatar.ID {
						scope, viewer = "private", cook
					}
					for _, v := range p.Variants {
						origin := strings.TrimPrefix(v.URL, cdn)
						a := phWant(t, phDo(t, "GET", srv.URL+origin, viewer, nil), http.StatusOK, "origin "+origin)
						if cc := a.header.Get("Cache-Control"); cc != scope+", max-age=31536000, immutable" {
							t.Errorf("origin %s: Cache-Control %q, want %s", origin, cc, scope)
						}
					}
				}
			}
			var list struct {
				Items []phRecipe `json:"items"`
			}
			if err := json.Unmarshal(phWant(t, phDo(t, "GET", srv.URL+"/api/v1/recipes?author=cook", cook, nil), http.StatusOK, "list").body, &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 3 {
				t.Fatalf("the cook's list has %d recipes, want 3", len(list.Items))
			}
			for _, it := range list.Items {
				base := cdn
				if it.ID == ids["private"] {
					base = ""
				}
				wantURLs("card of "+it.ID, *it.Photo, base)
			}
			if csp := phDo(t, "GET", srv.URL+"/", "", nil).header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' "+cdn+" ") {
				t.Errorf("CSP %q does not allow images from the CDN", csp)
			}

			public := phRecipeOf(t, srv.URL, cook, ids["public"])
			phWant(t, phJSON(t, "PATCH", srv.URL+"/api/v1/recipes/"+ids["public"], cook, map[string]any{"visibility": "private"}), http.StatusOK, "make private")
			now := phRecipeOf(t, srv.URL, cook, ids["public"])
			wantURLs("main photo made private", *now.Photo, "")
			wantURLs("gallery photo made private", now.Photos[0], "")
			for _, p := range append([]phPhoto{*public.Photo}, public.Photos...) {
				for _, v := range p.Variants {
					a := phDo(t, "GET", srv.URL+strings.TrimPrefix(v.URL, cdn), "", nil)
					if a.status != http.StatusNotFound {
						t.Errorf("the origin of %s answers %d once the recipe is private, want 404", v.URL, a.status)
					}
				}
			}
		})
	}
}
