// Package ui serves the web pages people use: server-rendered
// html/template pages that work without JavaScript, improved by a small
// script and htmx where available. Everything it serves is embedded in
// the binary; static files get content-hashed URLs (assets.go).
package ui

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/dataexport"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/notifications"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
)

// Options configure the web pages.
type Options struct {
	// BaseURL is the public URL, for canonical links and Open Graph tags.
	BaseURL string
	// AssetBaseURL is a CDN prefix for /static/, or "".
	AssetBaseURL string
	// SecureCookies is false only in development (plain http://localhost).
	SecureCookies bool
	// Flags answers feature-flag questions; nil gives every flag its
	// declared default.
	Flags FlagEvaluator
	// MFA is the second-factor service; Env decides whether admin pages
	// demand it (auth.RequireAdmin).
	MFA *account.MFA
	Env config.Env
	// Status is what the admin console's system status checks besides
	// the database (storage, job queue); nil checks neither.
	Status *admin.StatusSources
	// Photos stores recipe photos and avatars; nil hides every photo
	// field.
	Photos PhotoService
	// PhotoBudget counts one photo of a form post against the uploader's
	// upload rate limit (a form carries up to 21, its route counts once);
	// nil counts nothing.
	PhotoBudget func(r *http.Request) (ok bool, retryAfter time.Duration)
	// Imports is recipe import (a link, a page's HTML, text, a list of
	// links); nil hides it: no navigation entry, and its pages are 404.
	Imports importer.Flows
	// Exports makes data exports (Settings → Your data).
	Exports *dataexport.Service
	// SharedMaxAge is how long a shared cache (CDN) may keep a public
	// page for anonymous visitors (RECC_CACHE_SMAXAGE); 0 keeps every
	// page private.
	SharedMaxAge time.Duration
}

// FlagEvaluator is what the pages ask of feature flags (flags.Evaluator).
type FlagEvaluator interface {
	Enabled(ctx context.Context, key, userID string) bool
}

// UI holds what the page handlers share.
type UI struct {
	store         *store.Store
	accounts      *account.Service
	log           *slog.Logger
	assets        *Assets
	pages         *pageTemplates
	baseURL       string
	secureCookies bool
	flags         FlagEvaluator
	mfa           *account.MFA
	env           config.Env
	status        *admin.StatusSources
	photos        PhotoService
	photoBudget   func(r *http.Request) (bool, time.Duration)
	imports       importer.Flows
	aiService     *ai.Service
	exports       *dataexport.Service
	sharedMaxAge  time.Duration
	fragments     fragmentCache
	memo          pageMemo
	// resets is set by SetPasswordResets (passwordreset.go).
	resets *account.PasswordResets
	// emails is set by SetEmailChanges (emailchange.go).
	emails *account.EmailChanges
	// sharing is set by SetSharing (sharelinks.go).
	sharing *sharing.Service
	// invitations is set by SetInvitations (households.go).
	invitations *invitations.Service
	// notes is set by SetNotifications (notifications.go).
	notes *notifications.Service
	// archives is set by SetArchiveImports (importarchive.go).
	archives *importer.Archives
	// shutdown ends live lists when done (EndLiveOnShutdown, shopping.go).
	shutdown context.Context
	// live counts the open live lists (shopping.go).
	live liveConns
}

