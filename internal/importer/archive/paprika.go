package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Paprika's .paprikarecipes export is a zip of one <name>.paprikarecipe
// per recipe, each a gzip-compressed JSON object; one recipe shared alone
// is a lone .paprikarecipe, which Read takes too. The JSON keeps its
// fields as text, as a person typed them:
//
//	name → Title; description → Description, then notes under "Notes:"
//	and nutritional_info under "Nutrition:" (RecCollection has no place
//	of its own for either, and both are the person's words, worth
//	keeping); ingredients (one per line) → Ingredients, a line such as
//	"For the sauce:" starting an ingredient group; directions (one step
//	per line or paragraph, numbers like "1." dropped) → Steps; servings
//	("4 servings") → Yield and its number Servings; prep_time,
//	cook_time, total_time ("15 mins", "1 hr 20 min") → the minutes;
//	source_url → SourceURL; source (a site's or a book's name) →
//	SiteName; image_url → ImageURL; categories → Category; photo_data
//	(base64) → the main photo; photos ([{name, filename, data}]) → the
//	gallery. rating, difficulty (free text in Paprika), uid, hash and
//	created are not kept.
//
// The lines are read as the importer reads a page's schema.org values
// (viaSchemaOrg), so headings, step numbers and durations are understood
// the same way as on the web, where most Paprika recipes were clipped.

type paprikaRecipe struct {
	Name            text           `json:"name"`
	Description     text           `json:"description"`
	Ingredients     text           `json:"ingredients"`
	Directions      text           `json:"directions"`
	Notes           text           `json:"notes"`
	NutritionalInfo text           `json:"nutritional_info"`
	Servings        text           `json:"servings"`
	PrepTime        text           `json:"prep_time"`
	CookTime        text           `json:"cook_time"`
	TotalTime       text           `json:"total_time"`
	Source          text           `json:"source"`
	SourceURL       text           `json:"source_url"`
	ImageURL        text           `json:"image_url"`
	Photo           text           `json:"photo"` // the main photo's file name
	PhotoData       text           `json:"photo_data"`
	Photos          []paprikaPhoto `json:"photos"`
	Categories      names          `json:"categories"`
}

type paprikaPhoto struct {
	Name     text `json:"name"`
	Filename text `json:"filename"`
	Data     text `json:"data"`
}

type paprikaReader struct {
	src   *source
	files []*file
}

func (r *paprikaReader) count() (int, error) { return len(r.files), nil }

func (r *paprikaReader) read(each func(Item) error) error { return eachFile(r.files, r.item, each) }

func (r *paprikaReader) item(f *file) (Item, error) {
	it := Item{Name: f.name}
	data, err := r.unpack(f)
	if isFatal(err) {
		return it, err
	}
	if err != nil {
		it.Err = err
		return it, nil
	}
	var p paprikaRecipe
	if err := decodeJSON(data, &p); err != nil {
		it.Err = badRecipe(f.name, err)
		return it, nil
	}
	it.Recipe = p.draft()
	if checkDraft(&it); it.Err != nil {
		return it, nil
	}

	ps := newPhotoSet(&it, true)
	ps.base64(photoName(f.name, p.Photo.String(), "photo_data"), string(p.PhotoData))
	for i, ph := range p.Photos {
		ps.base64(photoName(f.name, firstText(ph.Filename, ph.Name), fmt.Sprintf("photos[%d]", i)), string(ph.Data))
	}
	return it, nil
}

// unpack reads a recipe's JSON: gzipped as Paprika writes it, or plain,
// as some tools that write Paprika's format leave it. What it unpacks is
// counted and bounded; the gzip it unpacks from is bounded too.
func (r *paprikaReader) unpack(f *file) ([]byte, error) {
	rc, err := f.open()
	if err != nil {
		return nil, badRecipe(f.name, err)
	}
	defer rc.Close()
	br := bufio.NewReader(io.LimitReader(rc, limits.paprika+1))
	if head, _ := br.Peek(2); !bytes.Equal(head, gzipMagic) {
		return r.src.readFrom(f.name, br, limits.paprika)
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, badRecipe(f.name, err)
	}
	return r.src.readFrom(f.name, zr, limits.paprika)
}

// photoName names a photo for messages: its file name in Paprika when
// it has one, else the field it came from.
func photoName(entry, filename, field string) string {
	if filename = oneLine(filename); filename != "" {
		return entry + ": " + capText(filename, 200)
	}
	return entry + ": " + field
}

func (p *paprikaRecipe) draft() *extract.Recipe {
	node := map[string]any{
		"name":               capText(p.Name.String(), maxText),
		"recipeIngredient":   strings.Split(capText(p.Ingredients.String(), 4*maxText), "\n"),
		"recipeInstructions": capText(p.Directions.String(), 4*maxText),
		"recipeYield":        capText(p.Servings.String(), maxText),
		"prepTime":           capText(p.PrepTime.String(), 200),
		"cookTime":           capText(p.CookTime.String(), 200),
		"totalTime":          capText(p.TotalTime.String(), 200),
		"recipeCategory":     []string(p.Categories),
		"image":              capText(p.ImageURL.String(), 4096),
	}
	r := viaSchemaOrg(node, capText(p.SourceURL.String(), 4096))
	r.Via = string(Paprika)
	r.Description = capText(paragraphs(p.Description.String(),
		labelled("Notes", p.Notes.String()),
		labelled("Nutrition", p.NutritionalInfo.String())), maxText)
	if s := oneLine(p.Source.String()); s != "" {
		r.SiteName = capText(s, 1000)
	}
	return r
}
