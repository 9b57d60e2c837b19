package ui_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// recordedFlows stands in for the importer in the page tests: it answers
// each address of the fictional site recipes.test in a fixed way, saves
// into the real store, and records what the pages asked of it.
type recordedFlows struct {
	store *store.Store

	mu       sync.Mutex
	previews []importer.Source
	saves    []savedImport
	bulks    map[string]*importer.Bulk
	owners   map[string]string
	retried  []string
	// existing is the recipe Preview reports as imported before.
	existing *recipe.Summary
}

type savedImport struct {
	userID   string
	in       recipe.Input
	imageURL string
}

func newRecordedFlows(s *store.Store) *recordedFlows {
	return &recordedFlows{store: s, bulks: map[string]*importer.Bulk{}, owners: map[string]string{}}
}

// The answers by address.
const (
	pageOK      = "https://recipes.test/lemon-cake"
	pageBlocked = "https://recipes.test/blocked"
	pageEmpty   = "https://recipes.test/about-us"
	pageRefused = "http://10.0.0.1/recipe"
	pageImage   = "https://recipes.test/lemon-cake.jpg"
)

func lemonCake(source string) recipe.Input {
	in := recipe.Input{Title: "Lemon drizzle cake", Description: "A loaf cake soaked in lemon syrup.",
		PrepMinutes: intp(20), CookMinutes: intp(45), Visibility: recipe.Private, SourceURL: source,
		Steps:      []string{"Heat the oven to 180 °C.", "Beat the butter and sugar.", "Bake for 45 minutes.", "Stir the sugar into the lemon juice.", "Pour over the warm cake."},
		StepGroups: []recipe.StepGroup{{Title: "For the cake", Start: 0}, {Title: "For the drizzle", Start: 3}},
		Tags:       []string{"baking"}}
	for _, l := range []string{"225 g butter, softened", "225 g caster sugar", "4 eggs", "1 lemon, zested"} {
		in.Ingredients = append(in.Ingredients, recipe.IngredientLine(l))
	}
	return in
}

func (f *recordedFlows) Preview(_ context.Context, _ string, src importer.Source) (*importer.Preview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previews = append(f.previews, src)
	switch {
	case src.Text != "":
		in := recipe.Input{Title: strings.SplitN(strings.TrimSpace(src.Text), "\n", 2)[0], Visibility: recipe.Private,
			Steps: []string{"Mix everything."}}
		return &importer.Preview{Draft: &extract.Recipe{Title: in.Title, Via: "text"}, Input: in,
			Missing: []string{"ingredients", "servings", "time", "photo"}}, nil
	case src.HTML != "":
		if !strings.Contains(src.HTML, "Recipe") {
			return nil, importer.ErrNoRecipe
		}
		in := lemonCake(src.BaseURL)
		return &importer.Preview{Draft: &extract.Recipe{Title: in.Title, Via: "json-ld"}, Input: in, Missing: []string{"servings", "photo"}}, nil
	}
	switch src.URL {
	case pageBlocked:
		return nil, fmt.Errorf("fetch %s: status 403: %w", src.URL, importer.ErrBlocked)
	case pageEmpty:
		return nil, importer.ErrNoRecipe
	case pageRefused:
		return nil, importer.ErrHostRefused
	}
	in := lemonCake(src.URL)
	return &importer.Preview{Draft: &extract.Recipe{Title: in.Title, Via: "json-ld"}, Input: in, ImageURL: pageImage,
		Missing: []string{"servings"}, Existing: f.existing}, nil
}

func (f *recordedFlows) Save(ctx context.Context, userID string, in recipe.Input, imageURL string) (*recipe.Recipe, error) {
	if errs := in.Normalize(); len(errs) > 0 {
		return nil, errs.Err()
	}
	rec, err := f.store.CreateRecipe(ctx, userID, in)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves = append(f.saves, savedImport{userID: userID, in: in, imageURL: imageURL})
	return rec, nil
}

func (f *recordedFlows) StartBulk(_ context.Context, userID string, urls []string) (*importer.Bulk, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := &importer.Bulk{ID: fmt.Sprintf("bulk%d", len(f.bulks)+1), Status: importer.BulkQueued, Total: len(urls),
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	for _, u := range urls {
		b.Items = append(b.Items, importer.BulkItem{URL: u, Status: importer.BulkQueued})
	}
	f.bulks[b.ID], f.owners[b.ID] = b, userID
	return b, nil
}

func (f *recordedFlows) Bulk(_ context.Context, userID, id string) (*importer.Bulk, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bulks[id]
	if !ok || f.owners[id] != userID {
		return nil, importer.ErrBulkNotFound
	}
	cp := *b
	cp.Items = append([]importer.BulkItem(nil), b.Items...)
	return &cp, nil
}

func (f *recordedFlows) RetryBulk(ctx context.Context, userID, id string) (*importer.Bulk, error) {
	b, err := f.Bulk(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retried = append(f.retried, id)
	return b, nil
}

// finish sets how a bulk import ended, item by item.
func (f *recordedFlows) finish(id string, items ...importer.BulkItem) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.bulks[id]
	b.Status, b.Items, b.Done, b.Failed = importer.BulkDone, items, len(items), 0
	for _, it := range items {
		if it.Status == importer.BulkFailed {
			b.Failed++
		}
	}
}

func (f *recordedFlows) previewCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.previews)
}

func (f *recordedFlows) lastSave(t testing.TB) savedImport {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.saves) == 0 {
		t.Fatal("nothing was saved")
	}
	return f.saves[len(f.saves)-1]
}

// importSite is a site whose pages import through a recordedFlows.
func importSite(t *testing.T, engine string) (*site, *recordedFlows) {
	t.Helper()
	s := newSite(t, engine)
	f := newRecordedFlows(s.Store)
	s.App.SetImportFlows(f)
	return s, f
}
