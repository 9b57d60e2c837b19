package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/reccollection/reccollection/internal/ai"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// WithImports enables the import routes; without it they answer 503.
func (a *API) WithImports(f importer.Flows) *API {
	a.imports = f
	return a
}

// maxImportBody bounds a preview request: a page's HTML of up to
// extract.MaxHTML survives JSON escaping (a client may write each < and
// > as \u003c, six bytes for one) within it.
const maxImportBody = 3*extract.MaxHTML + 64<<10

// importRequest is the body of POST /api/v1/imports: one of url, html
// (with base_url) and text.
type importRequest struct {
	URL     string `json:"url"`
	HTML    string `json:"html"`
	BaseURL string `json:"base_url"`
	Text    string `json:"text"`
	// AI asks the AI service to read text (when one is set up).
	AI bool `json:"ai"`
}

// importRecipe is a preview's recipe in the shape the recipe routes take
// and answer, ready to be edited and sent to POST /api/v1/imports/save.
type importRecipe struct {
	Title            string                   `json:"title"`
	Description      string                   `json:"description"`
	Ingredients      []recipe.Ingredient      `json:"ingredients"`
	IngredientGroups []recipe.IngredientGroup `json:"ingredient_groups"`
	Steps            []string                 `json:"steps"`
	StepGroups       []recipe.StepGroup       `json:"step_groups"`
	Servings         *int                     `json:"servings"`
	PrepMinutes      *int                     `json:"prep_minutes"`
	CookMinutes      *int                     `json:"cook_minutes"`
	TotalMinutes     *int                     `json:"total_minutes"`
	Difficulty       recipe.Difficulty        `json:"difficulty"`
	Visibility       recipe.Visibility        `json:"visibility"`
	Tags             []string                 `json:"tags"`
	Categories       []string                 `json:"categories"`
	SourceURL        string                   `json:"source_url"`
	SourceAuthor     string                   `json:"source_author"`
}

// importPreview is the answer of POST /api/v1/imports.
type importPreview struct {
	Draft    *extract.Recipe `json:"draft"`
	Recipe   importRecipe    `json:"recipe"`
	ImageURL string          `json:"image_url"`
	Missing  []string        `json:"missing"`
	Existing *recipe.Summary `json:"existing"`
}

func previewView(p *importer.Preview) importPreview {
	in := p.Input
	r := importRecipe{
		Title: in.Title, Description: in.Description, Ingredients: in.Ingredients, IngredientGroups: in.IngredientGroups, Steps: in.Steps,
		StepGroups: in.StepGroups, Servings: in.Servings, PrepMinutes: in.PrepMinutes, CookMinutes: in.CookMinutes,
		TotalMinutes: in.TotalMinutes(), Difficulty: in.Difficulty, Visibility: in.Visibility,
		Tags: in.Tags, Categories: in.Categories, SourceURL: in.SourceURL, SourceAuthor: in.SourceAuthor,
	}
	if r.TotalMinutes == nil && p.Draft != nil {
		// Only the total is known: shown, though prep and cook are not
		// (importer.inputOf says why).
		r.TotalMinutes = p.Draft.TotalMinutes
	}
	if r.Ingredients == nil {
		r.Ingredients = []recipe.Ingredient{}
	}
	if r.Steps == nil {
		r.Steps = []string{}
	}
	if r.IngredientGroups == nil {
		r.IngredientGroups = []recipe.IngredientGroup{}
	}
	if r.StepGroups == nil {
		r.StepGroups = []recipe.StepGroup{}
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	if r.Categories == nil {
		r.Categories = []string{}
	}
	missing := p.Missing
	if missing == nil {
		missing = []string{}
	}
	return importPreview{Draft: p.Draft, Recipe: r, ImageURL: p.ImageURL, Missing: missing, Existing: p.Existing}
}

// importSaveRequest is a recipe body as POST /api/v1/recipes takes it,
// with the photo to download.
type importSaveRequest struct {
	recipeRequest
	ImageURL string `json:"image_url"`
}

// bulkRequest is the body of POST /api/v1/imports/bulk.
type bulkRequest struct {
	URLs []string `json:"urls"`
}

// flows returns the import flows, or answers 503 when they are not set
// up, after requiring a signed-in user.
func (a *API) flows(w http.ResponseWriter, r *http.Request) (importer.Flows, string, bool) {
	u := requireUser(w, r)
	if u == nil {
		return nil, "", false
	}
	if a.imports == nil {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusServiceUnavailable, "Importing recipes is not available on this server."))
		return nil, "", false
	}
	return a.imports, u.ID, true
}

