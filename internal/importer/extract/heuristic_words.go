package extract

import (
	"strings"
	"unicode"
)

// sectionKind names what a heading introduces.
type sectionKind int

const (
	notSection sectionKind = iota
	ingredientSection
	stepSection
	// endSection headings (Notes, Nutrition) close a recipe's section: what
	// follows them is not part of the list before.
	endSection
)

// sectionWords are the headings that introduce a recipe's parts, in the
// languages recipes are most often written in. They are lower case,
// without punctuation; headingKind normalises a heading the same way.
var sectionWords = map[string]sectionKind{
	"ingredients": ingredientSection, "ingredient": ingredientSection,
	"ingredient list": ingredientSection, "ingredients list": ingredientSection,
	"what you need": ingredientSection, "what you'll need": ingredientSection,
	"what you will need": ingredientSection, "you will need": ingredientSection,
	"you'll need": ingredientSection, "you need": ingredientSection, "recipe ingredients": ingredientSection,
	"shopping list": ingredientSection, "zutaten": ingredientSection,
	"zutatenliste": ingredientSection, "ingrédients": ingredientSection,
	"ingredients utilisés": ingredientSection, "ingredientes": ingredientSection,
	"ingredienti": ingredientSection, "ingrediënten": ingredientSection,
	"ingredienten": ingredientSection, "benodigdheden": ingredientSection,
	"wat heb je nodig": ingredientSection, "składniki": ingredientSection,
	"ingredienser": ingredientSection, "ainekset": ingredientSection,
	"hozzávalók": ingredientSection, "suroviny": ingredientSection,
	"ingredience": ingredientSection, "malzemeler": ingredientSection,
	"材料": ingredientSection, "食材": ingredientSection, "用料": ingredientSection,

	"instructions": stepSection, "instruction": stepSection,
	"directions": stepSection, "direction": stepSection, "method": stepSection,
	"preparation": stepSection, "steps": stepSection, "step by step": stepSection,
	"step-by-step": stepSection, "how to make it": stepSection,
	"how to make": stepSection, "recipe instructions": stepSection,
	"cooking instructions": stepSection, "procedure": stepSection,
	"zubereitung": stepSection, "anleitung": stepSection,
	"so wird's gemacht": stepSection, "préparation": stepSection,
	"étapes": stepSection, "etapes": stepSection, "instructions de préparation": stepSection,
	"preparación": stepSection, "preparacion": stepSection,
	"instrucciones": stepSection, "elaboración": stepSection,
	"elaboracion": stepSection, "modo de preparo": stepSection,
	"modo de preparación": stepSection, "procedimento": stepSection,
	"preparazione": stepSection, "istruzioni": stepSection,
	"bereiding": stepSection, "bereidingswijze": stepSection,
	"werkwijze": stepSection, "przygotowanie": stepSection,
	"sposób przygotowania": stepSection, "fremgangsmåde": stepSection,
	"tillagning": stepSection, "valmistus": stepSection,
	"gör så här": stepSection, "fremgangsmåte": stepSection,
	"elkészítés": stepSection, "elkészítése": stepSection, "postup": stepSection,
	"postup přípravy": stepSection, "postup prípravy": stepSection,
	"yapılışı": stepSection, "hazırlanışı": stepSection,
	"作り方": stepSection, "做法": stepSection, "步骤": stepSection,

	"notes": endSection, "note": endSection, "recipe notes": endSection,
	"tips": endSection, "recipe tips": endSection, "nutrition": endSection,
	"nutrition facts": endSection, "nutrition information": endSection,
	"nutrition info": endSection, "equipment": endSection,
	"comments": endSection, "reviews": endSection, "video": endSection,
	"you may also like": endSection, "related recipes": endSection,
	"more recipes": endSection, "leave a comment": endSection,
	"leave a reply": endSection, "storage": endSection, "faq": endSection,
	"faqs": endSection, "did you make this recipe": endSection,
	"hinweise": endSection, "tipps": endSection, "nährwerte": endSection,
	"nährwertangaben": endSection, "næringsinnhold": endSection, "näringsinnehåll": endSection,
	"næringsindhold": endSection, "ravintosisältö": endSection, "ravintoarvot": endSection,
	"valeurs nutritionnelles": endSection, "información nutricional": endSection,
	"valori nutrizionali": endSection, "voedingswaarde": endSection, "voedingswaarden": endSection,
	"wartości odżywcze": endSection, "informação nutricional": endSection,
	"notizen": endSection, "remarques": endSection, "astuces": endSection,
	"conseils": endSection, "notas": endSection, "consejos": endSection,
	"note e consigli": endSection, "consigli": endSection, "opmerkingen": endSection,
	"tips en tricks": endSection, "uwagi": endSection, "uwaga": endSection,
	"variation": endSection, "variations": endSection, "variante": endSection,
	"varianten": endSection, "variantes": endSection, "varianti": endSection,
	"variaties": endSection,
	"see also":  endSection, "voir aussi": endSection, "siehe auch": endSection,
	"ver también": endSection, "vedi anche": endSection, "zie ook": endSection,
	"se även": endSection, "zobacz też": endSection, "zobacz także": endSection,
}