// New loads the assets and parses every template once, at start-up, so a
// broken template stops the server instead of failing a visitor.
func New(s *store.Store, accounts *account.Service, logger *slog.Logger, opt Options) (*UI, error) {
	assets, err := NewAssets(opt.AssetBaseURL)
	if err != nil {
		return nil, err
	}
	u := &UI{store: s, accounts: accounts, log: logger, assets: assets,
		baseURL: strings.TrimRight(opt.BaseURL, "/"), secureCookies: opt.SecureCookies, flags: opt.Flags,
		mfa: opt.MFA, env: opt.Env, status: opt.Status, photos: opt.Photos, photoBudget: opt.PhotoBudget,
		imports: opt.Imports, exports: opt.Exports, sharedMaxAge: opt.SharedMaxAge}
	u.pages, err = parseTemplates(u.funcs())
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Register adds the pages to mux. API routes are registered separately and
// take precedence for /api/.
func (u *UI) Register(mux *http.ServeMux) {
	route := func(pattern string, h http.HandlerFunc) { httpx.Route(mux, pattern, h) }
	// {file...}: vendored files live in a subdirectory (static/vendor/).
	route("GET /static/{file...}", u.assets.ServeHTTP)
	route("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		url, _ := u.assets.URL("favicon.svg")
		http.Redirect(w, r, url, http.StatusMovedPermanently)
	})

	route("GET /manifest.webmanifest", u.manifest)
	route("GET /sw.js", u.serviceWorkerScript)

	route("GET /{$}", u.home)
	route("GET /about", u.about)
	route("GET /register", u.registerForm)
	route("POST /register", u.register)
	route("GET /login", u.loginForm)
	route("POST /login", u.login)
	route("POST /logout", u.logout)
	route("GET /forgot-password", u.forgotForm)
	route("POST /forgot-password", u.forgot)
	route("GET /password-reset/{token}", u.resetForm)
	route("POST /password-reset/{token}", u.reset)
	route("GET /email-change/{token}", u.emailChangeForm)
	route("POST /email-change/{token}", u.confirmEmailChange)
	route("GET "+VerifyPath, u.verifyForm)
	route("POST "+VerifyPath, u.verify)

	route("GET /recipes", u.browse)
	route("GET /recipes/new", u.newRecipe)
	route("POST /recipes/new", u.createRecipe)
	route("GET /recipes/{id}", u.viewRecipe)
	route("GET /recipes/{id}/cook", u.cookMode)
	route("POST /recipes/{id}/units", u.chooseUnits)
	route("GET /recipes/{id}/edit", u.editRecipe)
	route("POST /recipes/{id}/edit", u.updateRecipe)
	route("GET /recipes/{id}/delete", u.confirmDelete)
	route("POST /recipes/{id}/delete", u.deleteRecipe)
	route("POST /recipes/{id}/like", u.markForm(likeMarker))
	route("POST /recipes/{id}/save", u.markForm(saveMarker))
	route("POST /recipes/{id}/rating", u.rateForm)
	route("GET /saved", u.saved)
	route("GET /recipes/{id}/collections", u.recipeCollections)
	route("POST /recipes/{id}/collections", u.setRecipeCollections)
	route("GET /collections", u.myCollections)
	route("POST /collections", u.createCollection)
	route("GET /c/{id}", u.viewCollection)
	route("GET /collections/{id}/edit", u.editCollectionForm)
	route("POST /collections/{id}/edit", u.editCollection)
	route("POST /collections/{id}/delete", u.deleteCollection)
	route("POST /collections/{id}/recipes/{recipeID}/move", u.moveInCollection)
	route("POST /collections/{id}/recipes/{recipeID}/remove", u.removeFromCollection)
	// Comments (comments.go).
	route("GET /recipes/{id}/comments", u.comments)
	route("POST /recipes/{id}/comments", u.postComment)
	route("GET /recipes/{id}/comments/{comment}/edit", u.editCommentForm)
	route("POST /recipes/{id}/comments/{comment}/edit", u.saveComment)
	route("POST /recipes/{id}/comments/{comment}/delete", u.deleteComment)
	route("POST /recipes/{id}/share-links", u.createShareLink)
	route("POST /recipes/{id}/share-links/email", u.emailShareLink)
	route("POST /recipes/{id}/share-links/{linkID}/revoke", u.revokeShareLink)
	route("GET /s/{token}", u.sharedRecipe)
	route("GET /household", u.householdPage)
	route("POST /household", u.renameHousehold)
	route("POST /household/invitations", u.inviteToHousehold)
	route("POST /household/invitations/{id}/withdraw", u.withdrawInvitation)
	route("POST /household/members/{userID}/role", u.setMemberRole)
	route("POST /household/members/{userID}/remove", u.removeMember)
	route("POST /household/leave", u.leaveHousehold)
	route("GET /household/join/{token}", u.invitationPage)
	route("POST /household/join/{token}", u.acceptInvitation)
	route("POST /household/join/{token}/decline", u.declineInvitation)
	route("GET /household/calendar/{file}", u.calendarFeed)
	route("GET /plan", u.planPage)
	route("GET /plan/month", u.planMonth)
	route("POST /plan", u.addToPlan)
	route("POST /plan/entries/{id}", u.changePlanEntry)
	route("POST /plan/calendar", u.newCalendar)
	route("GET /shopping", u.shoppingIndex)
	route("POST /shopping", u.createShoppingList)
	route("GET /shopping/add", u.shoppingAddPage)
	route("POST /shopping/add", u.addToShopping)
	route("GET /shopping/{id}", u.shoppingPage)
	route("POST /shopping/{id}", u.changeShoppingList)
	route("GET /shopping/{id}/events", u.shoppingEvents)
	route("POST /shopping/{id}/lines/{lineID}", u.changeShoppingLine)

	route("GET /import", u.importForm)
	route("POST /import", u.importPreview)
	route("POST /import/save", u.importSave)
	route("GET /import/bulk", u.bulkForm)
	route("POST /import/bulk", u.bulkStart)
	route("GET /import/bulk/{id}", u.bulkProgress)
	route("POST /import/bulk/{id}/retry", u.bulkRetry)
	route("GET /import/archive", u.archiveForm)
	route("POST /import/archive", u.archiveStart)
	route("GET /import/archive/{id}", u.archiveProgress)

	route("GET /u/{username}", u.profile)
	// Follows (follows.go).
	route("POST /u/{username}/follow", u.followForm)
	route("GET /u/{username}/followers", u.people(false))
	route("GET /u/{username}/following", u.people(true))

	// Notifications (notifications.go).
	route("GET /notifications", u.notificationsPage)
	route("GET /notifications/{id}", u.openNotification)
	route("POST /notifications/read", u.markNotificationsRead)
	route("GET /settings/notifications", u.notificationSettings)
	route("POST /settings/notifications", u.saveNotificationSettings)
	route("GET /unsubscribe/{token}", u.unsubscribeForm)
	route("POST /unsubscribe/{token}", u.unsubscribe)

	route("GET /settings", u.settings)
	route("POST /settings/profile", u.saveProfile)
	route("POST /settings/email", u.requestEmailChange)
	route("POST /settings/email/resend", u.resendEmailChange)
	route("POST /settings/email/cancel", u.cancelEmailChange)
	route("POST /settings/password", u.changePassword)
	route("POST /settings/units", u.saveUnitSetting)
	route("POST /settings/avatar", u.saveAvatar)
	route("POST /settings/avatar/remove", u.removeAvatar)
	route("POST /settings/tokens", u.createToken)
	route("POST /settings/tokens/{id}/revoke", u.revokeToken)
	route("POST /settings/mfa/start", u.startMFA)
	route("POST /settings/mfa/confirm", u.confirmMFA)
	route("POST /settings/mfa/disable", u.disableMFA)
	route("GET /settings/export", u.exportsPage)
	route("GET /settings/ai", u.aiHistory)
	route("POST /settings/export", u.requestExport)
	route("GET /settings/export/{id}/download", u.downloadExport)
	route("GET /settings/delete", u.confirmDeleteAccount)
	route("POST /settings/delete", u.deleteAccount)

	route("GET /admin", u.adminConsole)
	route("GET /admin/users/{id}/disable", u.adminConfirmDisable)
	route("POST /admin/users/{id}/disable", u.adminSetDisabled(true))
	route("POST /admin/users/{id}/enable", u.adminSetDisabled(false))
	route("POST /admin/users/{id}/role", u.adminSetRole())
	route("POST /admin/users/{id}/sessions/reset", u.adminResetSessions())
	route("POST /admin/users/{id}/revoke", u.adminRevoke())
	route("POST /admin/flags/{key}", u.adminSetFlag)

	route("/", u.unknownPath)
}

