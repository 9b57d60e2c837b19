package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/seed"
)

// The operations of the mixed load (`make soak`, `make pgo`).
const (
	OpHome       = "home"
	OpBrowse     = "HTML browse"
	OpHTMLSearch = "HTML search"
	OpRecipe     = "HTML recipe"
	OpCook       = "HTML cook mode"
	OpAPIList    = "API list"
	OpAPIGet     = "API get"
	OpAPISearch  = "API search"
	OpAPITypo    = "API search typo"
	OpCreate     = "API create"
	OpUpdate     = "API update"
	OpDelete     = "API delete"
	OpSignIn     = "API sign in and out"
)

// mixWeights is the mixed load: mostly anonymous reading (pages, search,
// the API), some writing by signed-in clients, each to its own recipes, and
// a rare sign-in. Sign-in is deliberately expensive (argon2id, 19 MB for a
// moment): at 2 % it took a third of the server's CPU and would have
// taught the compiler (`make pgo`) that hashing passwords is the work, so
// it is 2 in 1000, still a few a minute. The weights are per mille.
var mixWeights = []struct {
	op     string
	weight int
}{
	{OpHome, 120}, {OpBrowse, 100}, {OpHTMLSearch, 80}, {OpRecipe, 168}, {OpCook, 60},
	{OpAPIList, 80}, {OpAPIGet, 120}, {OpAPISearch, 70}, {OpAPITypo, 50},
	{OpCreate, 50}, {OpUpdate, 50}, {OpDelete, 50}, {OpSignIn, 2},
}

// mixOwnCap bounds the recipes one client keeps: at the cap a create
// becomes a delete, so the database stays the size it was seeded at.
const mixOwnCap = 20

// pickOp draws an operation by weight; r is uniform in [0, total weight).
func pickOp(r int) string {
	for _, w := range mixWeights {
		if r < w.weight {
			return w.op
		}
		r -= w.weight
	}
	return mixWeights[len(mixWeights)-1].op
}

func mixTotalWeight() int {
	n := 0
	for _, w := range mixWeights {
		n += w.weight
	}
	return n
}

// OpCount is what one operation of the mix saw.
type OpCount struct {
	Op                     string
	Requests, Errors, Shed uint64
}

// MixStats counts the answers of a mixed load; safe for concurrent use.
type MixStats struct {
	mu                     sync.Mutex
	requests, errors, shed uint64
	byOp                   map[string]*OpCount
	firstErrors, firstShed []string
}

// maxKeptErrors is how many unexpected answers, and how many shed ones,
// are kept to be shown.
const maxKeptErrors = 10

func newMixStats() *MixStats { return &MixStats{byOp: map[string]*OpCount{}} }

// Totals returns the requests sent, the unexpected answers (and failed
// requests) and the shed ones so far.
func (s *MixStats) Totals() (requests, errors, shed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.errors, s.shed
}

// ByOp returns the counts per operation in the mix's order.
func (s *MixStats) ByOp() []OpCount {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OpCount
	for _, w := range mixWeights {
		if c, ok := s.byOp[w.op]; ok {
			out = append(out, *c)
		}
	}
	return out
}

// FirstErrors returns the first unexpected answers, described.
func (s *MixStats) FirstErrors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.firstErrors)
}

// FirstShed returns the first answers that shed load, described.
func (s *MixStats) FirstShed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.firstShed)
}

// record counts one answer. A 429, or a 503 that says when to come back,
// is load shed on purpose and counted apart; any other status than want,
// and a request that got no answer, is an error.
func (s *MixStats) record(op, method, path string, want, status int, header http.Header, body []byte, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.byOp[op]
	if c == nil {
		c = &OpCount{Op: op}
		s.byOp[op] = c
	}
	s.requests++
	c.Requests++
	switch {
	case err == nil && status == want:
	case err == nil && (status == http.StatusTooManyRequests ||
		status == http.StatusServiceUnavailable && header.Get("Retry-After") != ""):
		s.shed++
		c.Shed++
		if len(s.firstShed) < maxKeptErrors {
			s.firstShed = append(s.firstShed, fmt.Sprintf("%s %s (%s): %d %s", method, path, op, status, oneLine(body)))
		}
	default:
		s.errors++
		c.Errors++
		if len(s.firstErrors) < maxKeptErrors {
			what := fmt.Sprintf("%d %s", status, oneLine(body))
			if err != nil {
				what = err.Error()
			}
			s.firstErrors = append(s.firstErrors, fmt.Sprintf("%s %s (%s): %s", method, path, op, what))
		}
	}
}

