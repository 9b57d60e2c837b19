// Package smoke checks a running RecCollection end to end through its
// public HTTP interface, as a deployment pipeline does after a rollout:
// readiness, the deployed commit, the home page, and a signed-in round
// trip through the JSON API (create, read, search and delete a private
// recipe, and prove a stranger cannot see it). It leaves nothing behind:
// the recipe it made is deleted and its token revoked even when a step
// fails.
package smoke

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Options say what to check and how patiently.
type Options struct {
	// BaseURL is the server's public URL (see ParseBaseURL).
	BaseURL *url.URL
	// Login and Password are the smoke account's credentials. The account
	// must not have a second factor: its token would not work unverified.
	Login, Password string
	// ExpectCommit, when set, is the commit /version must report (a
	// prefix of at least 7 characters is enough).
	ExpectCommit string
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// Wait is how long readiness, and the expected commit, may take to
	// appear, for a server still rolling out (default 0: one attempt).
	Wait time.Duration
	// Interval is the pause between attempts (default 2s).
	Interval time.Duration
	// Out receives one line per step.
	Out io.Writer
	// Transport, when set, replaces the default HTTP transport.
	Transport http.RoundTripper
	// UserAgent identifies the smoke test in the server's logs.
	UserAgent string
}

// searchLag bounds how long the search step waits for the new recipe to
// appear: lists may be served by a read replica, which lags the primary
// for a client without cookies by the replication delay.
const searchLag = 15 * time.Second

// StepError is the failure of one step: Run returns the first.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("step %q failed: %v", e.Step, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }

// ParseBaseURL accepts an http(s) URL with a host and nothing that would
// be lost or leaked on the way (credentials, a query, a fragment).
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		return nil, errors.New("has no host")
	case u.User != nil:
		// It would be printed in every error message.
		return nil, errors.New("must not contain credentials; use RECC_SMOKE_LOGIN and RECC_SMOKE_PASSWORD")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, errors.New("must not have a query or fragment")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// Run performs every step in order, printing each, and stops at the first
// failure, which it returns as a *StepError. Cleanup runs either way.
func Run(ctx context.Context, opts Options) (err error) {
	if opts.BaseURL == nil {
		return errors.New("no base URL")
	}
	if opts.Login == "" || opts.Password == "" {
		return errors.New("no smoke account credentials")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Interval <= 0 {
		opts.Interval = 2 * time.Second
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "reccollection-smoke"
	}
	r := &runner{opts: opts, c: newClient(opts)}
	defer func() {
		if cerr := r.cleanup(ctx); err == nil && cerr != nil {
			err = cerr
		}
	}()
	r.deadline = time.Now().Add(opts.Wait)
	steps := []struct {
		name string
		fn   func(context.Context) (string, error)
	}{
		{"readiness", r.readiness},
		{"version", r.version},
		{"home page", r.home},
		{"sign in", r.signIn},
		{"create recipe", r.create},
		{"read recipe", r.read},
		{"private hidden", r.hiddenFromStrangers},
		{"search", r.search},
		{"delete recipe", r.delete},
		{"sign out", r.signOut},
	}
	for _, s := range steps {
		if err := r.step(ctx, s.name, s.fn); err != nil {
			return err
		}
	}
	return nil
}

// runner holds what the steps share.
type runner struct {
	opts     Options
	c        *client
	deadline time.Time // end of the readiness wait

	token    string         // bearer token from sign-in; "" once revoked
	cookies  []*http.Cookie // the session sign-in also started
	word     string         // the unique search word in the recipe's title
	title    string
	recipeID string // "" once deleted
}

// step runs fn and prints its outcome with its duration.
func (r *runner) step(ctx context.Context, name string, fn func(context.Context) (string, error)) error {
	start := time.Now()
	detail, err := fn(ctx)
	took := time.Since(start)
	if err != nil {
		fmt.Fprintf(r.opts.Out, "FAIL  %-18s %7s\n      %s\n", name, ms(took), clip(err.Error(), 600))
		return &StepError{Step: name, Err: err}
	}
	fmt.Fprintf(r.opts.Out, "ok    %-18s %7s  %s\n", name, ms(took), detail)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%dms", d.Milliseconds()) }

// poll repeats try until it succeeds, ctx ends, or the next attempt would
// start after until. It returns the attempt count and the last error.
func (r *runner) poll(ctx context.Context, until time.Time, try func() error) (int, error) {
	for n := 1; ; n++ {
		err := try()
		if err == nil {
			return n, nil
		}
		if ctx.Err() != nil || time.Now().Add(r.opts.Interval).After(until) {
			if n > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, n)
			}
			return n, err
		}
		t := time.NewTimer(r.opts.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return n, fmt.Errorf("%w (interrupted: %v)", err, ctx.Err())
		case <-t.C:
		}
	}
}

