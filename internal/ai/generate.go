package ai

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/recipe"
)

// recipeSchema constrains the answer to a recipe: strict mode needs every
// property required and no others; a missing number is null.
var recipeSchema = json.RawMessage(`{
  "type": "object",
  "additionalProperties": false,
  "required": ["title", "description", "servings", "prep_minutes", "cook_minutes", "ingredients", "steps", "tags"],
  "properties": {
    "title": {"type": "string"},
    "description": {"type": "string"},
    "servings": {"type": ["integer", "null"]},
    "prep_minutes": {"type": ["integer", "null"]},
    "cook_minutes": {"type": ["integer", "null"]},
    "ingredients": {"type": "array", "items": {"type": "string"}},
    "steps": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}}
  }
}`)

const recipePrompt = `You turn a recipe written as free text (a message, a note, a social media caption) into JSON.
Use only what the text says: never invent ingredients, amounts, times or steps.
title: the dish's name. description: one or two sentences from the text, or "".
ingredients: one line each, as written, with its amount, unit and notes ("200 g flour, sifted").
steps: one instruction each, in order, without numbering.
servings, prep_minutes, cook_minutes: numbers stated in the text, else null.
tags: up to 8 short lower-case words the text names (its hashtags count), else [].
If the text holds no recipe, answer an empty title and empty lists.`

// recipeAnswer is the answer's shape; pointers tell a missing field from
// an empty one.
type recipeAnswer struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Servings    *int      `json:"servings"`
	PrepMinutes *int      `json:"prep_minutes"`
	CookMinutes *int      `json:"cook_minutes"`
	Ingredients *[]string `json:"ingredients"`
	Steps       *[]string `json:"steps"`
	Tags        *[]string `json:"tags"`
}

// Recipe asks the model to structure text as a recipe. The draft is for
// the importer to check like any other (its limits, a preview before any
// save); an answer that is not the schema's shape is ErrMalformed.
func (c *Client) Recipe(ctx context.Context, text string) (*extract.Recipe, *Generation, error) {
	if len(text) > MaxInputBytes {
		return nil, &Generation{Kind: "recipe", Model: c.model, Status: "error", Error: "input too long"},
			fmt.Errorf("%w: %d bytes, at most %d", ErrInputTooBig, len(text), MaxInputBytes)
	}
	answer, g, err := c.complete(ctx, "recipe", recipePrompt, text, recipeSchema)
	if err != nil {
		return nil, g, err
	}
	var a recipeAnswer
	if err := decodeStrict(answer, &a); err != nil {
		g.Status, g.Error = "malformed", err.Error()
		return nil, g, err
	}
	if err := a.complete(); err != nil {
		g.Status, g.Error = "malformed", err.Error()
		return nil, g, err
	}
	return &extract.Recipe{
		Title: *a.Title, Description: *a.Description, Servings: a.Servings, PrepMinutes: a.PrepMinutes,
		CookMinutes: a.CookMinutes, Ingredients: *a.Ingredients, Steps: *a.Steps, Keywords: *a.Tags, Via: "ai",
	}, g, nil
}

// complete reports a field the schema requires that the answer left out.
func (a *recipeAnswer) complete() error {
	for name, missing := range map[string]bool{
		"title": a.Title == nil, "description": a.Description == nil, "ingredients": a.Ingredients == nil,
		"steps": a.Steps == nil, "tags": a.Tags == nil,
	} {
		if missing {
			return fmt.Errorf("%w: no %s", ErrMalformed, name)
		}
	}
	return nil
}

// suggestionSchema constrains a suggestion.
var suggestionSchema = json.RawMessage(`{
  "type": "object",
  "additionalProperties": false,
  "required": ["title", "description", "tags"],
  "properties": {
    "title": {"type": "string"},
    "description": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}}
  }
}`)

const suggestionPrompt = `You suggest a title, a description and tags for a home cook's recipe, given its ingredients and steps.
title: the dish's plain name, at most 8 words, no adjectives like "delicious" or "amazing", never the word "recipe".
description: one or two plain sentences saying what the dish is and how it is made, from the ingredients and steps only.
tags: up to 8 short lower-case words (dish type, main ingredient, method, diet only when certain).`

// Suggest asks the model for a title, a description and tags for in.
// Tags the recipe has are not suggested again; each is a valid label.
func (c *Client) Suggest(ctx context.Context, in recipe.Input) (Suggestion, *Generation, error) {
	answer, g, err := c.complete(ctx, "suggestions", suggestionPrompt, recipeText(in), suggestionSchema)
	if err != nil {
		return Suggestion{}, g, err
	}
	var a struct {
		Title       *string   `json:"title"`
		Description *string   `json:"description"`
		Tags        *[]string `json:"tags"`
	}
	if err := decodeStrict(answer, &a); err != nil {
		g.Status, g.Error = "malformed", err.Error()
		return Suggestion{}, g, err
	}
	if a.Title == nil || a.Description == nil || a.Tags == nil {
		g.Status, g.Error = "malformed", "a field is missing"
		return Suggestion{}, g, fmt.Errorf("%w: a field is missing", ErrMalformed)
	}
	s := Suggestion{
		Title:       clipRunes(oneLine(*a.Title), recipe.MaxTitle),
		Description: clipRunes(strings.TrimSpace(*a.Description), 1000),
		Tags:        fresh(recipe.CleanLabels(8, *a.Tags), in.Tags),
	}
	return s, g, nil
}

// recipeText writes in as the model reads it best: plain text.
func recipeText(in recipe.Input) string {
	var b strings.Builder
	if t := strings.TrimSpace(in.Title); t != "" {
		fmt.Fprintf(&b, "Title as written so far: %s\n", t)
	}
	b.WriteString("Ingredients:\n")
	for _, ing := range in.Ingredients {
		line := ing.Original
		if line == "" {
			line = strings.TrimSpace(strings.Join([]string{ing.Unit, ing.Name, ing.Note}, " "))
		}
		fmt.Fprintf(&b, "- %s\n", line)
	}
	b.WriteString("Steps:\n")
	for i, s := range in.Steps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	if len(in.Tags) > 0 {
		fmt.Fprintf(&b, "Tags it has: %s\n", strings.Join(slices.Clone(in.Tags), ", "))
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}
