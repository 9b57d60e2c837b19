package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// recipeRequest is the body of POST, PUT and PATCH. For PATCH it is first
// filled from the stored recipe and the body is decoded over it, which is
// JSON merge-patch semantics for top-level fields: what is present
// replaces, what is absent stays, null clears a number.
type recipeRequest struct {
	Title       string            `json:"title"`
	Description string            `json:"description"`
	PrepMinutes *int              `json:"prep_minutes"`
	CookMinutes *int              `json:"cook_minutes"`
	Servings    *int              `json:"servings"`
	Difficulty  recipe.Difficulty `json:"difficulty"`
	Visibility  recipe.Visibility `json:"visibility"`
	SourceURL   string            `json:"source_url"`
	// SourceAuthor credits the creator of a recipe from someone else's
	// page or post.
	SourceAuthor string            `json:"source_author"`
	Ingredients  []ingredientInput `json:"ingredients"`
	// IngredientGroups and StepGroups are pointers so that PATCH can tell
	// "not sent" (nil) from "none" ([]).
	IngredientGroups *[]recipe.IngredientGroup `json:"ingredient_groups"`
	Steps            []string                  `json:"steps"`
	StepGroups       *[]recipe.StepGroup       `json:"step_groups"`
	Tags             []string                  `json:"tags"`
	Categories       []string                  `json:"categories"`
}

// ingredientInput accepts either a line of text ("2-3 cloves garlic"),
// which recipe.Input.Normalize parses, or an object with the parsed fields
// (an object with only original is a line too).
type ingredientInput struct {
	ing recipe.Ingredient
}

// ingredientObject is the object form.
type ingredientObject struct {
	Quantity    *float64 `json:"quantity"`
	QuantityMax *float64 `json:"quantity_max"`
	Unit        string   `json:"unit"`
	Name        string   `json:"name"`
	Note        string   `json:"note"`
	Original    string   `json:"original"`
}

func (ingredientInput) ObjectShape() any { return ingredientObject{} }

func (i *ingredientInput) UnmarshalJSON(b []byte) error {
	var line string
	if err := json.Unmarshal(b, &line); err == nil {
		*i = ingredientInput{ing: recipe.IngredientLine(line)}
		return nil
	}
	var obj ingredientObject
	if err := json.Unmarshal(b, &obj); err != nil {
		return &httpx.FieldTypeError{Field: "ingredients", Message: "must list each ingredient as a string or an object with name, quantity, unit and note"}
	}
	*i = ingredientInput{ing: recipe.Ingredient(obj)}
	return nil
}

// toInput converts the request for recipe validation, which holds every
// input rule (defaults, limits, parsing lines) for the API and the form
// alike.
func (req *recipeRequest) toInput() recipe.Input {
	in := recipe.Input{
		Title: req.Title, Description: req.Description, PrepMinutes: req.PrepMinutes, CookMinutes: req.CookMinutes,
		Servings: req.Servings, Difficulty: req.Difficulty, Visibility: req.Visibility, SourceURL: req.SourceURL,
		SourceAuthor: req.SourceAuthor, Steps: req.Steps, Tags: req.Tags, Categories: req.Categories,
		Ingredients: make([]recipe.Ingredient, len(req.Ingredients)),
	}
	for k, ii := range req.Ingredients {
		in.Ingredients[k] = ii.ing
	}
	if req.IngredientGroups != nil {
		in.IngredientGroups = *req.IngredientGroups
	}
	if req.StepGroups != nil {
		in.StepGroups = *req.StepGroups
	}
	return in
}

func requestFromRecipe(r *recipe.Recipe) recipeRequest {
	ings := make([]ingredientInput, len(r.Ingredients))
	for i, ing := range r.Ingredients {
		ings[i] = ingredientInput{ing: ing}
	}
	return recipeRequest{
		Title: r.Title, Description: r.Description, PrepMinutes: r.PrepMinutes, CookMinutes: r.CookMinutes,
		Servings: r.Servings, Difficulty: r.Difficulty, Visibility: r.Visibility, SourceURL: r.SourceURL,
		SourceAuthor: r.SourceAuthor, Ingredients: ings, Steps: r.Steps, Tags: r.Tags, Categories: r.Categories,
	}
}

// decodeRecipe decodes and validates a recipe body into an Input, or
// answers the problem and returns ok=false.
func decodeRecipe(w http.ResponseWriter, r *http.Request, req *recipeRequest) (recipe.Input, bool) {
	if p := httpx.DecodeJSON(r, req); p != nil {
		httpx.WriteProblem(w, r, p)
		return recipe.Input{}, false
	}
	return validRecipe(w, r, req)
}

