package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/importer/extract"
)

// Other apps' exports are not always typed as documented ("servings": 4
// where "4" was expected, a unit given as a string rather than an
// object), and a wrong type should not cost the recipe: the types below
// read whatever a value turns out to be, and decodeJSON lets a field of
// the wrong type be empty rather than fail the whole recipe.

// text is a JSON value read as text: a string as it is, a number as
// written, anything else (null, a bool, an object) as nothing.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	*t = ""
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
	}
	return nil
}

// String is the text trimmed.
func (t text) String() string { return strings.TrimSpace(string(t)) }

// number is a JSON number, or a string that holds one ("2", "2,5"); ok is
// false when it is neither.
type number struct {
	v  float64
	ok bool
}

func (n *number) UnmarshalJSON(b []byte) error {
	*n = number{}
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t.String(), ",", "."), 64)
	if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		*n = number{f, true}
	}
	return nil
}

// positive is the number when it is one above zero.
func (n number) positive() (float64, bool) { return n.v, n.ok && n.v > 0 }

// flag is a JSON bool (or "true", 1); set is false when it is absent or
// null.
type flag struct {
	v, set bool
}

func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(b), `"`)) {
	case "true", "1":
		*f = flag{true, true}
	case "false", "0":
		*f = flag{false, true}
	default:
		*f = flag{}
	}
	return nil
}

// names is a list of labels as formats write them: ["a", "b"],
// [{"name": "a"}], or one string.
type names []string

func (ns *names) UnmarshalJSON(b []byte) error {
	*ns = nil
	if len(b) > 0 && b[0] == '"' {
		var t text
		if err := t.UnmarshalJSON(b); err != nil {
			return err
		}
		if s := t.String(); s != "" {
			*ns = names{s}
		}
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(b, &list) != nil {
		return nil
	}
	for _, raw := range list {
		var s text
		if len(raw) > 0 && raw[0] == '{' {
			var o struct {
				Name text `json:"name"`
			}
			_ = json.Unmarshal(raw, &o)
			s = o.Name
		} else {
			_ = s.UnmarshalJSON(raw)
		}
		if v := s.String(); v != "" {
			*ns = append(*ns, v)
		}
	}
	return nil
}

// decodeJSON decodes a recipe's JSON into v. The text must be UTF-8 (a
// leading byte order mark, which some editors write, is dropped); a
// value of the wrong type leaves its field empty and the rest is read.
func decodeJSON(data []byte, v any) error {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return errors.New("it is not UTF-8 text")
	}
	err := json.Unmarshal(data, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return nil
	}
	if err != nil {
		return errors.New("it is not valid JSON")
	}
	return nil
}

// paragraphs joins the non-empty texts with a blank line between them.
func paragraphs(texts ...string) string {
	var kept []string
	for _, t := range texts {
		if t = strings.TrimSpace(strings.ReplaceAll(t, "\r\n", "\n")); t != "" {
			kept = append(kept, t)
		}
	}
	return strings.Join(kept, "\n\n")
}

// labelled is body under a heading line ("Notes:\n…"), or "" when body
// is empty.
func labelled(heading, body string) string {
	if strings.TrimSpace(body) == "" {
		return ""
	}
	return heading + ":\n" + strings.TrimSpace(body)
}

// oneLine collapses white space, line breaks included.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// capText cuts s to at most n bytes at a character boundary: the
// importer trims politely to the recipe limits later; this only keeps a
// hostile file's megabytes of text out of memory.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxText bounds each text field read from another app's recipe.
const maxText = 64 << 10

// amount writes a quantity as a person would: whole numbers bare, common
// fractions as fractions ("1 1/2", "1/3"), other values as decimals of
// at most three places.
func amount(v float64) string {
	if v < 0 || v > 1e9 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	whole := math.Floor(v)
	frac := v - whole
	if frac < 0.001 {
		return strconv.FormatFloat(whole, 'f', 0, 64)
	}
	if frac > 0.999 {
		return strconv.FormatFloat(whole+1, 'f', 0, 64)
	}
	for _, d := range []float64{2, 3, 4, 8} {
		if n := math.Round(frac * d); n > 0 && math.Abs(frac-n/d) < 0.001 {
			f := strconv.FormatFloat(n, 'f', 0, 64) + "/" + strconv.FormatFloat(d, 'f', 0, 64)
			if whole == 0 {
				return f
			}
			return strconv.FormatFloat(whole, 'f', 0, 64) + " " + f
		}
	}
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// ingredientLine writes an ingredient's parts as one line: "200 g flour,
// sifted". Each part may be empty.
func ingredientLine(qty, unit, food, note string) string {
	line := oneLine(strings.Join([]string{qty, unit, food}, " "))
	note = oneLine(note)
	switch {
	case line == "":
		return note
	case note == "":
		return line
	}
	return line + ", " + note
}

// grouped is a list being built with its sections: a section's title
// starts a group at the next item added.
type grouped struct {
	items  []string
	groups []extract.Group
}

// section starts a group at the next item. A section with no item before
// the next one is dropped for it: two titles in a row head the items of
// the second.
func (g *grouped) section(title string) {
	title = oneLine(title)
	if title == "" {
		return
	}
	if n := len(g.groups); n > 0 && g.groups[n-1].Start == len(g.items) {
		g.groups = g.groups[:n-1]
	}
	g.groups = append(g.groups, extract.Group{Title: capText(title, maxText), Start: len(g.items)})
}

// add appends an item; an empty one is left out.
func (g *grouped) add(item string) {
	if item = strings.TrimSpace(item); item != "" {
		g.items = append(g.items, capText(item, maxText))
	}
}

// done drops a last section no item followed.
func (g *grouped) done() {
	if n := len(g.groups); n > 0 && g.groups[n-1].Start == len(g.items) {
		g.groups = g.groups[:n-1]
	}
}
