package recipe

import (
	"fmt"
	"strings"
)

// SchemaOrg describes rec as a schema.org Recipe in JSON-LD, which search
// engines and other recipe apps read: the recipe page embeds it, and a
// data export writes one file of it per recipe. url is the recipe's
// address and images its photos' addresses (absolute on a page,
// relative to the file in an export), main photo first.
func SchemaOrg(rec *Recipe, url string, images []string) map[string]any {
	ld := map[string]any{
		"@context":      "https://schema.org",
		"@type":         "Recipe",
		"name":          rec.Title,
		"url":           url,
		"author":        map[string]any{"@type": "Person", "name": rec.Author.DisplayName},
		"datePublished": rec.CreatedAt.UTC().Format("2006-01-02"),
		"dateModified":  rec.UpdatedAt.UTC().Format("2006-01-02"),
	}
	if rec.Description != "" {
		ld["description"] = rec.Description
	}
	for key, m := range map[string]*int{"prepTime": rec.PrepMinutes, "cookTime": rec.CookMinutes, "totalTime": rec.TotalMinutes} {
		if m != nil {
			ld[key] = fmt.Sprintf("PT%dM", *m)
		}
	}
	if rec.Servings != nil {
		ld["recipeYield"] = fmt.Sprintf("%d servings", *rec.Servings)
	}
	var ings []string
	for _, ing := range rec.Ingredients {
		ings = append(ings, FormatIngredient(ing))
	}
	ld["recipeIngredient"] = ings
	ld["recipeInstructions"] = schemaOrgSteps(rec)
	if len(rec.Tags) > 0 {
		ld["keywords"] = strings.Join(rec.Tags, ", ")
	}
	if len(rec.Categories) > 0 {
		ld["recipeCategory"] = rec.Categories
	}
	if rec.SourceURL != "" {
		ld["isBasedOn"] = rec.SourceURL
	}
	if len(images) > 0 {
		ld["image"] = images
	}
	return ld
}

// schemaOrgSteps is a recipe's recipeInstructions: HowToSteps, inside a
// HowToSection for each named section, so an importer reading them back
// gets the same sections.
func schemaOrgSteps(rec *Recipe) []map[string]any {
	var out []map[string]any
	var section map[string]any // the open named section, if any
	next := 0
	for i, text := range rec.Steps {
		if next < len(rec.StepGroups) && rec.StepGroups[next].Start == i {
			section = nil
			if title := rec.StepGroups[next].Title; title != "" {
				section = map[string]any{"@type": "HowToSection", "name": title, "itemListElement": []map[string]any{}}
				out = append(out, section)
			}
			next++
		}
		step := map[string]any{"@type": "HowToStep", "position": i + 1, "text": text}
		if section == nil {
			out = append(out, step)
			continue
		}
		section["itemListElement"] = append(section["itemListElement"].([]map[string]any), step)
	}
	return out
}
