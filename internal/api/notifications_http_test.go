package api_test

import (
	"net/http"
	"strings"
	"testing"
)

type notificationJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Text        string `json:"text"`
	Path        string `json:"path"`
	Read        bool   `json:"read"`
	Actor       string `json:"actor"`
	RecipeID    string `json:"recipe_id"`
	RecipeTitle string `json:"recipe_title"`
}

type notificationsJSON struct {
	Items      []notificationJSON `json:"items"`
	NextCursor string             `json:"next_cursor"`
	Unread     int                `json:"unread"`
}

func (c *client) notifications(t *testing.T, query string) notificationsJSON {
	t.Helper()
	var n notificationsJSON
	c.do(t, "GET", "/api/v1/me/notifications"+query, nil).want(t, http.StatusOK).decode(t, &n)
	return n
}

func TestNotificationsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, fan := s.apiClient(t, "cook"), s.apiClient(t, "fan")
		rec := cook.createRecipe(t, recipeBody("Plum cake", "public"))
		fan.follow(t, "PUT", "cook")
		fan.do(t, "PUT", "/api/v1/recipes/"+rec.ID+"/like", nil).want(t, http.StatusOK)
		fan.do(t, "POST", "/api/v1/recipes/"+rec.ID+"/comments", map[string]string{"body": "Lovely"}).want(t, http.StatusCreated)

		got := cook.notifications(t, "")
		if len(got.Items) != 3 || got.Unread != 3 || got.NextCursor != "" {
			t.Fatalf("cook's notifications: %+v", got)
		}
		c, l, f := got.Items[0], got.Items[1], got.Items[2]
		if c.Kind != "comment" || c.Path != "/recipes/"+rec.ID+"/comments" || c.Actor != "fan" || c.Read ||
			!strings.Contains(c.Text, "Plum cake") {
			t.Fatalf("comment entry %+v", c)
		}
		if l.Kind != "like" || l.RecipeTitle != "Plum cake" || f.Kind != "follow" || f.Path != "/u/fan" {
			t.Fatalf("like %+v, follow %+v", l, f)
		}
		// Pages.
		p1 := cook.notifications(t, "?limit=2")
		if len(p1.Items) != 2 || p1.NextCursor == "" {
			t.Fatalf("first page %+v", p1)
		}
		if p2 := cook.notifications(t, "?limit=2&cursor="+p1.NextCursor); len(p2.Items) != 1 || p2.Items[0].ID != f.ID {
			t.Fatalf("second page %+v", p2)
		}
		if n := fan.notifications(t, ""); len(n.Items) != 0 {
			t.Fatalf("fan's own actions notified fan: %+v", n)
		}

		// Mark one read, then all.
		var mr struct{ Marked, Unread int }
		cook.do(t, "POST", "/api/v1/me/notifications/read", map[string]any{"ids": []int64{c.ID}}).want(t, http.StatusOK).decode(t, &mr)
		if mr.Marked != 1 || mr.Unread != 2 {
			t.Fatalf("mark one: %+v", mr)
		}
		// Another person's id changes nothing.
		fan.do(t, "POST", "/api/v1/me/notifications/read", map[string]any{"ids": []int64{l.ID}}).want(t, http.StatusOK).decode(t, &mr)
		if mr.Marked != 0 {
			t.Fatalf("fan marked cook's: %+v", mr)
		}
		if u := cook.notifications(t, "?unread=1"); len(u.Items) != 2 || u.Items[0].ID != l.ID {
			t.Fatalf("unread list %+v", u)
		}
		cook.do(t, "POST", "/api/v1/me/notifications/read", map[string]any{"all": true}).want(t, http.StatusOK).decode(t, &mr)
		if mr.Marked != 2 || mr.Unread != 0 {
			t.Fatalf("mark all: %+v", mr)
		}

		// Preferences: defaults, a change, the answer.
		var prefs map[string]string
		cook.do(t, "GET", "/api/v1/me/notification-preferences", nil).want(t, http.StatusOK).decode(t, &prefs)
		if len(prefs) != 5 || prefs["like"] != "app" || prefs["shared"] != "app" {
			t.Fatalf("default prefs %v", prefs)
		}
		cook.do(t, "PUT", "/api/v1/me/notification-preferences", map[string]string{"like": "off", "comment": "digest"}).
			want(t, http.StatusOK).decode(t, &prefs)
		if prefs["like"] != "off" || prefs["comment"] != "digest" || prefs["follow"] != "app" {
			t.Fatalf("prefs after the change %v", prefs)
		}
		// Likes are off now: a new like notifies nobody.
		other := s.apiClient(t, "other")
		other.do(t, "PUT", "/api/v1/recipes/"+rec.ID+"/like", nil).want(t, http.StatusOK)
		if n := cook.notifications(t, ""); n.Unread != 0 || len(n.Items) != 3 {
			t.Fatalf("after an unwanted like: %+v", n)
		}
	})
}

