// Package api serves the JSON API v1 under /api/v1. Handlers stay thin:
// decode and validate, call the store, encode. Conventions (snake_case,
// RFC 3339 times, cursor pagination, problem+json errors) are in
// docs/api.md and the OpenAPI document served at /api/v1/openapi.json.
package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

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
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// API holds what the handlers share.
type API struct {
	store         *store.Store
	accounts      *account.Service
	log           *slog.Logger
	secureCookies bool
	// mfa and env are set by WithMFA (mfa.go).
	mfa *account.MFA
	env config.Env
	// flags is set by WithFlags (admin.go).
	flags *flags.Evaluator
	// status is set by WithStatusSources (admin.go).
	status *admin.StatusSources
	// answers seals the answers kept for Idempotency-Key retries; set by
	// WithAnswerSealer (idempotency_seal.go).
	answers *auth.Sealer
	// resets is set by WithPasswordResets (passwordreset.go).
	resets *account.PasswordResets
	// emails is set by WithEmailChanges (emailchange.go).
	emails *account.EmailChanges
	// photos is set by WithPhotos (photos.go).
	photos *photos.Service
	// imports is set by WithImports (imports.go).
	imports importer.Flows
	ai      *ai.Service
	// exports is set by WithExports (dataexport.go).
	exports *dataexport.Service
	// sharing is set by WithSharing (sharelinks.go).
	sharing *sharing.Service
	// invitations is set by WithInvitations (households.go).
	invitations *invitations.Service
	// archives is set by WithArchiveImports (archiveimports.go).
	archives *importer.Archives
}

// New returns the API. secureCookies is false only in development, where
// the server is plain http://localhost.
func New(s *store.Store, accounts *account.Service, logger *slog.Logger, secureCookies bool) *API {
	return &API{store: s, accounts: accounts, log: logger, secureCookies: secureCookies, answers: randomAnswerSealer()}
}

type routeDef struct {
	pattern string
	handler http.HandlerFunc
}