// validRecipe validates a decoded body into an Input, or answers the
// problem and returns ok=false.
func validRecipe(w http.ResponseWriter, r *http.Request, req *recipeRequest) (recipe.Input, bool) {
	in := req.toInput()
	if errs := in.Normalize(); len(errs) > 0 {
		httpx.WriteProblem(w, r, httpx.Invalid(errs))
		return recipe.Input{}, false
	}
	return in, true
}

func viewerOf(r *http.Request) recipe.Viewer {
	u := auth.UserFrom(r.Context())
	if u == nil {
		return recipe.Viewer{}
	}
	return recipe.Viewer{UserID: u.ID, Admin: u.IsAdmin()}
}

func (a *API) createRecipe(w http.ResponseWriter, r *http.Request) {
	u := requireUser(w, r)
	if u == nil {
		return
	}
	var req recipeRequest
	in, ok := decodeRecipe(w, r, &req)
	if !ok {
		return
	}
	rec, err := a.store.CreateRecipe(r.Context(), u.ID, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/recipes/"+rec.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, rec)
}

// loadVisible loads a recipe the caller may read, answering 404 for one
// that does not exist and for one the caller may not know exists.
func (a *API) loadVisible(w http.ResponseWriter, r *http.Request) (*recipe.Recipe, bool) {
	rec, err := a.store.Recipe(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return nil, false
	}
	if !recipe.CanRead(&rec.Summary, viewerOf(r)) {
		notFound(w, r)
		return nil, false
	}
	return rec, true
}

// loadEditable loads a recipe the caller may change: 401 when anonymous,
// 404 when hidden, 403 when visible but someone else's.
func (a *API) loadEditable(w http.ResponseWriter, r *http.Request) (*recipe.Recipe, bool) {
	if requireUser(w, r) == nil {
		return nil, false
	}
	rec, ok := a.loadVisible(w, r)
	if !ok {
		return nil, false
	}
	if !recipe.CanEdit(&rec.Summary, viewerOf(r)) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusForbidden, "Only the author can change this recipe."))
		return nil, false
	}
	return rec, true
}