// requireUser returns the signed-in user, or sends the browser to the
// login page and back here afterwards.
func (u *UI) requireUser(w http.ResponseWriter, r *http.Request) *auth.User {
	if me := auth.UserFrom(r.Context()); me != nil {
		return me
	}
	http.Redirect(w, r, "/login?next="+urlQueryEscape(returnPath(r)), http.StatusSeeOther)
	return nil
}

// returnPath is where to come back to after logging in: the page itself
// for a GET; for a form post (whose URL has no page of its own) the page
// the form was on, when the Referer names this site.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		if r.URL.RawQuery != "" {
			return r.URL.Path + "?" + r.URL.RawQuery
		}
		return r.URL.Path
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return localPath(ref.Path)
	}
	return "/"
}

// CrossOriginRefused is the page for a form post from another site, which
// the cross-origin protection refuses.
func (u *UI) CrossOriginRefused(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusForbidden, "crossorigin", &page{Title: "Request refused"})
}

// unknownPath answers a path nothing serves: the friendly page for a
// browser, a problem document for an API client that strayed.
func (u *UI) unknownPath(w http.ResponseWriter, r *http.Request) {
	if !httpx.WantsHTML(r) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound, "No such page."))
		return
	}
	u.notFound(w, r)
}

// flagOn answers whether feature flag key is on for the visitor of r.
func (u *UI) flagOn(r *http.Request, key string) bool {
	if u.flags == nil {
		f, _ := flags.Lookup(key)
		return f.Default
	}
	userID := ""
	if me := auth.UserFrom(r.Context()); me != nil {
		userID = me.ID
	}
	return u.flags.Enabled(r.Context(), key, userID)
}