func (a *API) routes() []routeDef {
	return []routeDef{
		{"GET /api/v1/openapi.json", serveOpenAPI},

		{"POST /api/v1/auth/register", a.idempotentAnonymous(a.register)},
		{"POST /api/v1/auth/login", a.idempotentAnonymous(a.login)},
		{"POST /api/v1/auth/logout", a.logout},
		{"POST /api/v1/auth/password-reset", a.requestPasswordReset},
		{"POST /api/v1/auth/password-reset/confirm", a.confirmPasswordReset},
		{"POST /api/v1/auth/email-change/confirm", a.confirmEmailChange},
		{"GET /api/v1/auth/tokens", a.listTokens},
		{"POST /api/v1/auth/tokens", a.idempotent(a.createToken)},
		{"DELETE /api/v1/auth/tokens/{id}", a.revokeToken},

		{"GET /api/v1/me", a.me},
		{"PATCH /api/v1/me", a.updateMe},
		{"DELETE /api/v1/me", a.deleteMe},
		{"POST /api/v1/me/exports", a.requestExport},
		{"GET /api/v1/me/exports", a.listExports},
		{"GET /api/v1/me/exports/{id}", a.getExport},
		{"GET /api/v1/me/exports/{id}/download", a.downloadExport},
		{"POST /api/v1/me/password", a.changePassword},
		{"POST /api/v1/me/email-change/resend", a.resendEmailChange},
		{"DELETE /api/v1/me/email-change", a.cancelEmailChange},
		{"GET /api/v1/users/{username}", a.userProfile},
		// Follows and the feed (follows.go).
		{"PUT /api/v1/users/{username}/follow", a.follow(true)},
		{"DELETE /api/v1/users/{username}/follow", a.follow(false)},
		{"GET /api/v1/users/{username}/followers", a.followList(false)},
		{"GET /api/v1/users/{username}/following", a.followList(true)},
		{"GET /api/v1/me/feed", a.feed},
		// Notifications (notifications.go).
		{"GET /api/v1/me/notifications", a.notificationList},
		{"POST /api/v1/me/notifications/read", a.markNotificationsRead},
		{"GET /api/v1/me/notification-preferences", a.notificationPrefs},
		{"PUT /api/v1/me/notification-preferences", a.setNotificationPrefs},

		{"GET /api/v1/me/mfa", a.mfaStatus},
		{"POST /api/v1/me/mfa/totp", a.startTOTP},
		{"POST /api/v1/me/mfa/totp/confirm", a.confirmTOTP},
		{"DELETE /api/v1/me/mfa/totp", a.disableTOTP},
		{"POST " + VerifyPath, a.verifyMFA},

		{"GET /api/v1/admin/status", a.adminStatus},
		{"GET /api/v1/admin/users", a.adminSearchUsers},
		{"POST /api/v1/admin/users/{id}/disable", a.adminSetDisabled(true)},
		{"POST /api/v1/admin/users/{id}/enable", a.adminSetDisabled(false)},
		{"POST /api/v1/admin/users/{id}/role", a.adminSetRole},
		{"POST /api/v1/admin/users/{id}/sessions/reset", a.adminResetSessions},
		{"POST /api/v1/admin/users/{id}/revoke", a.adminRevoke},
		{"GET /api/v1/admin/flags", a.adminFlags},
		{"PUT /api/v1/admin/flags/{key}", a.adminSetFlag},
		{"GET /api/v1/admin/audit", a.adminAudit},

		{"GET /api/v1/recipes", a.listRecipes},
		{"POST /api/v1/recipes", a.idempotent(a.createRecipe)},
		{"GET /api/v1/recipes/{id}", a.getRecipe},
		{"PUT /api/v1/recipes/{id}", a.replaceRecipe},
		{"PATCH /api/v1/recipes/{id}", a.patchRecipe},
		{"DELETE /api/v1/recipes/{id}", a.deleteRecipe},
		{"PUT /api/v1/recipes/{id}/photo", a.setRecipePhoto},
		{"DELETE /api/v1/recipes/{id}/photo", a.deleteRecipePhoto},
		{"POST /api/v1/recipes/{id}/photos", a.addRecipePhoto},
		{"PATCH /api/v1/recipes/{id}/photos/{photo}", a.patchPhoto},
		{"DELETE /api/v1/recipes/{id}/photos/{photo}", a.deleteGalleryPhoto},
		{"PUT /api/v1/recipes/{id}/like", a.mark(likeSetter, true)},
		{"DELETE /api/v1/recipes/{id}/like", a.mark(likeSetter, false)},
		{"PUT /api/v1/recipes/{id}/save", a.mark(saveSetter, true)},
		{"DELETE /api/v1/recipes/{id}/save", a.mark(saveSetter, false)},
		{"PUT /api/v1/recipes/{id}/rating", a.rate},
		{"DELETE /api/v1/recipes/{id}/rating", a.unrate},
		{"GET /api/v1/me/saved", a.savedRecipes},
		// Comments (comments.go).
		{"GET /api/v1/recipes/{id}/comments", a.listComments},
		{"POST /api/v1/recipes/{id}/comments", a.idempotent(a.addComment)},
		{"PATCH /api/v1/recipes/{id}/comments/{comment}", a.editComment},
		{"DELETE /api/v1/recipes/{id}/comments/{comment}", a.deleteComment},
		{"GET /api/v1/recipes/{id}/share-links", a.listShareLinks},
		{"POST /api/v1/recipes/{id}/share-links", a.createShareLink},
		{"DELETE /api/v1/recipes/{id}/share-links/{linkID}", a.revokeShareLink},
		{"POST /api/v1/recipes/{id}/share-links/email", a.emailShareLink},
		{"GET /api/v1/shared/{token}", a.sharedRecipe},
		{"PUT /api/v1/me/avatar", a.setAvatar},
		{"DELETE /api/v1/me/avatar", a.deleteAvatar},

		{"GET /api/v1/collections", a.myCollections},
		{"POST /api/v1/collections", a.idempotent(a.createCollection)},
		{"GET /api/v1/collections/{id}", a.getCollection},
		{"PATCH /api/v1/collections/{id}", a.patchCollection},
		{"DELETE /api/v1/collections/{id}", a.deleteCollection},
		{"GET /api/v1/collections/{id}/recipes", a.collectionRecipes},
		{"POST /api/v1/collections/{id}/recipes", a.addToCollection},
		{"PATCH /api/v1/collections/{id}/recipes/{recipeID}", a.moveInCollection},
		{"DELETE /api/v1/collections/{id}/recipes/{recipeID}", a.removeFromCollection},
		{"GET /api/v1/users/{username}/collections", a.userCollections},

		{"GET /api/v1/households/current", a.myHousehold},
		{"PATCH /api/v1/households/current", a.renameHousehold},
		{"POST /api/v1/households/current/invitations", a.invite},
		{"DELETE /api/v1/households/current/invitations/{id}", a.withdrawInvitation},
		{"POST /api/v1/households/current/leave", a.leaveHousehold},
		{"PATCH /api/v1/households/current/members/{userID}", a.setMemberRole},
		{"DELETE /api/v1/households/current/members/{userID}", a.removeMember},
		{"GET /api/v1/households/invitations/{token}", a.openInvitation},
		{"POST /api/v1/households/invitations/{token}/accept", a.acceptInvitation},
		{"POST /api/v1/households/invitations/{token}/decline", a.declineInvitation},
		{"PUT /api/v1/households/current/slots", a.setSlots},
		{"GET /api/v1/meal-plan", a.mealPlan},
		{"POST /api/v1/meal-plan/entries", a.addEntry},
		{"PATCH /api/v1/meal-plan/entries/{id}", a.changeEntry},
		{"DELETE /api/v1/meal-plan/entries/{id}", a.deleteEntry},
		{"POST /api/v1/meal-plan/entries/{id}/copy", a.copyEntry},
		{"POST /api/v1/meal-plan/calendar", a.newCalendar},
		{"DELETE /api/v1/meal-plan/calendar", a.revokeCalendar},
		{"GET /api/v1/shopping-lists", a.listShoppingLists},
		{"POST /api/v1/shopping-lists", a.createShoppingList},
		{"GET /api/v1/shopping-lists/{id}", a.shoppingList},
		{"PATCH /api/v1/shopping-lists/{id}", a.renameShoppingList},
		{"DELETE /api/v1/shopping-lists/{id}", a.deleteShoppingList},
		{"POST /api/v1/shopping-lists/{id}/items", a.addShoppingItem},
		{"POST /api/v1/shopping-lists/{id}/recipes", a.addRecipesToList},
		{"POST /api/v1/shopping-lists/{id}/meal-plan", a.addPlanToList},
		{"PATCH /api/v1/shopping-lists/{id}/items/{itemID}", a.changeShoppingItem},
		{"DELETE /api/v1/shopping-lists/{id}/items/{itemID}", a.deleteShoppingItem},
		{"POST /api/v1/shopping-lists/{id}/clear-checked", a.clearChecked},

		{"POST /api/v1/ingredients/parse", a.parseIngredients},
		{"POST /api/v1/recipes/suggestions", a.suggest},
		{"GET /api/v1/me/ai-generations", a.myAIGenerations},

		{"POST /api/v1/imports", a.previewImport},
		{"POST /api/v1/imports/save", a.idempotent(a.saveImport)},
		{"POST /api/v1/imports/bulk", a.startBulkImport},
		{"GET /api/v1/imports/bulk/{id}", a.bulkImport},
		{"POST /api/v1/imports/bulk/{id}/retry", a.retryBulkImport},
		{"POST /api/v1/imports/archives", a.startArchiveImport},
		{"GET /api/v1/imports/archives/{id}", a.archiveImport},
	}
}