func (a *API) getRecipe(w http.ResponseWriter, r *http.Request) {
	me := auth.UserFrom(r.Context())
	var userID string
	if me != nil {
		userID = me.ID
	}
	rec, mine, err := a.store.RecipeFor(r.Context(), r.PathValue("id"), userID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !recipe.CanRead(&rec.Summary, viewerOf(r)) {
		notFound(w, r)
		return
	}
	if rec.Visibility != recipe.Public || me != nil {
		// Shared caches must not keep what is not public, nor what
		// carries the caller's own marks.
		w.Header().Set("Cache-Control", "private, no-store")
	}
	if me != nil {
		httpx.WriteJSON(w, r, http.StatusOK, recipeForCaller{Recipe: rec, Mine: mine})
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, rec)
}

func (a *API) replaceRecipe(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	var req recipeRequest
	in, ok := decodeRecipe(w, r, &req)
	if !ok {
		return
	}
	a.saveRecipe(w, r, rec.ID, in)
}

func (a *API) patchRecipe(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	req := requestFromRecipe(rec)
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	// Sections belong to the list they were made for: when the body
	// leaves them out, they stay only while the list does.
	if req.IngredientGroups == nil && slices.EqualFunc(req.Ingredients, rec.Ingredients, sameIngredient) {
		req.IngredientGroups = &rec.IngredientGroups
	}
	if req.StepGroups == nil && slices.Equal(req.Steps, rec.Steps) {
		req.StepGroups = &rec.StepGroups
	}
	in, ok := validRecipe(w, r, &req)
	if !ok {
		return
	}
	a.saveRecipe(w, r, rec.ID, in)
}

// sameIngredient reports whether a sent ingredient is the stored one: the
// same object, or the same line of text.
func sameIngredient(sent ingredientInput, stored recipe.Ingredient) bool {
	if recipe.IsIngredientLine(sent.ing) {
		return sent.ing.Original == stored.Original
	}
	return reflect.DeepEqual(sent.ing, stored)
}

func (a *API) saveRecipe(w http.ResponseWriter, r *http.Request, id string, in recipe.Input) {
	updated, err := a.store.ReplaceRecipe(r.Context(), id, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, r, http.StatusOK, updated)
}

func (a *API) deleteRecipe(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.loadEditable(w, r)
	if !ok {
		return
	}
	if err := a.store.DeleteRecipe(r.Context(), rec.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type listResponse struct {
	Items      []*recipe.Summary `json:"items"`
	NextCursor string            `json:"next_cursor"`
	// IgnoredTerms are words of q too short to search for, so a client
	// can tell its user what was left out.
	IgnoredTerms []string `json:"ignored_terms,omitempty"`
	// Corrections are the words of q that matched nothing and were
	// widened with the closest known word (none with exact): free, the
	// search plan finds them anyway.
	Corrections []store.Correction `json:"corrections,omitempty"`
}

var sorts = map[string]store.Sort{
	"newest": store.SortNewest, "title": store.SortTitle, "quickest": store.SortQuickest, "relevance": store.SortRelevance,
}

// parseListQuery turns query parameters into a ListQuery, reporting every
// bad parameter at once.
func parseListQuery(q url.Values) (store.ListQuery, string, recipe.Search, validate.Errors) {
	var errs validate.Errors
	var lq store.ListQuery
	for key, vals := range q {
		if len(vals) > 1 {
			errs.Add(key, "must be given once")
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxListLimit {
			errs.Add("limit", "must be a whole number from 1 to %d", store.MaxListLimit)
		}
		lq.Limit = n
	}
	if v := q.Get("sort"); v != "" {
		s, ok := sorts[v]
		if !ok {
			errs.Add("sort", "must be one of: newest, title, quickest, relevance")
		}
		lq.Sort = s
	}
	search, qErrs := recipe.ParseSearch(q.Get("q"))
	errs = append(errs, qErrs...)
	lq.Query = strings.TrimSpace(q.Get("q"))
	if lq.Sort == store.SortRelevance && lq.Query == "" {
		errs.Add("sort", "relevance needs a search text q")
	}
	if v := q.Get("difficulty"); v != "" {
		validate.OneOf(&errs, "difficulty", recipe.Difficulty(v), recipe.Easy, recipe.Medium, recipe.Hard)
		lq.Difficulty = recipe.Difficulty(v)
	}
	if v := q.Get("visibility"); v != "" {
		validate.OneOf(&errs, "visibility", recipe.Visibility(v), recipe.Public, recipe.Unlisted, recipe.Private)
		lq.Visibility = recipe.Visibility(v)
	}
	if v := q.Get("max_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > recipe.MaxMinutes*2 {
			errs.Add("max_minutes", "must be a whole number of minutes from 0 to %d", recipe.MaxMinutes*2)
		}
		lq.MaxTotalMinutes = &n
	}
	lq.Tag = strings.ToLower(validate.Text(&errs, "tag", q.Get("tag"), 0, recipe.MaxLabel, false))
	lq.Category = strings.ToLower(validate.Text(&errs, "category", q.Get("category"), 0, recipe.MaxLabel, false))
	author := strings.ToLower(validate.Text(&errs, "author", q.Get("author"), 0, auth.MaxUsername, false))
	lq.Cursor = q.Get("cursor")
	switch q.Get("exact") {
	case "", "false":
	case "true":
		lq.Exact = true
	default:
		errs.Add("exact", "must be true or false")
	}
	return lq, author, search, errs
}

func (a *API) listRecipes(w http.ResponseWriter, r *http.Request) { a.list(w, r, "") }

// list answers a page of recipes, of savedBy's saved recipes when it is
// not "".
func (a *API) list(w http.ResponseWriter, r *http.Request, savedBy string) {
	lq, author, search, errs := parseListQuery(r.URL.Query())
	lq.SavedBy = savedBy
	if len(errs) > 0 {
		p := httpx.NewProblem(http.StatusBadRequest, "Some query parameters are invalid; see errors.")
		p.Errors = errs
		httpx.WriteProblem(w, r, p)
		return
	}
	if me := auth.UserFrom(r.Context()); me != nil {
		lq.ViewerID = me.ID
	}
	if author != "" {
		u, err := a.store.UserByUsername(r.Context(), author)
		if errors.Is(err, store.ErrNotFound) {
			httpx.WriteJSON(w, r, http.StatusOK, listResponse{Items: []*recipe.Summary{}})
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		lq.AuthorID = u.ID
	}
	page, err := a.store.ListRecipes(r.Context(), lq)
	if errors.Is(err, store.ErrSearchTimeout) {
		w.Header().Set("Retry-After", strconv.Itoa(int(store.SearchRetryAfter.Seconds())))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable,
			"The search took too long and was stopped. Try again in a moment, or with fewer or more specific words."))
		return
	}
	if errors.Is(err, store.ErrBadCursor) {
		p := httpx.NewProblem(http.StatusBadRequest, "The cursor is invalid or belongs to another sort; start again without it.")
		p.Errors = validate.Errors{{Field: "cursor", Message: "is invalid"}}
		httpx.WriteProblem(w, r, p)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if lq.ViewerID != "" {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	httpx.WriteJSON(w, r, http.StatusOK, listResponse{Items: page.Items, NextCursor: page.NextCursor,
		IgnoredTerms: search.Ignored, Corrections: page.Corrections})
}
