package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/images/imagetest"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestAccountDeletionLeavesNothing: a cook who made recipes with photos,
// an avatar, likes, saves and ratings, comments, follows and a
// collection (and whose recipes others commented on, and collected), an
// API token, a password reset email, a data export and a place on a
// flag's allow list deletes their account. After
// it no cell of any table and no job in the queue holds their id, name,
// address or the ids of their recipes, photos and export, and no blob of theirs
// is left in storage; another cook's recipe they liked is still there
// with its count down by one, and the audit log says an account went
// without saying whose.
func TestAccountDeletionLeavesNothing(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, engine, nil)
			base := srv.URL
			leaver := phRegister(t, base, "leaver-q7x")
			stayer := phRegister(t, base, "stayer-k2p")

			var me struct {
				ID, Username, Email string
			}
			if err := json.Unmarshal(phWant(t, phDo(t, "GET", base+"/api/v1/me", leaver, nil), http.StatusOK, "me").body, &me); err != nil {
				t.Fatal(err)
			}
			secrets := []string{me.ID, me.Username, me.Email}

			// What the leaver makes.
			photo := imagetest.Encoded(t, "jpeg", 640, 480)
			var photoIDs []string
			for _, vis := range []string{"public", "private"} {
				id := phCreateRecipe(t, base, leaver, "Leaver's "+vis+" stew", vis, 2)
				secrets = append(secrets, id)
				p := phUpload(t, "PUT", base+"/api/v1/recipes/"+id+"/photo", leaver, photo, map[string]string{"alt": "Stew"}, http.StatusOK)
				photoIDs = append(photoIDs, p.ID)
				phReady(t, base, leaver, id)
				// The stayer marks the public one; their marks go with it.
				if vis == "public" {
					for _, mark := range []string{"like", "save"} {
						phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+id+"/"+mark, stayer, nil), http.StatusOK, "stayer "+mark)
					}
				}
			}
			avatar := phUpload(t, "PUT", base+"/api/v1/me/avatar", leaver, photo, nil, http.StatusOK)
			photoIDs = append(photoIDs, avatar.ID)
			secrets = append(secrets, photoIDs...)

			kept := phCreateRecipe(t, base, stayer, "Stayer's bread", "public", 1)
			for _, mark := range []string{"like", "save"} {
				phWant(t, phDo(t, "PUT", base+"/api/v1/recipes/"+kept+"/"+mark, leaver, nil), http.StatusOK, "leaver "+mark)
			}
			phWant(t, phJSON(t, "PUT", base+"/api/v1/recipes/"+kept+"/rating", leaver, map[string]int{"stars": 4}), http.StatusOK, "rate")

			// Comments both ways, follows both ways, and collections: the
			// leaver's own, and the stayer's holding the leaver's recipe.
			public := secrets[3]
			var comment struct{ ID string }
			mustJSON(t, phWant(t, phJSON(t, "POST", base+"/api/v1/recipes/"+kept+"/comments", leaver, map[string]string{"body": "Lovely."}), http.StatusCreated, "comment").body, &comment)
			secrets = append(secrets, comment.ID)
			phWant(t, phJSON(t, "POST", base+"/api/v1/recipes/"+public+"/comments", stayer, map[string]string{"body": "Thanks!"}), http.StatusCreated, "comment back")
			phWant(t, phDo(t, "PUT", base+"/api/v1/users/stayer-k2p/follow", leaver, nil), http.StatusOK, "follow")
			phWant(t, phDo(t, "PUT", base+"/api/v1/users/leaver-q7x/follow", stayer, nil), http.StatusOK, "followed")
			for _, c := range []struct{ token, recipe string }{{leaver, kept}, {stayer, public}} {
				var coll struct{ ID string }
				mustJSON(t, phWant(t, phJSON(t, "POST", base+"/api/v1/collections", c.token, map[string]string{"name": "Favourites", "visibility": "public"}), http.StatusCreated, "collection").body, &coll)
				phWant(t, phJSON(t, "POST", base+"/api/v1/collections/"+coll.ID+"/recipes", c.token, map[string]string{"recipe_id": c.recipe}), http.StatusCreated, "collect")
				if c.token == leaver {
					secrets = append(secrets, coll.ID)
				}
			}

			// A password reset email: a job whose arguments carry the id.
			phWant(t, phJSON(t, "POST", base+"/api/v1/auth/password-reset", "", map[string]string{"email": me.Email}), http.StatusAccepted, "reset")
			relay.WaitFor(t, 1, 30*time.Second)

			// A data export: a row and a zip in storage.
			var export exportAnswer
			mustJSON(t, phWant(t, phDo(t, "POST", base+"/api/v1/me/exports", leaver, nil), http.StatusAccepted, "export").body, &export)
			if e := waitExport(t, base, leaver, export.ID); e.Status != "ready" {
				t.Fatalf("export %+v", e)
			}
			secrets = append(secrets, export.ID)

			ctx := context.Background()
			st := srv.App.Store()
			if err := st.SetFlagOverride(ctx, &flags.Override{Environment: "development", Key: flags.RecipeShareLink,
				Enabled: false, AllowUsers: []string{me.ID, "someone-else"}, UpdatedBy: me.Username}); err != nil {
				t.Fatal(err)
			}

			// Refusals first: nothing may go without the password.
			phWant(t, phJSON(t, "DELETE", base+"/api/v1/me", leaver, map[string]string{}), http.StatusUnprocessableEntity, "no password")
			phWant(t, phJSON(t, "DELETE", base+"/api/v1/me", leaver, map[string]string{"password": "not it at all"}), http.StatusUnprocessableEntity, "wrong password")
			phWant(t, phDo(t, "DELETE", base+"/api/v1/me", leaver, []byte(`{"password":`), "Content-Type", "application/json"), http.StatusBadRequest, "bad JSON")
			phWant(t, phDo(t, "GET", base+"/api/v1/me", leaver, nil), http.StatusOK, "still there")

			phWant(t, phJSON(t, "DELETE", base+"/api/v1/me", leaver, map[string]string{"password": moverPassword}), http.StatusNoContent, "delete")
			phWant(t, phDo(t, "GET", base+"/api/v1/me", leaver, nil), http.StatusUnauthorized, "token after deletion")
			phWant(t, phDo(t, "GET", base+"/api/v1/users/"+me.Username, stayer, nil), http.StatusNotFound, "profile after deletion")

			for _, hit := range cellsHolding(t, st, secrets) {
				t.Errorf("left behind: %s", hit)
			}
			for _, hit := range jobsHolding(t, srv, engine, secrets[:3]) {
				t.Errorf("left in the job queue: %s", hit)
			}
			for _, key := range phBlobs(t, srv.App.Media(), "") {
				for _, id := range append(photoIDs, export.ID) {
					if strings.Contains(key, id) {
						t.Errorf("blob %s of a deleted photo is still stored", key)
					}
				}
			}

			var bread struct {
				Likes int `json:"likes"`
				Saves int `json:"saves"`
			}
			if err := json.Unmarshal(phWant(t, phDo(t, "GET", base+"/api/v1/recipes/"+kept, stayer, nil), http.StatusOK, "kept").body, &bread); err != nil {
				t.Fatal(err)
			}
			if bread.Likes != 0 || bread.Saves != 0 {
				t.Errorf("the stayer's recipe counts %+v, want the leaver's like and save gone", bread)
			}
			entries, err := st.AuditLog(ctx, 50, 0)
			if err != nil {
				t.Fatal(err)
			}
			var deletions []store.AuditEntry
			for _, e := range entries {
				if e.Action == account.AuditAccountDelete {
					deletions = append(deletions, e)
				}
			}
			if len(deletions) != 1 || deletions[0].Details != "recipes=2 photos=3" || deletions[0].ActorID != "" {
				t.Errorf("audit of the deletion: %+v, want one entry with the counts and no actor", deletions)
			}
		})
	}
}