func attempts(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" after %d attempts", n)
}

func (r *runner) readiness(ctx context.Context) (string, error) {
	var ready struct {
		Status        string `json:"status"`
		SchemaVersion int64  `json:"schema_version"`
		SchemaTarget  int64  `json:"schema_target"`
	}
	n, err := r.poll(ctx, r.deadline, func() error {
		resp, err := r.c.do(ctx, http.MethodGet, "/readyz", nil, nil, "")
		if err != nil {
			return err
		}
		if err := resp.want(http.StatusOK); err != nil {
			return err
		}
		return resp.decode(&ready)
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, schema %d/%d%s", clip(ready.Status, 40), ready.SchemaVersion, ready.SchemaTarget, attempts(n)), nil
}

func (r *runner) version(ctx context.Context) (string, error) {
	var info struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
	}
	// During a rollout an old replica may still answer; keep asking until
	// the wait is over.
	n, err := r.poll(ctx, r.deadline, func() error {
		info.Version, info.Commit = "", ""
		resp, err := r.c.do(ctx, http.MethodGet, "/version", nil, nil, "")
		if err != nil {
			return err
		}
		if err := resp.want(http.StatusOK); err != nil {
			return err
		}
		if err := resp.decode(&info); err != nil {
			return err
		}
		if info.Commit == "" {
			return errors.New("expected a commit in /version, got none")
		}
		if r.opts.ExpectCommit != "" && !SameCommit(r.opts.ExpectCommit, info.Commit) {
			return fmt.Errorf("expected commit %s, got %s (version %s)", r.opts.ExpectCommit, clip(info.Commit, 64), clip(info.Version, 64))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, commit %s%s", clip(info.Version, 64), clip(info.Commit, 64), attempts(n)), nil
}

// SameCommit reports whether two commit names agree: equal, or one an
// abbreviation (7 characters or more) of the other.
func SameCommit(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return a == b || (len(a) >= 7 && strings.HasPrefix(b, a))
}

func (r *runner) home(ctx context.Context) (string, error) {
	resp, err := r.c.do(ctx, http.MethodGet, "/", nil, nil, "")
	if err != nil {
		return "", err
	}
	if err := resp.want(http.StatusOK); err != nil {
		return "", err
	}
	if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		return "", fmt.Errorf("expected an HTML page, got Content-Type %q", clip(ct, 80))
	}
	if !strings.Contains(string(resp.body), "RecCollection") {
		return "", fmt.Errorf("expected the page to name RecCollection, got %q", clip(string(resp.body), 200))
	}
	return fmt.Sprintf("%d bytes of HTML", len(resp.body)), nil
}

func (r *runner) signIn(ctx context.Context) (string, error) {
	body := map[string]string{"login": r.opts.Login, "password": r.opts.Password, "token_name": "smoke test"}
	resp, err := r.c.do(ctx, http.MethodPost, "/api/v1/auth/login", nil, body, "")
	if err != nil {
		return "", err
	}
	if err := resp.want(http.StatusOK); err != nil {
		return "", err
	}
	var out struct {
		User struct {
			Username string `json:"username"`
		} `json:"user"`
		Token       string `json:"token"`
		MFARequired bool   `json:"mfa_required"`
	}
	if err := resp.decode(&out); err != nil {
		return "", err
	}
	// Kept before any check below, so that cleanup signs out whatever
	// sign-in started.
	r.token, r.cookies = out.Token, resp.cookies
	if out.Token == "" {
		return "", errors.New("expected a bearer token in the answer, got none")
	}
	if out.MFARequired {
		return "", errors.New("the smoke account has two-factor authentication, so its token works only after a second factor; use an account without it")
	}
	return "as " + clip(out.User.Username, 64), nil
}

// recipeView is the part of a recipe the steps check.
type recipeView struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Visibility string `json:"visibility"`
}

func (r *runner) create(ctx context.Context) (string, error) {
	word, err := uniqueWord()
	if err != nil {
		return "", err
	}
	r.word = word
	r.title = "Smoke test " + time.Now().UTC().Format("2006-01-02 15:04:05") + " " + word
	body := map[string]any{
		"title":       r.title,
		"description": "Made and deleted by the deployment smoke test.",
		"visibility":  "private",
		"ingredients": []string{"1 cup water"},
		"steps":       []string{"Boil the water."},
	}
	resp, err := r.c.do(ctx, http.MethodPost, "/api/v1/recipes", nil, body, r.token)
	if err != nil {
		return "", err
	}
	if err := resp.want(http.StatusCreated); err != nil {
		return "", err
	}
	var rec recipeView
	decodeErr := resp.decode(&rec)
	if rec.ID == "" {
		// Still try to find the recipe so that cleanup can delete it.
		rec.ID = strings.TrimPrefix(resp.header.Get("Location"), "/api/v1/recipes/")
	}
	if validID(rec.ID) {
		r.recipeID = rec.ID
	}
	switch {
	case decodeErr != nil:
		return "", decodeErr
	case !validID(rec.ID):
		return "", fmt.Errorf("expected a recipe id, got %q", clip(rec.ID, 80))
	}
	if err := r.checkRecipe(rec); err != nil {
		return "", err
	}
	return "private recipe " + rec.ID, nil
}

// validID keeps a server-supplied id from steering requests elsewhere
// (it becomes a path segment).
func validID(id string) bool {
	if id == "" || len(id) > 100 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (r *runner) checkRecipe(rec recipeView) error {
	if rec.ID != r.recipeID {
		return fmt.Errorf("expected recipe %s, got %q", r.recipeID, clip(rec.ID, 80))
	}
	if rec.Title != r.title {
		return fmt.Errorf("expected title %q, got %q", r.title, clip(rec.Title, 200))
	}
	if rec.Visibility != "private" {
		return fmt.Errorf("expected visibility private, got %q", clip(rec.Visibility, 40))
	}
	return nil
}

func (r *runner) read(ctx context.Context) (string, error) {
	resp, err := r.c.do(ctx, http.MethodGet, "/api/v1/recipes/"+r.recipeID, nil, nil, r.token)
	if err != nil {
		return "", err
	}
	if err := resp.want(http.StatusOK); err != nil {
		return "", err
	}
	var rec recipeView
	if err := resp.decode(&rec); err != nil {
		return "", err
	}
	if err := r.checkRecipe(rec); err != nil {
		return "", err
	}
	return "title and visibility as saved", nil
}

// hiddenFromStrangers proves the private recipe is invisible without
// credentials, by id and in search: a cache or proxy that ignores
// Authorization would fail here.
func (r *runner) hiddenFromStrangers(ctx context.Context) (string, error) {
	resp, err := r.c.do(ctx, http.MethodGet, "/api/v1/recipes/"+r.recipeID, nil, nil, "")
	if err != nil {
		return "", err
	}
	if resp.status != http.StatusNotFound {
		return "", fmt.Errorf("expected HTTP 404 for an anonymous reader of a private recipe, got %s", resp.describe())
	}
	found, err := r.searchOnce(ctx, "")
	if err != nil {
		return "", err
	}
	if found {
		return "", errors.New("expected an anonymous search not to list the private recipe, got it listed")
	}
	return "404 by id, absent from anonymous search", nil
}

func (r *runner) search(ctx context.Context) (string, error) {
	n, err := r.poll(ctx, time.Now().Add(searchLag), func() error {
		found, err := r.searchOnce(ctx, r.token)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("expected recipe %s in the results for %q, got it missing", r.recipeID, r.word)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("found by %q%s", r.word, attempts(n)), nil
}

// searchOnce reports whether a search for the unique word lists the
// recipe.
func (r *runner) searchOnce(ctx context.Context, token string) (bool, error) {
	q := url.Values{"q": {r.word}, "limit": {"20"}}
	resp, err := r.c.do(ctx, http.MethodGet, "/api/v1/recipes", q, nil, token)
	if err != nil {
		return false, err
	}
	if err := resp.want(http.StatusOK); err != nil {
		return false, err
	}
	var page struct {
		Items *[]recipeView `json:"items"`
	}
	if err := resp.decode(&page); err != nil {
		return false, err
	}
	if page.Items == nil {
		return false, errors.New("expected a list with items, got none")
	}
	for _, it := range *page.Items {
		if it.ID == r.recipeID {
			return true, nil
		}
	}
	return false, nil
}

func (r *runner) delete(ctx context.Context) (string, error) {
	if err := r.deleteRecipe(ctx); err != nil {
		return "", err
	}
	return "deleted, and gone", nil
}

// deleteRecipe deletes the recipe and checks it is gone.
func (r *runner) deleteRecipe(ctx context.Context) error {
	id := r.recipeID
	resp, err := r.c.do(ctx, http.MethodDelete, "/api/v1/recipes/"+id, nil, nil, r.token)
	if err != nil {
		return err
	}
	if err := resp.want(http.StatusNoContent); err != nil {
		return err
	}
	r.recipeID = ""
	resp, err = r.c.do(ctx, http.MethodGet, "/api/v1/recipes/"+id, nil, nil, r.token)
	if err != nil {
		return err
	}
	if resp.status != http.StatusNotFound {
		return fmt.Errorf("expected HTTP 404 for the deleted recipe, got %s", resp.describe())
	}
	return nil
}

func (r *runner) signOut(ctx context.Context) (string, error) {
	if err := r.revoke(ctx); err != nil {
		return "", err
	}
	return "token revoked, session ended", nil
}

// revoke signs the token out and proves it no longer works, then ends
// the browser session sign-in started (a bearer request never touches
// it).
func (r *runner) revoke(ctx context.Context) error {
	tok := r.token
	resp, err := r.c.do(ctx, http.MethodPost, "/api/v1/auth/logout", nil, nil, tok)
	if err != nil {
		return err
	}
	if err := resp.want(http.StatusNoContent); err != nil {
		return err
	}
	r.token = ""
	resp, err = r.c.do(ctx, http.MethodGet, "/api/v1/me", nil, nil, tok)
	if err != nil {
		return err
	}
	if resp.status != http.StatusUnauthorized {
		return fmt.Errorf("expected HTTP 401 for the revoked token, got %s", resp.describe())
	}
	if len(r.cookies) > 0 {
		resp, err := r.c.doWithCookies(ctx, http.MethodPost, "/api/v1/auth/logout", r.cookies)
		if err != nil {
			return fmt.Errorf("end the session: %w", err)
		}
		if err := resp.want(http.StatusNoContent); err != nil {
			return fmt.Errorf("end the session: %w", err)
		}
		r.cookies = nil
	}
	return nil
}

// cleanup deletes the recipe and signs out if the steps did not get that
// far. It runs even when ctx was cancelled (Ctrl-C), within its own
// per-request timeouts.
func (r *runner) cleanup(ctx context.Context) error {
	ctx = context.WithoutCancel(ctx)
	var errs []error
	if r.recipeID != "" && r.token != "" {
		if err := r.step(ctx, "cleanup: recipe", func(ctx context.Context) (string, error) {
			id := r.recipeID
			if err := r.deleteRecipe(ctx); err != nil {
				return "", fmt.Errorf("recipe %s may be left behind: %w", id, err)
			}
			return "deleted " + id, nil
		}); err != nil {
			errs = append(errs, err)
		}
	}
	if r.token != "" {
		if err := r.step(ctx, "cleanup: sign out", func(ctx context.Context) (string, error) {
			return "token revoked", r.revoke(ctx)
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// uniqueWord is a search word no other recipe has: random letters and
// digits, starting with letters so that no search parser takes it for a
// number.
func uniqueWord() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	out := []byte("smoke")
	for _, c := range b {
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out), nil
}
