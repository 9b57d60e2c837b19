package ui

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// link is the markup commentHTML makes of an address shown as text.
func link(href, text string) string {
	return `<a href="` + href + `" rel="nofollow ugc noopener noreferrer">` + text + `</a>`
}

func TestCommentHTML(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "Lovely cake.", "Lovely cake."},
		{"newlines kept", "one\ntwo\n\nthree\ttab", "one\ntwo\n\nthree\ttab"},
		{"markup escaped", `<script>alert("x")</script>`, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`},
		{"ampersands and quotes", `Tom & Jerry's "pie"`, `Tom &amp; Jerry&#39;s &#34;pie&#34;`},
		{"an address", "see https://example.com/pie", "see " + link("https://example.com/pie", "https://example.com/pie")},
		{"http and upper case", "HTTP://Example.com", link("HTTP://Example.com", "HTTP://Example.com")},
		{"full stop after", "Try https://example.com/a.", "Try " + link("https://example.com/a", "https://example.com/a") + "."},
		{"sentence punctuation", "https://x.test/a?, https://x.test/b! https://x.test/c:",
			link("https://x.test/a", "https://x.test/a") + "?, " + link("https://x.test/b", "https://x.test/b") + "! " +
				link("https://x.test/c", "https://x.test/c") + ":"},
		{"in brackets", "(https://example.com/a)", "(" + link("https://example.com/a", "https://example.com/a") + ")"},
		{"balanced brackets kept", "https://en.wikipedia.org/wiki/Pie_(dish)", link("https://en.wikipedia.org/wiki/Pie_(dish)", "https://en.wikipedia.org/wiki/Pie_(dish)")},
		{"query escaped in href", "https://x.test/?a=1&b=<2>", link("https://x.test/?a=1&amp;b=", "https://x.test/?a=1&amp;b=") + "&lt;2&gt;"},
		{"quote ends the address", `https://x.test/"onmouseover="alert(1)`, link("https://x.test/", "https://x.test/") + `&#34;onmouseover=&#34;alert(1)`},
		{"apostrophe escaped in href", "https://x.test/it's", link("https://x.test/it&#39;s", "https://x.test/it&#39;s")},
		{"javascript is text", "javascript:alert(1)", "javascript:alert(1)"},
		{"javascript with an address inside", "javascript:alert('https://x.test')",
			"javascript:alert(&#39;" + link("https://x.test", "https://x.test") + "&#39;)"},
		{"data url is text", "data:text/html,<b>x</b>", "data:text/html,&lt;b&gt;x&lt;/b&gt;"},
		{"glued to a word", "xhttps://example.com", "xhttps://example.com"},
		{"no host", "https:// and http://", "https:// and http://"},
		{"scheme only in a word", "https-ish", "https-ish"},
		{"angle brackets around", "<https://example.com>", "&lt;" + link("https://example.com", "https://example.com") + "&gt;"},
		{"non-ASCII around", "Voilà:https://example.com/crème ✓", "Voilà:" + link("https://example.com/crème", "https://example.com/crème") + " ✓"},
		{"two in a row", "https://a.test https://b.test", link("https://a.test", "https://a.test") + " " + link("https://b.test", "https://b.test")},
		{"long address shortened in text", "https://example.com/" + strings.Repeat("a", 100),
			link("https://example.com/"+strings.Repeat("a", 100), "https://example.com/"+strings.Repeat("a", 39)+"…")},
		{"over-long address stays text", "https://example.com/" + strings.Repeat("b", 3000), "https://example.com/" + strings.Repeat("b", 3000)},
		{"long word", strings.Repeat("W", 5000), strings.Repeat("W", 5000)},
	} {
		if got := string(commentHTML(c.in)); got != c.want {
			t.Errorf("%s: commentHTML(%.80q)\n got %.300q\nwant %.300q", c.name, c.in, got, c.want)
		}
	}
}

// Whatever the text, the HTML parses to text and links with an http(s)
// href and the fixed rel, and reads back as the text (links shortened
// aside).
func TestCommentHTMLHasOnlySafeLinks(t *testing.T) {
	for _, in := range []string{
		`<img src=x onerror=alert(1)>`,
		`"><script>alert(1)</script>`,
		`https://x.test/"><script>alert(1)</script>`,
		`https://x.test/'onmouseover='alert(1)'`,
		"https://x.test/\x00<b>",
		`<a href="javascript:alert(1)">https://x.test</a>`,
		`JaVaScRiPt:alert(1)//https://x.test`,
		`&lt;script&gt; &amp; &#60;`,
		"https://x.test/a\u2028b\u202eevil",
		`[link](javascript:alert(1)) [x](https://x.test)`,
	} {
		out := string(commentHTML(in))
		doc, err := html.Parse(strings.NewReader("<div>" + out + "</div>"))
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			switch n.Type {
			case html.ElementNode:
				switch n.Data {
				case "html", "head", "body", "div":
				case "a":
					var href, rel string
					for _, a := range n.Attr {
						switch a.Key {
						case "href":
							href = a.Val
						case "rel":
							rel = a.Val
						default:
							t.Errorf("%q: link with attribute %s", in, a.Key)
						}
					}
					if !strings.HasPrefix(strings.ToLower(href), "http://") && !strings.HasPrefix(strings.ToLower(href), "https://") || rel != commentRel {
						t.Errorf("%q: link href=%q rel=%q", in, href, rel)
					}
				default:
					t.Errorf("%q: element <%s> in %s", in, n.Data, out)
				}
			case html.TextNode:
				text.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		want := strings.ReplaceAll(in, "\x00", "\ufffd")
		if text.String() != want {
			t.Errorf("%q reads back as %q", in, text.String())
		}
	}
}
