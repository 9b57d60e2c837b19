package ratelimit

import (
	"fmt"
	"time"
)

// Class groups the endpoints that share limits.
type Class string

const (
	// Login is a sign-in attempt (page or API). Password attempts are also
	// throttled per account, device and address by internal/account (on
	// the same Limiter); this bounds the request rate itself.
	Login Class = "login"
	// Register is an account creation.
	Register Class = "register"
	// Write is a change: recipes created, replaced, edited or deleted, and
	// account changes (profile, password, API tokens).
	Write Class = "write"
	// Search is a recipe list with a search query (q=).
	Search Class = "search"
	// Parse is the recipe editor's live reading of ingredient lines
	// (POST /api/v1/ingredients/parse): cheap, and asked for while typing,
	// so it has its own budget rather than spending the one saves need.
	Parse Class = "parse"
	// Upload is a photo upload: up to 20 MiB read and a second or more of
	// CPU to render its variants, so it has a budget of its own.
	Upload Class = "upload"
	// Import is a recipe import that may fetch from other sites: a
	// preview, a bulk import and its retry. Each asks a site for a page
	// on the server's behalf, so the budget is per hour; bulk imports
	// also count each address against a daily allowance per person
	// (internal/importer), and every fetch against ImportFetchesPerMinute.
	Import Class = "import"
	// Comment is posting or editing a comment on a recipe: a person
	// writes a few in an evening, so a budget of its own can be tight
	// enough to slow a flood without touching the one recipe saves need.
	// Deleting a comment is a Write. What one account may post per day is
	// capped in the store too (store.MaxCommentsPerDay).
	Comment Class = "comment"
	// ShareLink is a new share link of a recipe (page or API).
	ShareLink Class = "share_link"
	// ShareEmail is a share link sent by email: each one is a message to
	// an address the sender typed, so the budget is small and hourly.
	ShareEmail Class = "share_email"
	// Invitation is a household invitation, a link or an email (one
	// route makes both): an email goes to an address the inviter typed.
	Invitation Class = "invitation"
)

// ImportFetchesPerMinute caps the pages and photos the importer fetches
// from other sites per minute across the instance (across every replica
// with Redis), whoever asks: the server must not become a crawler for
// anyone, nor have its address blocked by the sites people import from.
const ImportFetchesPerMinute = 300

// ImportFetchKey is the limiter key of that cap.
const ImportFetchKey = "import:fetch:all"

// Scope says what a rule counts by.
type Scope string

const (
	// PerIP counts by client address (an IPv6 client by its /64, which
	// one household or host usually owns whole). It applies to every
	// request of the class, signed in or not.
	PerIP Scope = "ip"
	// PerUser counts by signed-in account, whatever address it uses; it
	// does not apply to anonymous requests.
	PerUser Scope = "user"
)

// Rule is one budget: Limit requests per Period, by Scope.
type Rule struct {
	Class  Class
	Scope  Scope
	Limit  int
	Period time.Duration
}

// Name identifies the rule in keys and logs: "login:ip".
func (r Rule) Name() string { return string(r.Class) + ":" + string(r.Scope) }

// Policy is RateLimit-Policy's form of the rule: "10;w=60".
func (r Rule) Policy() string { return fmt.Sprintf("%d;w=%d", r.Limit, int(r.Period/time.Second)) }

// Rules is every limit the server enforces — the one table to change.
// A request is refused when any rule of its class that applies is
// exhausted. Per-IP budgets are larger where many people share an address
// (an office, a mobile carrier's NAT) and a per-user rule bounds each of
// them.
var Rules = []Rule{
	// Sign-in: enough for typos and a password manager retrying; online
	// guessing of one account is bounded separately (internal/account's
	// throttle.go).
	{Login, PerIP, 10, time.Minute},
	// Registration: a household signing up together, not a bot farm.
	{Register, PerIP, 5, time.Hour},
	// Writes: one a second sustained per person is far beyond anyone
	// typing recipes; the per-IP budget leaves room for shared addresses.
	{Write, PerUser, 60, time.Minute},
	{Write, PerIP, 300, time.Minute},
	// Search is the most expensive read (full-text ranking, typo
	// correction); plain browsing is not limited.
	{Search, PerIP, 60, time.Minute},
	{Search, PerUser, 60, time.Minute},
	// Previews: the editor asks after each pause in typing, a few a
	// minute; a budget several times that is never felt by a person.
	{Parse, PerUser, 120, time.Minute},
	{Parse, PerIP, 600, time.Minute},
	// Photos: a cook adding a whole gallery at once is 20; a hundred an
	// hour is far beyond that and still bounds what one account makes the
	// workers render.
	{Upload, PerUser, 100, time.Hour},
	{Upload, PerIP, 300, time.Hour},
	// Imports: a person trying recipes from a few sites in an evening
	// makes a dozen; sixty an hour is far beyond that and still keeps
	// one account from using the server to crawl.
	{Import, PerUser, 60, time.Hour},
	{Import, PerIP, 120, time.Hour},
	// Comments: ten in a minute is already a conversation at full tilt;
	// after that one every six seconds.
	{Comment, PerUser, 10, time.Minute},
	{Comment, PerIP, 60, time.Minute},
	// Share links: a cook handing a recipe to a dozen friends one by one
	// makes a dozen; sixty an hour bounds the rows one account writes.
	{ShareLink, PerUser, 60, time.Hour},
	{ShareLink, PerIP, 120, time.Hour},
	// Share emails go to addresses the sender types: ten an hour is a
	// dinner party's guest list, and too few to make the server a way
	// to flood someone's inbox or spam from its address.
	{ShareEmail, PerUser, 10, time.Hour},
	{ShareEmail, PerIP, 30, time.Hour},
	// Invitations: a family invites its few members once; twenty an hour
	// covers a typo or two, and with the household's cap of pending
	// invitations keeps the server from mailing anyone without end.
	{Invitation, PerUser, 20, time.Hour},
	{Invitation, PerIP, 60, time.Hour},
}
