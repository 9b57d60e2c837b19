package ui

import (
	"strings"
	"testing"
)

// The page marks the words the engines' stemming and prefix matching
// would have matched, and escapes everything else.
func TestMarkWords(t *testing.T) {
	cases := []struct{ terms, text, want string }{
		{"chicken", "Chickens & chicken-stock", "<mark>Chickens</mark> &amp; <mark>chicken</mark>-stock"},
		{"berries", "Berry jam", "<mark>Berry</mark> jam"},
		{"roast", "Roasted roots", "<mark>Roasted</mark> roots"},
		{"baking", "Bake it", "<mark>Bake</mark> it"},
		{"tomatoes", "tomato <b>salad</b>", "<mark>tomato</mark> &lt;b&gt;salad&lt;/b&gt;"},
		{"tart", "Start smart", "Start smart"},
		{"crème", "CRÈME brûlée", "<mark>CRÈME</mark> brûlée"},
	}
	for _, c := range cases {
		m := newMatcher(strings.Fields(c.terms), nil)
		if got := string(m.mark(c.text, nil)); got != c.want {
			t.Errorf("%q in %q: %s, want %s", c.terms, c.text, got, c.want)
		}
	}
}

func TestClipText(t *testing.T) {
	long := strings.Repeat("word ", 40)
	got := clipText(long, snippetLen)
	if !strings.HasSuffix(got, "word…") || len([]rune(got)) > snippetLen+1 {
		t.Errorf("clipText: %q", got)
	}
	if got := clipText("short", snippetLen); got != "short" {
		t.Errorf("short text clipped: %q", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
