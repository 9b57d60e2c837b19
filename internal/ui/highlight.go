package ui

import (
	"html/template"
	"slices"
	"strings"
	"unicode"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

// Highlighting what a search matched. The engines decide which recipes
// match (PostgreSQL's English stemmer, SQLite's porter stemmer and prefix
// match); the page then marks the words of a card that match a search
// word by a smaller rule of its own, run over the fields the list already
// loaded: a word matches when it starts with a search word of three
// letters or more, as SQLite's prefix query does, or when both come to
// the same word once an English plural or -ed/-ing ending is taken off, as
// the stemmers do ("chickens", "berries" and "roasted" for "chicken",
// "berry" and "roast").

// matcher marks the words of a search.
type matcher struct{ forms [][]string }

// newMatcher matches the search's terms and the words its typos were
// corrected to.
func newMatcher(terms []string, fixes []store.Correction) *matcher {
	m := &matcher{}
	for _, t := range terms {
		m.forms = append(m.forms, wordForms(t))
	}
	for _, c := range fixes {
		m.forms = append(m.forms, wordForms(c.Word))
	}
	return m
}

// wordForms are w and w without the endings the stemmers take off.
func wordForms(w string) []string {
	forms := []string{w}
	for _, s := range []struct{ suffix, repl string }{
		{"ies", "y"}, {"es", ""}, {"s", ""}, {"ing", ""}, {"ing", "e"}, {"ed", ""}, {"ed", "e"},
	} {
		if base, ok := strings.CutSuffix(w, s.suffix); ok && len([]rune(base)) >= 3 {
			forms = append(forms, base+s.repl)
		}
	}
	return forms
}

// which returns the index of the search word w matches, or -1; w is
// lower-case.
func (m *matcher) which(w string) int {
	forms := wordForms(w)
	for i, t := range m.forms {
		if len([]rune(t[0])) >= 3 && strings.HasPrefix(w, t[0]) {
			return i
		}
		for _, f := range forms {
			if slices.Contains(t, f) {
				return i
			}
		}
	}
	return -1
}

// isWordRune is recipe.SearchWords' notion of a word's letter.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mark returns text as HTML with the words that match in <mark>: every
// part is escaped first, so a title with markup in it stays text. matched,
// if not nil, records which search words were found.
func (m *matcher) mark(text string, matched []bool) template.HTML {
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && isWordRune(rs[j]) == isWordRune(rs[i]) {
			j++
		}
		part := string(rs[i:j])
		k := -1
		if isWordRune(rs[i]) {
			k = m.which(strings.ToLower(part))
		}
		if k >= 0 {
			if matched != nil {
				matched[k] = true
			}
			b.WriteString("<mark>" + template.HTMLEscapeString(part) + "</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(part))
		}
		i = j
	}
	return template.HTML(b.String())
}

// matches reports whether any word of text matches.
func (m *matcher) matches(text string) bool {
	for _, w := range recipe.SearchWords(text) {
		if m.which(w) >= 0 {
			return true
		}
	}
	return false
}

// snippetLen is about how many characters a card's snippet shows.
const snippetLen = 80

// searchCard is a card of search results: its title with the matching
// words marked and, when some search word is not in the title, a line
// saying where that word matched.
type searchCard struct {
	*recipe.Summary
	MarkedTitle template.HTML
	// Where names the field of the snippet ("ingredients", "tags",
	// "description"); "" for no snippet.
	Where   string
	Snippet template.HTML
}

// newSearchCard explains s's match for m; ingredients are its ingredient
// names.
func newSearchCard(s *recipe.Summary, m *matcher, ingredients []string) searchCard {
	c := searchCard{Summary: s}
	inTitle := make([]bool, len(m.forms))
	c.MarkedTitle = m.mark(s.Title, inTitle)
	// The words still to place: a snippet is for a word the title lacks.
	rest := &matcher{}
	for i, f := range m.forms {
		if !inTitle[i] {
			rest.forms = append(rest.forms, f)
		}
	}
	if len(rest.forms) == 0 {
		return c
	}
	// Fields in the order of their weight in the ranking.
	for _, f := range []struct {
		where string
		items []string
	}{{"tags", s.Tags}, {"categories", s.Categories}, {"ingredients", ingredients}} {
		var hits []string
		for _, it := range f.items {
			if rest.matches(it) {
				hits = append(hits, it)
			}
		}
		if len(hits) > 0 {
			c.Where = f.where
			c.Snippet = rest.mark(clipText(strings.Join(hits, ", "), snippetLen), nil)
			return c
		}
	}
	if text, ok := window(s.Description, rest); ok {
		c.Where = "description"
		c.Snippet = rest.mark(text, nil)
	}
	return c
}

// window returns about snippetLen characters of text around its first
// matching word, cut at spaces and ellipsised where cut.
func window(text string, m *matcher) (string, bool) {
	rs := []rune(text)
	at := -1
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && isWordRune(rs[j]) == isWordRune(rs[i]) {
			j++
		}
		if isWordRune(rs[i]) && m.which(strings.ToLower(string(rs[i:j]))) >= 0 {
			at = i
			break
		}
		i = j
	}
	if at < 0 {
		return "", false
	}
	start := max(0, at-snippetLen/3)
	if start > 0 {
		// Start at a word: after the first space from start, or at the
		// match itself.
		lead := string(rs[start:at])
		if sp := strings.Index(lead, " "); sp >= 0 {
			start += len([]rune(lead[:sp])) + 1
		} else {
			start = at
		}
	}
	out := clipText(string(rs[start:]), snippetLen)
	if start > 0 {
		out = "…" + out
	}
	return out, true
}

// clipText shortens s to about n characters at a space, with "…".
func clipText(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := string(rs[:n])
	if sp := strings.LastIndex(cut, " "); sp > len(cut)/2 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