func (a *API) previewImport(w http.ResponseWriter, r *http.Request) {
	f, userID, ok := a.flows(w, r)
	if !ok {
		return
	}
	// A pasted page may be large and a phone's connection slow.
	httpx.PaceUpload(w, r, maxImportBody)
	var req importRequest
	if p := httpx.DecodeJSONUpTo(r, &req, maxImportBody); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	p, err := f.Preview(r.Context(), userID, importer.Source{URL: req.URL, HTML: req.HTML, BaseURL: req.BaseURL, Text: req.Text, AI: req.AI})
	if err != nil {
		a.importFailed(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, previewView(p))
}

func (a *API) saveImport(w http.ResponseWriter, r *http.Request) {
	f, userID, ok := a.flows(w, r)
	if !ok {
		return
	}
	var req importSaveRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	in := req.toInput()
	rec, err := f.Save(r.Context(), userID, in, req.ImageURL)
	if err != nil {
		a.importFailed(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/recipes/"+rec.ID)
	httpx.WriteJSON(w, r, http.StatusCreated, rec)
}

func (a *API) startBulkImport(w http.ResponseWriter, r *http.Request) {
	f, userID, ok := a.flows(w, r)
	if !ok {
		return
	}
	var req bulkRequest
	if p := httpx.DecodeJSON(r, &req); p != nil {
		httpx.WriteProblem(w, r, p)
		return
	}
	b, err := f.StartBulk(r.Context(), userID, req.URLs)
	if err != nil {
		a.importFailed(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/imports/bulk/"+b.ID)
	httpx.WriteJSON(w, r, http.StatusAccepted, b)
}

func (a *API) bulkImport(w http.ResponseWriter, r *http.Request) {
	f, userID, ok := a.flows(w, r)
	if !ok {
		return
	}
	b, err := f.Bulk(r.Context(), userID, r.PathValue("id"))
	if err != nil {
		a.importFailed(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, r, http.StatusOK, b)
}

func (a *API) retryBulkImport(w http.ResponseWriter, r *http.Request) {
	f, userID, ok := a.flows(w, r)
	if !ok {
		return
	}
	b, err := f.RetryBulk(r.Context(), userID, r.PathValue("id"))
	if err != nil {
		a.importFailed(w, r, err)
		return
	}
	status := http.StatusOK
	if b.Status == importer.BulkQueued {
		status = http.StatusAccepted
	}
	w.Header().Set("Location", "/api/v1/imports/bulk/"+b.ID)
	httpx.WriteJSON(w, r, status, b)
}

// importFailed answers an error of the import flows with its problem
// (importer.Problem), naming the field when there is one and suggesting
// when to try again for what may pass; anything else goes to fail.
func (a *API) importFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, title, detail := importer.Problem(err)
	if status == 0 {
		var ve *validate.Error
		if errors.As(err, &ve) {
			httpx.WriteProblem(w, r, httpx.Invalid(ve.Fields))
			return
		}
		a.fail(w, r, err)
		return
	}
	p := httpx.NewProblem(status, detail)
	p.Title = title
	if field := importer.ProblemField(err); field != "" {
		p.Errors = validate.Errors{{Field: field, Message: detail}}
	}
	switch {
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout,
		errors.Is(err, ai.ErrRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(importer.RetryAfterSeconds))
	case errors.Is(err, ai.ErrBudget):
		w.Header().Set("Retry-After", strconv.Itoa(24*60*60))
	}
	httpx.WriteProblem(w, r, p)
}
