package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// Posting and editing comments have a budget of their own (ten a minute
// per person), shared by the API and the page; deleting a comment and
// other writes count against the write budget instead.
func TestCommentsLimitedApartFromWrites(t *testing.T) {
	ts := rlStartApp(t, nil, withLimits)
	ana := rlClientFrom("127.0.0.1")
	registerAt(t, ana, ts.URL, "ana")
	a := rlSend(t, ana, "POST", ts.URL+"/api/v1/recipes", "application/json",
		`{"title":"Plum cake","visibility":"public","ingredients":["4 plums"],"steps":["Bake."]}`)
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var rec struct{ ID string }
	if err := json.Unmarshal([]byte(a.body), &rec); err != nil {
		t.Fatal(err)
	}
	comments := ts.URL + "/api/v1/recipes/" + rec.ID + "/comments"
	post := func(i int) rlAnswer {
		return rlSend(t, ana, "POST", comments, "application/json", fmt.Sprintf(`{"body":"comment %d"}`, i))
	}
	var first struct{ ID string }
	for i := range 9 {
		a := post(i)
		if a.status != http.StatusCreated {
			t.Fatalf("comment %d: %d %s", i+1, a.status, a.body)
		}
		if i == 0 {
			_ = json.Unmarshal([]byte(a.body), &first)
		}
	}
	// An edit is the tenth of the budget.
	if a := rlSend(t, ana, "PATCH", comments+"/"+first.ID, "application/json", `{"body":"edited"}`); a.status != http.StatusOK {
		t.Fatalf("edit: %d %s", a.status, a.body)
	}
	wantLimited(t, post(9), 10)
	page := rlSend(t, ana, "POST", ts.URL+"/recipes/"+rec.ID+"/comments", "application/x-www-form-urlencoded",
		url.Values{"body": {"from the page"}}.Encode(), "Accept", "text/html")
	wantLimited(t, page, 10)
	// Deleting is a write, and writes have their own budget.
	if a := rlSend(t, ana, "DELETE", comments+"/"+first.ID, "", ""); a.status != http.StatusNoContent || a.header.Get("RateLimit-Limit") != "60" {
		t.Errorf("delete at the comment limit: %d limit %q, want 204 under the write budget of 60", a.status, a.header.Get("RateLimit-Limit"))
	}
	// Reading is not limited.
	if a := rlSend(t, ana, "GET", comments, "", ""); a.status != http.StatusOK {
		t.Errorf("read at the comment limit: %d", a.status)
	}
}
