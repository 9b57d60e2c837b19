package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// vocabulary says how a markup flavour of schema.org is written: which
// attribute opens an item and names its type, and which names a property.
type vocabulary struct {
	scopeAttr string // an element with this attribute opens an item
	typeAttr  string // the item's type(s)
	propAttr  string // a property's name(s)
	via       string
}

var (
	microdata = vocabulary{scopeAttr: "itemscope", typeAttr: "itemtype", propAttr: "itemprop", via: "microdata"}
	rdfa      = vocabulary{scopeAttr: "typeof", typeAttr: "typeof", propAttr: "property", via: "rdfa"}
)

// maxMarkupProps bounds the properties read from a page's markup items.
const maxMarkupProps = 20000

// recipeItems returns each Recipe item of doc written in vocabulary v as
// a node in JSON-LD's shape, so one reader serves every flavour. Recipes
// nested in another recipe are not listed separately.
func (v vocabulary) recipeItems(doc *goquery.Document) []node {
	var out []node
	budget := maxMarkupProps
	doc.Find("[" + v.scopeAttr + "]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !v.isRecipe(s) {
			return true
		}
		if p := s.Parent().Closest("[" + v.scopeAttr + "]"); p.Length() > 0 && v.isRecipe(p) {
			return true
		}
		out = append(out, v.item(s, 0, &budget))
		return len(out) < 10 && budget > 0
	})
	return out
}

func (v vocabulary) isRecipe(s *goquery.Selection) bool {
	t, _ := s.Attr(v.typeAttr)
	for _, f := range strings.Fields(t) {
		if typeName(f) == "recipe" {
			return true
		}
	}
	return false
}

// item builds the node of the item scope opens: each property whose
// nearest enclosing item is scope, an item-valued property as a nested
// node, repeated properties as lists.
func (v vocabulary) item(scope *goquery.Selection, depth int, budget *int) node {
	n := node{}
	if t, ok := scope.Attr(v.typeAttr); ok {
		n["@type"] = t
	}
	if depth > 8 {
		return n
	}
	scopeNode := scope.Get(0)
	scope.Find("[" + v.propAttr + "]").EachWithBreak(func(_ int, p *goquery.Selection) bool {
		*budget--
		if *budget <= 0 {
			return false
		}
		if owner := p.Parent().Closest("[" + v.scopeAttr + "]"); owner.Length() == 0 || owner.Get(0) != scopeNode {
			return true
		}
		names, _ := p.Attr(v.propAttr)
		var val any
		if hasAttr(p, v.scopeAttr) {
			val = v.item(p, depth+1, budget)
		} else {
			val = propertyValue(p)
		}
		for _, name := range strings.Fields(names) {
			name = localName(name)
			switch old := n[name].(type) {
			case nil:
				n[name] = val
			case []any:
				if len(old) < maxItems {
					n[name] = append(old, val)
				}
			default:
				n[name] = []any{old, val}
			}
		}
		return true
	})
	joinRepeatedLines(n)
	return n
}

// joinRepeatedLines makes each value of a repeated property one line,
// however its element's markup is laid out ("<li><div>40 g</div><div>
// bacon</div></li>"): repeating the property is how the page says where
// one entry ends. A property given once keeps its line breaks, for pages
// that put a whole list in one element. Steps keep theirs either way.
func joinRepeatedLines(n node) {
	for k, v := range n {
		list, ok := v.([]any)
		if !ok || len(list) < 2 || k == "recipeInstructions" || k == "instructions" {
			continue
		}
		for i, e := range list {
			if s, ok := e.(string); ok {
				list[i] = strings.ReplaceAll(s, "\n", " ")
			}
		}
	}
}

func hasAttr(s *goquery.Selection, name string) bool {
	_, ok := s.Attr(name)
	return ok
}

// localName strips a vocabulary prefix or URL: "schema:name" and
// "http://schema.org/name" are "name".
func localName(s string) string {
	if i := strings.LastIndexAny(s, "/:#"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// propertyValue is the value of a property element as the markup
// specifications define it: content, then the URL of a link or media
// element, a time's datetime, a data element's value, else the text
// with its block breaks.
func propertyValue(p *goquery.Selection) any {
	if c, ok := p.Attr("content"); ok {
		return c
	}
	switch goquery.NodeName(p) {
	case "img", "audio", "video", "source", "embed", "iframe", "track":
		for _, a := range []string{"src", "data-src", "data-lazy-src"} {
			if u, ok := p.Attr(a); ok && u != "" && !strings.HasPrefix(u, "data:") {
				return u
			}
		}
		return ""
	case "a", "link", "area":
		if u, ok := p.Attr("href"); ok {
			return u
		}
	case "time":
		if d, ok := p.Attr("datetime"); ok {
			return d
		}
	case "data", "meter":
		if d, ok := p.Attr("value"); ok {
			return d
		}
	}
	return textWithBreaks(p)
}

// blockElements end a line of text.
var blockElements = map[string]bool{
	"p": true, "div": true, "li": true, "br": true, "ol": true, "ul": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"section": true, "article": true, "blockquote": true, "dd": true, "dt": true, "table": true,
}

// textWithBreaks is the text of s with a line break at each block
// element's edges and the source's own line breaks turned into spaces,
// so that a list in one property reads as one line per entry.
func textWithBreaks(s *goquery.Selection) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 64 || b.Len() > 1<<20 {
			return
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(strings.NewReplacer("\n", " ", "\r", " ").Replace(n.Data))
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "button", "svg":
				return
			}
		}
		if n.Type == html.ElementNode && n.Data == "br" {
			// A line break within a block: one break, where a block's
			// edges leave a blank line.
			b.WriteByte('\n')
			return
		}
		block := n.Type == html.ElementNode && blockElements[n.Data]
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	for _, n := range s.Nodes {
		walk(n, 0)
	}
	return b.String()
}
