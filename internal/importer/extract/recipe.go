// Package extract reads a recipe out of an HTML page or plain text. It does
// no I/O: the caller fetches the page. It understands schema.org Recipe in
// JSON-LD, microdata and RDFa, and falls back on heuristics (headings such
// as "Ingredients", the lists near them, recipe-plugin markup, Open Graph)
// where a page has no structured data. There are no per-site rules: what
// works for one site must follow from markup every site can use.
package extract

// Recipe is what a page yields: a draft, not yet validated. Every field may
// be empty; Missing tells a person which ones to fill in.
type Recipe struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	// Ingredients are the lines as the page gives them, cleaned of markup
	// and entities but otherwise verbatim; section headings ("For the
	// sauce:") are not among them: IngredientGroups says where each
	// section begins.
	Ingredients      []string `json:"ingredients"`
	IngredientGroups []Group  `json:"ingredient_groups,omitempty"`
	// Steps are the instructions, one step each, sections flattened in
	// order; StepGroups says where each section begins.
	Steps      []string    `json:"steps"`
	StepGroups []StepGroup `json:"step_groups,omitempty"`
	// Yield is the page's yield text ("8 servings", "1 loaf"); Servings its
	// leading number when there is one.
	Yield        string `json:"yield,omitempty"`
	Servings     *int   `json:"servings"`
	PrepMinutes  *int   `json:"prep_minutes"`
	CookMinutes  *int   `json:"cook_minutes"`
	TotalMinutes *int   `json:"total_minutes"`
	// ImageURL is the best image: the largest declared, made absolute.
	ImageURL  string            `json:"image_url"`
	SourceURL string            `json:"source_url"`
	Author    string            `json:"author,omitempty"`
	Keywords  []string          `json:"keywords,omitempty"`
	Cuisine   []string          `json:"cuisine,omitempty"`
	Category  []string          `json:"category,omitempty"`
	Nutrition map[string]string `json:"nutrition,omitempty"`
	Language  string            `json:"language,omitempty"`
	SiteName  string            `json:"site_name,omitempty"`
	// Via names where the recipe came from: "json-ld", "microdata",
	// "rdfa", "heuristic" or "text" (the main source when several helped).
	Via string `json:"via"`
}

// Group is a named section of a list ("For the sauce"): it starts at the
// item of index Start and runs to the next group's start or the end.
type Group struct {
	Title string `json:"title"`
	Start int    `json:"start"`
}

// StepGroup is a section of the steps.
type StepGroup = Group

// Found reports whether r holds enough to be called a recipe: a title and
// at least ingredients or steps.
func (r *Recipe) Found() bool {
	return r != nil && r.Title != "" && (len(r.Ingredients) > 0 || len(r.Steps) > 0)
}

// Limits on what extraction reads and returns, so a hostile page costs
// bounded work and yields a draft the recipe rules can accept or trim.
const (
	// MaxHTML is the most of a page extraction parses; the fetcher's own
	// limit is the same.
	MaxHTML = 5 << 20
	// MaxText is the most plain text FromText reads.
	MaxText = 200 << 10
)