// A private recipe's notifications are invisible to whoever may not read
// it: the cook's recipe turned private after the fan was told of it.
func TestNotificationsPrivacyHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook, fan := s.apiClient(t, "cook"), s.apiClient(t, "fan")
		fan.follow(t, "PUT", "cook")
		rec := cook.createRecipe(t, recipeBody("Secret stew", "public"))
		if err := s.App.Notifications().FanOut(t.Context(), rec.ID); err != nil {
			t.Fatal(err)
		}
		if n := fan.notifications(t, ""); len(n.Items) != 1 || n.Items[0].Kind != "new_recipe" || n.Unread != 1 {
			t.Fatalf("fan's notifications %+v", n)
		}
		cook.do(t, "PATCH", "/api/v1/recipes/"+rec.ID, map[string]string{"visibility": "private"}).want(t, http.StatusOK)
		n := fan.notifications(t, "")
		if len(n.Items) != 0 || n.Unread != 0 {
			t.Fatalf("a private recipe's notification shows: %+v", n)
		}
	})
}

// Every 4xx of the notification routes, with nothing written.
func TestNotificationRefusalsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/v1/me/notifications"}, {"POST", "/api/v1/me/notifications/read"},
			{"GET", "/api/v1/me/notification-preferences"}, {"PUT", "/api/v1/me/notification-preferences"},
		} {
			s.anon().do(t, r.method, r.path, map[string]bool{"all": true}).wantProblem(t, http.StatusUnauthorized)
		}
		cook.do(t, "GET", "/api/v1/me/notifications?cursor=nonsense", nil).wantProblem(t, http.StatusBadRequest, "cursor")
		cook.do(t, "GET", "/api/v1/me/notifications?limit=0", nil).wantProblem(t, http.StatusBadRequest, "limit")
		cook.do(t, "GET", "/api/v1/me/notifications?limit=101", nil).wantProblem(t, http.StatusBadRequest, "limit")
		cook.do(t, "GET", "/api/v1/me/notifications?unread=yes", nil).wantProblem(t, http.StatusBadRequest, "unread")
		cook.do(t, "GET", "/api/v1/me/notifications?unread=1&unread=0", nil).wantProblem(t, http.StatusBadRequest, "unread")
		cook.do(t, "DELETE", "/api/v1/me/notifications", nil).wantProblem(t, http.StatusMethodNotAllowed)

		read := "/api/v1/me/notifications/read"
		cook.do(t, "POST", read, map[string]any{}).wantProblem(t, http.StatusUnprocessableEntity, "ids")
		cook.do(t, "POST", read, map[string]any{"all": true, "ids": []int{1}}).wantProblem(t, http.StatusUnprocessableEntity, "ids")
		cook.do(t, "POST", read, map[string]any{"ids": []int{0}}).wantProblem(t, http.StatusUnprocessableEntity, "ids")
		many := make([]int, 101)
		for i := range many {
			many[i] = i + 1
		}
		cook.do(t, "POST", read, map[string]any{"ids": many}).wantProblem(t, http.StatusUnprocessableEntity, "ids")
		cook.do(t, "POST", read, map[string]any{"ids": "all"}).wantProblem(t, http.StatusBadRequest)
		cook.do(t, "POST", read, map[string]any{"everything": true}).wantProblem(t, http.StatusUnprocessableEntity, "everything")
		cook.do(t, "POST", read, raw(`{"all": true`)).wantProblem(t, http.StatusBadRequest)
		cook.do(t, "POST", read, raw(`{"all": true}`), header("Content-Type", "text/plain")).wantProblem(t, http.StatusUnsupportedMediaType)
		cook.do(t, "POST", read, raw(`{"ids": [`+strings.Repeat("1,", 600000)+`1]}`)).wantProblem(t, http.StatusRequestEntityTooLarge)

		prefs := "/api/v1/me/notification-preferences"
		cook.do(t, "PUT", prefs, map[string]string{"like": "pigeon"}).wantProblem(t, http.StatusUnprocessableEntity, "like")
		cook.do(t, "PUT", prefs, map[string]string{"shared": "email"}).wantProblem(t, http.StatusUnprocessableEntity, "shared")
		cook.do(t, "PUT", prefs, map[string]string{"like": "off", "shared": "digest"}).wantProblem(t, http.StatusUnprocessableEntity, "shared")
		cook.do(t, "PUT", prefs, map[string]string{}).wantProblem(t, http.StatusUnprocessableEntity, "body")
		cook.do(t, "PUT", prefs, map[string]string{"poke": "app"}).wantProblem(t, http.StatusUnprocessableEntity, "poke")
		cook.do(t, "PUT", prefs, map[string]int{"like": 1}).wantProblem(t, http.StatusBadRequest)
		cook.do(t, "PATCH", prefs, map[string]string{"like": "off"}).wantProblem(t, http.StatusMethodNotAllowed)
		var got map[string]string
		cook.do(t, "GET", prefs, nil).want(t, http.StatusOK).decode(t, &got)
		if got["like"] != "app" {
			t.Fatalf("a refused change wrote: %v", got)
		}
	})
}