// cellsHolding lists every table cell (as "table.column = value") whose
// text contains one of secrets.
func cellsHolding(t *testing.T, st *store.Store, secrets []string) []string {
	t.Helper()
	ctx := context.Background()
	tables, err := st.Tables(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, tb := range tables {
		err := st.ScanRows(ctx, tb, func(vals []any) error {
			for i, v := range vals {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						hits = append(hits, fmt.Sprintf("%s.%s = %.120s", tb.Name, tb.Columns[i].Name, text))
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(tables) < 20 {
		t.Fatalf("the catalog lists %d tables; the scan would prove nothing", len(tables))
	}
	return hits
}

// jobsHolding lists the job queue's rows whose arguments contain one of
// secrets (the catalog leaves the queue's tables out).
func jobsHolding(t *testing.T, srv *testutil.Serving, engine string, secrets []string) []string {
	t.Helper()
	query := "SELECT kind, args::text FROM river_job"
	if engine == "sqlite" {
		query = "SELECT kind, json(args) FROM river_job"
	}
	rows, err := srv.App.Store().DB().QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var hits []string
	jobs := 0
	for rows.Next() {
		var kind, args string
		if err := rows.Scan(&kind, &args); err != nil {
			t.Fatal(err)
		}
		jobs++
		for _, s := range secrets {
			if strings.Contains(args, s) {
				hits = append(hits, kind+" "+args)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if jobs == 0 {
		t.Fatal("the queue holds no job at all; the scan would prove nothing")
	}
	return hits
}