// noteWords are the end words that still end a section with a qualifier
// after them ("Tips from our kitchen").
var noteWords = map[string]bool{
	"notes": true, "tips": true, "hinweise": true, "tipps": true, "notizen": true,
	"remarques": true, "astuces": true, "conseils": true, "notas": true, "consejos": true,
	"consigli": true, "opmerkingen": true, "uwagi": true,
}

// maxHeadingLen is the longest text read as a heading: a sentence that
// merely starts with "Ingredients" is not one.
const maxHeadingLen = 60

// maxHeadingWords is the most words of a heading that names a section
// among other words ("Les ingrédients de la recette").
const maxHeadingWords = 6

// normHeading lower-cases a heading and strips what decorates it: markdown
// '#', emoji, bullets, a trailing colon, surrounding punctuation.
func normHeading(s string) string {
	s = strings.ToLower(clean(s))
	s = strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return s
}

// headingKind says which section a short text introduces: exactly one of
// the section words, or one followed by a short qualifier ("Ingredients
// for 4 people", "Zutaten (für 2 Personen)", "Method:").
func headingKind(s string) sectionKind {
	if len(s) > maxHeadingLen {
		return notSection
	}
	h := normHeading(s)
	if h == "" {
		return notSection
	}
	if k, ok := sectionWords[h]; ok {
		return k
	}
	// A section word among the first two of a short heading: "Les
	// ingrédients de la recette", "The ingredients"; not a sentence that
	// mentions them ("Mix the dry ingredients").
	if words := strings.Fields(h); len(words) <= maxHeadingWords && !strings.HasSuffix(s, ".") {
		for _, w := range words[:min(2, len(words))] {
			if k := sectionWords[strings.Trim(w, ":,()")]; k == ingredientSection || k == stepSection {
				if len(w) >= 6 {
					return k
				}
			}
		}
	}
	// Notes or tips with a qualifier end a section too: "Tips from our
	// kitchen", "Notes for the baker".
	if words := strings.Fields(h); len(words) > 1 && len(words) <= maxHeadingWords && !strings.HasSuffix(s, ".") {
		if noteWords[strings.Trim(words[0], ":,()")] {
			return endSection
		}
	}
	// A qualifier after the word: "ingredients for the cake",
	// "instructions (step by step)". Try the longest prefix that is a
	// word of the table and ends at a word boundary.
	for i := len(h) - 1; i > 0; i-- {
		if h[i] != ' ' && h[i] != '(' && h[i] != ':' && h[i] != '-' && h[i] != ',' {
			continue
		}
		if k, ok := sectionWords[strings.TrimRight(h[:i], " :-,(")]; ok && k != endSection {
			return k
		}
	}
	return notSection
}