// oneLine is the start of an answer's body on one line: enough to tell a
// problem document or an error page, not a page of HTML.
func oneLine(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// mix is a mixed load against one server: clients each signed in as a
// synthetic user of their own, reading public recipes by id and writing
// recipes of their own.
type mix struct {
	base    string
	ids     []string // public recipes to read
	client  *http.Client
	clients []*mixClient
	stats   *MixStats
}

type mixClient struct {
	n     int // 0-based, also its random seed
	user  int // synthetic user number
	token string
	own   []string // the ids of the recipes it made, oldest first
	made  int
}

// newMix signs conns clients in (as synthetic users 1 … users, in turn)
// and collects the recipes to read; it sends no load yet.
func newMix(ctx context.Context, base string, users, conns int) (*mix, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns
	m := &mix{base: base, stats: newMixStats(), client: &http.Client{
		Transport: tr, Timeout: 30 * time.Second,
		// A redirect is an answer to judge, not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	var err error
	if m.ids, err = recipeIDs(ctx, m.client, base); err != nil {
		return nil, err
	}
	for i := range conns {
		c := &mixClient{n: i, user: i%users + 1}
		if c.token, err = loginAs(ctx, m.client, base, c.user, fmt.Sprintf("load-%d", i)); err != nil {
			return nil, err
		}
		m.clients = append(m.clients, c)
	}
	return m, nil
}

// run drives the load, every client one request at a time, until ctx is
// done, then closes the idle connections.
func (m *mix) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, c := range m.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c.n), 0x5eed))
			total := mixTotalWeight()
			for ctx.Err() == nil {
				m.step(ctx, c, rng, pickOp(rng.IntN(total)))
			}
		})
	}
	wg.Wait()
	m.client.CloseIdleConnections()
}

// step performs one operation of the mix.
func (m *mix) step(ctx context.Context, c *mixClient, rng *rand.Rand, op string) {
	id := m.ids[rng.IntN(len(m.ids))]
	// A client with no recipe of its own creates one instead of editing
	// or deleting; one at the cap deletes instead of creating.
	switch {
	case (op == OpUpdate || op == OpDelete) && len(c.own) == 0:
		op = OpCreate
	case op == OpCreate && len(c.own) >= mixOwnCap:
		op = OpDelete
	}
	get := func(path string) { m.send(ctx, op, http.MethodGet, path, "", nil, http.StatusOK) }
	switch op {
	case OpHome:
		get("/")
	case OpBrowse:
		get("/recipes")
	case OpHTMLSearch:
		get("/recipes?q=chicken")
	case OpRecipe:
		get("/recipes/" + id)
	case OpCook:
		get("/recipes/" + id + "/cook")
	case OpAPIList:
		get("/api/v1/recipes")
	case OpAPIGet:
		get("/api/v1/recipes/" + id)
	case OpAPISearch:
		get("/api/v1/recipes?q=chicken")
	case OpAPITypo:
		get("/api/v1/recipes?q=chiken")
	case OpCreate:
		body, err := recipeBody(int64(1000+c.n), c.made)
		if err != nil {
			panic(err) // a fixed synthetic recipe always encodes
		}
		c.made++
		status, resp := m.send(ctx, op, http.MethodPost, "/api/v1/recipes", c.token, body, http.StatusCreated)
		var created struct {
			ID string `json:"id"`
		}
		if status == http.StatusCreated && json.Unmarshal(resp, &created) == nil && created.ID != "" {
			c.own = append(c.own, created.ID)
		}
	case OpUpdate:
		own := c.own[rng.IntN(len(c.own))]
		body := fmt.Appendf(nil, `{"title": "Load test recipe %d, edited"}`, rng.IntN(1_000_000))
		m.send(ctx, op, http.MethodPatch, "/api/v1/recipes/"+own, c.token, body, http.StatusOK)
	case OpDelete:
		own := c.own[0]
		// Forgotten whatever the answer: a delete that failed is counted
		// as an error, and retrying it would count it twice.
		c.own = c.own[1:]
		m.send(ctx, op, http.MethodDelete, "/api/v1/recipes/"+own, c.token, nil, http.StatusNoContent)
	case OpSignIn:
		var out struct {
			Token string `json:"token"`
		}
		body, err := json.Marshal(map[string]string{"login": seed.SyntheticUser(c.user).Username,
			"password": seed.SyntheticPassword, "token_name": "load sign-in"})
		if err != nil {
			panic(err) // three strings always encode
		}
		status, resp := m.send(ctx, op, http.MethodPost, "/api/v1/auth/login", "", body, http.StatusOK)
		if status == http.StatusOK && json.Unmarshal(resp, &out) == nil && out.Token != "" {
			// Signing out revokes the new token, so tokens do not pile up.
			m.send(ctx, op, http.MethodPost, "/api/v1/auth/logout", out.Token, nil, http.StatusNoContent)
		}
	default:
		panic("unknown operation " + op)
	}
}

// send makes one request and records its answer, unless ctx ended it: a
// request cut short by the end of the load is no answer of the server's.
func (m *mix) send(ctx context.Context, op, method, path, token string, body []byte, want int) (int, []byte) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.base+path, rd)
	if err != nil {
		m.stats.record(op, method, path, want, 0, nil, nil, err)
		return 0, nil
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := m.client.Do(req)
	if ctx.Err() != nil {
		if err == nil {
			resp.Body.Close()
		}
		return 0, nil
	}
	if err != nil {
		m.stats.record(op, method, path, want, 0, nil, nil, err)
		return 0, nil
	}
	// Read to the end so the connection is reused.
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ctx.Err() != nil {
		return 0, nil
	}
	m.stats.record(op, method, path, want, resp.StatusCode, resp.Header, b, err)
	return resp.StatusCode, b
}
