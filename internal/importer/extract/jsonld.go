package extract

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Bounds on the JSON-LD a page may make extraction read.
const (
	// maxJSONLDBlocks is the most <script type="application/ld+json">
	// blocks read from one page.
	maxJSONLDBlocks = 50
	// maxJSONDepth is the deepest nesting of objects and arrays accepted
	// in a block; deeper blocks are skipped whole (no recipe is that deep).
	maxJSONDepth = 64
	// maxWalk bounds the nodes visited looking for recipes in one page.
	maxWalk = 100000
)

// jsonLDNodes decodes every JSON-LD block of doc, repairing the common
// faults of hand-made JSON, and returns the decoded values.
func jsonLDNodes(doc *goquery.Document) []any {
	var out []any
	doc.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t, _ := s.Attr("type")
		if !strings.Contains(strings.ToLower(t), "ld+json") {
			return true
		}
		if v, ok := decodeJSONLD(s.Text()); ok {
			out = append(out, v)
		}
		return len(out) < maxJSONLDBlocks
	})
	return out
}

// decodeJSONLD decodes one block, first as is and then repaired.
func decodeJSONLD(text string) (any, bool) {
	b := []byte(strings.TrimSpace(text))
	if len(b) == 0 {
		return nil, false
	}
	if jsonTooDeep(b) {
		return nil, false
	}
	var v any
	if err := json.Unmarshal(b, &v); err == nil {
		return v, true
	}
	if err := json.Unmarshal(repairJSON(b), &v); err == nil {
		return v, true
	}
	return nil, false
}

// jsonTooDeep reports whether b nests objects and arrays deeper than
// maxJSONDepth, counting brackets outside strings.
func jsonTooDeep(b []byte) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > maxJSONDepth {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

// repairJSON fixes what breaks hand-made JSON-LD most often: HTML comment
// or CDATA wrappers, raw control characters (newlines, tabs) inside
// strings, trailing commas before a closing bracket, and text after the
// value. It never makes valid JSON invalid.
func repairJSON(b []byte) []byte {
	s := string(b)
	for _, w := range []string{"//<![CDATA[", "//]]>", "<![CDATA[", "]]>", "<!--", "-->"} {
		s = strings.ReplaceAll(s, w, "")
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
	var out bytes.Buffer
	out.Grow(len(s))
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
				out.WriteByte(c)
			case c == '\\':
				escaped = true
				out.WriteByte(c)
			case c == '"':
				inString = false
				out.WriteByte(c)
			case c == '\n':
				out.WriteString(`\n`)
			case c == '\r':
			case c == '\t':
				out.WriteString(`\t`)
			case c < 0x20:
				out.WriteByte(' ')
			default:
				out.WriteByte(c)
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case ',':
			// A comma followed only by white space and a closing bracket
			// is dropped.
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t') {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		out.WriteByte(c)
	}
	return trimAfterValue(out.Bytes())
}

// trimAfterValue drops anything after the first complete top-level value
// (a second object pasted after the first, a stray semicolon).
func trimAfterValue(b []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return b
	}
	return raw
}

// node is one JSON-LD object.
type node = map[string]any

// graph indexes the objects of a page's JSON-LD by @id, so that a
// reference ({"@id": "#author"}) can be followed to the object it names.
type graph struct {
	byID map[string]node
}

// newGraph walks values (depth and node count bounded) and indexes every
// object that has an @id and more than that.
func newGraph(values []any) *graph {
	g := &graph{byID: map[string]node{}}
	budget := maxWalk
	for _, v := range values {
		walkJSON(v, 0, &budget, func(n node) {
			if id, ok := n["@id"].(string); ok && len(n) > 1 {
				if _, seen := g.byID[id]; !seen {
					g.byID[id] = n
				}
			}
		})
	}
	return g
}

// resolve returns the object a reference names, or v itself.
func (g *graph) resolve(v any) any {
	n, ok := v.(node)
	if !ok || len(n) != 1 {
		return v
	}
	id, ok := n["@id"].(string)
	if !ok {
		return v
	}
	if full, ok := g.byID[id]; ok {
		return full
	}
	return v
}

// walkJSON calls visit on every object within v, parents before children,
// in document order, down to maxJSONDepth and within budget nodes.
func walkJSON(v any, depth int, budget *int, visit func(node)) {
	if depth > maxJSONDepth || *budget <= 0 {
		return
	}
	*budget--
	switch t := v.(type) {
	case node:
		visit(t)
		// Visit keys in a fixed order so the first recipe found is the
		// same every time; @graph and mainEntity first, where sites put
		// the page's own recipe.
		for _, k := range sortedKeys(t) {
			walkJSON(t[k], depth+1, budget, visit)
		}
	case []any:
		for _, e := range t {
			walkJSON(e, depth+1, budget, visit)
		}
	}
}

// findRecipes returns the Recipe objects within values, in document order.
func findRecipes(values []any) []node {
	var out []node
	budget := maxWalk
	for _, v := range values {
		walkJSON(v, 0, &budget, func(n node) {
			if hasType(n["@type"], "recipe") {
				out = append(out, n)
			}
		})
	}
	return out
}

// hasType reports whether an @type value (a string, a list, or a full
// URL like "http://schema.org/Recipe") names the type want (lower case).
func hasType(t any, want string) bool {
	switch v := t.(type) {
	case string:
		return typeName(v) == want
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && typeName(s) == want {
				return true
			}
		}
	}
	return false
}

// typeName is the lower-case local name of a type: "Recipe",
// "schema:Recipe" and "https://schema.org/Recipe" are all "recipe".
func typeName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexAny(s, "/:#"); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(s)
}

// maxJSONAttrRepairs bounds the attribute values escapeJSONAttributes
// tries to read as JSON on one page.
const maxJSONAttrRepairs = 10

// jsonAttrOpenings are the starts of a double-quoted attribute value that
// holds a JSON list or object of strings: `content="[{"@type":…`.
var jsonAttrOpenings = [][]byte{[]byte(`="[{"`), []byte(`="{"`)}

// attrEscaper escapes what ends or changes a double-quoted attribute.
var attrEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;")

// escapeJSONAttributes escapes the quotes of JSON a page wrote into a
// double-quoted attribute without escaping them (some templates print a
// recipe's steps as JSON into a microdata content attribute): unrepaired,
// the attribute ends at the JSON's first quote and the steps are lost. A
// value is rewritten only when it is valid JSON closed by the attribute's
// quote.
func escapeJSONAttributes(page []byte) []byte {
	tries := 0
	for _, open := range jsonAttrOpenings {
		from := 0
		for tries < maxJSONAttrRepairs {
			i := bytes.Index(page[from:], open)
			if i < 0 {
				break
			}
			tries++
			start := from + i + 2 // the JSON's first byte
			from = start
			dec := json.NewDecoder(bytes.NewReader(page[start:]))
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				continue
			}
			end := start + int(dec.InputOffset())
			if end >= len(page) || page[end] != '"' {
				continue
			}
			escaped := []byte(attrEscaper.Replace(string(page[start:end])))
			page = append(page[:start:start], append(escaped, page[end:]...)...)
			from = start + len(escaped)
		}
	}
	return page
}