// Patterns lists every route pattern the API serves ("METHOD /path"), so
// a test can keep the OpenAPI document in step with them.
func (a *API) Patterns() []string {
	var out []string
	for _, r := range a.routes() {
		out = append(out, r.pattern)
	}
	return out
}

// Register adds the API routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	for _, r := range a.routes() {
		httpx.Route(mux, r.pattern, r.handler)
	}
	// Anything else under /api/ is a JSON problem, not a web page: 405
	// with Allow when the path exists under other methods, else 404.
	httpx.Route(mux, "/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusMethodNotAllowed, "This endpoint accepts "+strings.Join(allowed, ", ")+"."))
			return
		}
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound, "No such API endpoint. See /api/v1/openapi.json."))
	}))
}

// requireUser returns the signed-in user or answers 401.
func requireUser(w http.ResponseWriter, r *http.Request) *auth.User {
	u := auth.UserFrom(r.Context())
	if u == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="reccollection"`)
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnauthorized, "Sign in or send a bearer token."))
	}
	return u
}

// fail answers an unexpected error with 500 and logs it; known store
// conditions get their own status, and a database outage 503.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ce *store.ConflictError
	var ve *validate.Error
	var pr *httpx.Problem
	var te *account.ThrottledError
	if p := emailChangeProblem(w, err); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	switch {
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(te.Seconds()))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusTooManyRequests,
			"Too many failed attempts. Try again in "+strconv.Itoa(te.Seconds())+" seconds."))
	case errors.Is(err, admin.ErrSelfDisable):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, admin.SelfDisableMessage))
	case errors.Is(err, admin.ErrSelfDemote):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, admin.SelfDemoteMessage))
	case errors.Is(err, account.ErrTooManyTokens):
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, "You have the maximum of "+strconv.Itoa(account.MaxTokens)+" API tokens; revoke one first."))
	case errors.As(err, &pr):
		p := *pr
		httpx.WriteProblem(w, r, &p)
	case errors.As(err, &ve):
		httpx.WriteProblem(w, r, httpx.Invalid(ve.Fields))
	case errors.As(err, &ce):
		p := httpx.NewProblem(http.StatusConflict, ce.Error()+".")
		p.Errors = validate.Errors{{Field: ce.Field, Message: "is already taken"}}
		httpx.WriteProblem(w, r, p)
	case errors.Is(err, store.ErrNotFound):
		notFound(w, r)
	case store.IsUnavailable(err):
		// An outage passes: 503 with Retry-After, logged but not reported
		// as a fault (the database's own alerts cover it).
		a.log.WarnContext(r.Context(), "database unavailable", "err", err, "request_id", httpx.RequestID(r.Context()))
		httpx.WriteUnavailable(w, r)
	case errors.Is(err, r.Context().Err()) && r.Context().Err() != nil:
		// The client went away; nobody reads this answer.
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "The request was cancelled."))
	default:
		a.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", httpx.RequestID(r.Context()))
		httpx.ReportError(r.Context(), err)
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusInternalServerError,
			"Something went wrong on our side. Quote the request id if you report it."))
	}
}

func notFound(w http.ResponseWriter, r *http.Request) {
	httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusNotFound, "Not found."))
}
