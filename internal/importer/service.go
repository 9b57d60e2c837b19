package importer

import (
	"context"
	"time"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

// Source is what a person gives to import: a URL to fetch, a page's HTML
// (with the URL it came from, to resolve links), or plain text. Exactly one
// of URL, HTML and Text is set.
type Source struct {
	URL     string `json:"url,omitempty"`
	HTML    string `json:"html,omitempty"`
	BaseURL string `json:"base_url,omitempty"`
	Text    string `json:"text,omitempty"`
	// AI asks the AI service (Options.AI) to read Text instead of the
	// built-in reader.
	AI bool `json:"ai,omitempty"`
}

// Preview is an extracted recipe shown for checking before it is saved.
type Preview struct {
	// Draft is the extraction as read.
	Draft *extract.Recipe `json:"draft"`
	// Input is the draft in the recipe's own shape, ready for the recipe
	// form: ingredient lines parsed, text trimmed to the recipe limits,
	// visibility private, SourceURL set.
	Input recipe.Input `json:"-"`
	// ImageURL is the photo Save will download, or "".
	ImageURL string `json:"image_url"`
	// Missing names what the page did not give and a person should fill
	// in: any of "title", "ingredients", "steps", "servings", "time",
	// "photo".
	Missing []string `json:"missing"`
	// Existing is the person's own recipe already imported from the same
	// source URL, or nil; the flows offer it instead of a duplicate.
	Existing *recipe.Summary `json:"existing"`
}

// BulkStatus is where a bulk import, or one of its URLs, stands.
type BulkStatus string

const (
	BulkQueued  BulkStatus = "queued"
	BulkRunning BulkStatus = "running"
	BulkDone    BulkStatus = "done"    // an item: saved as RecipeID
	BulkFailed  BulkStatus = "failed"  // an item: Error says why
	BulkSkipped BulkStatus = "skipped" // an item: already imported (RecipeID)
)

// Bulk is a background import of a list of URLs.
type Bulk struct {
	ID        string     `json:"id"`
	Status    BulkStatus `json:"status"` // queued, running or done
	Total     int        `json:"total"`
	Done      int        `json:"done"` // items finished, whatever their result
	Failed    int        `json:"failed"`
	Items     []BulkItem `json:"items"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// BulkItem is one URL of a bulk import.
type BulkItem struct {
	URL      string     `json:"url"`
	Status   BulkStatus `json:"status"`
	RecipeID string     `json:"recipe_id,omitempty"`
	Title    string     `json:"title,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// MaxBulkURLs bounds one bulk import.
const MaxBulkURLs = 200

// Flows is what the API and the web app need of the importer; *Service
// implements it.
type Flows interface {
	// Preview fetches (for a URL) and extracts, saving nothing. A page
	// without a recipe is ErrNoRecipe; fetch failures are the Err* values.
	Preview(ctx context.Context, userID string, src Source) (*Preview, error)
	// Save creates in as a new recipe of userID (validated by the usual
	// rules, so it may return validate.Errors) and, when imageURL is set,
	// queues its download through the fetcher as the main photo. A photo
	// that cannot be had never costs the recipe.
	Save(ctx context.Context, userID string, in recipe.Input, imageURL string) (*recipe.Recipe, error)
	// StartBulk queues a bulk import of urls (1..MaxBulkURLs, each checked
	// as a URL first) and returns it.
	StartBulk(ctx context.Context, userID string, urls []string) (*Bulk, error)
	// Bulk returns one of userID's bulk imports, or ErrBulkNotFound.
	Bulk(ctx context.Context, userID, id string) (*Bulk, error)
	// RetryBulk queues the failed items of a finished bulk import again.
	RetryBulk(ctx context.Context, userID, id string) (*Bulk, error)
}
