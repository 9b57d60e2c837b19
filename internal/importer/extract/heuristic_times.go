package extract

import (
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// maxMetaElements bounds the elements pageTimes reads.
const maxMetaElements = 20000

// inlineTags may sit inside a line pageTimes reads: "<p><strong>Serves</strong>
// 4</p>" is one line.
var inlineTags = map[string]bool{"span": true, "strong": true, "b": true, "em": true, "i": true, "time": true,
	"small": true, "abbr": true, "br": true, "a": true}

// pageTimes reads a yield and times from the page's short lines of text
// ("Serves 4", "Prep time: 15 minutes | Cook: 1 hr"), for pages whose
// recipe has no structured data. A line counts only when all of it is
// times and a yield (metaLine), and the first line to give a field gives
// it, so a story that mentions an hour is not read as a cooking time.
// Lines are split at <br> ("Prep: 10 mins<br>Cook: 25 mins"), and a bare
// label ("Cooking time:") is read with the line after it, as pages lay
// label and value out in two boxes.
func pageTimes(doc *goquery.Document, r *Recipe) {
	var found Recipe
	seen := 0
	label := "" // a bare label waiting for its value on the next line
	read := func(t string) {
		var line Recipe
		switch {
		case label != "" && metaLine(label+" "+t, &line):
		case metaLine(t, &line):
		default:
			label = ""
			if bareMetaLabel(t) {
				label = t
			}
			return
		}
		label = ""
		if found.Yield == "" && line.Yield != "" {
			found.Yield, found.Servings = line.Yield, line.Servings
		}
		setInt(&found.PrepMinutes, line.PrepMinutes)
		setInt(&found.CookMinutes, line.CookMinutes)
		setInt(&found.TotalMinutes, line.TotalMinutes)
	}
	doc.Find("body").Find("*").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		seen++
		n := s.Nodes[0]
		if skipped[n.Data] || inlineTags[n.Data] || !onlyInline(n) {
			return seen < maxMetaElements
		}
		for _, t := range linesOf(n) {
			if len(t) <= maxMetaLine {
				read(t)
			}
		}
		return seen < maxMetaElements
	})
	sumTotal(&found)
	if r.Yield == "" && r.Servings == nil {
		r.Yield, r.Servings = found.Yield, found.Servings
	}
	setInt(&r.PrepMinutes, found.PrepMinutes)
	setInt(&r.CookMinutes, found.CookMinutes)
	setInt(&r.TotalMinutes, found.TotalMinutes)
}

// onlyInline reports whether n holds text and inline elements only.
func onlyInline(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !inlineTags[c.Data] {
			return false
		}
	}
	return true
}

// sumTotal sets a missing or zero total time to the sum of the prep and
// cook times, when they say otherwise.
func sumTotal(r *Recipe) {
	if (r.TotalMinutes == nil || *r.TotalMinutes == 0) && orZero(r.PrepMinutes)+orZero(r.CookMinutes) > 0 ||
		r.TotalMinutes == nil && (r.PrepMinutes != nil || r.CookMinutes != nil) {
		t := orZero(r.PrepMinutes) + orZero(r.CookMinutes)
		r.TotalMinutes = &t
	}
}
