package extract

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkFromHTML measures extraction of a JSON-LD page: the small
// fixture as is, and padded with 300 KB of ordinary markup, the size of
// a typical recipe blog page.
func BenchmarkFromHTML(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("testdata", "jsonld_graph.html"))
	if err != nil {
		b.Fatal(err)
	}
	var pad strings.Builder
	for i := 0; pad.Len() < 300<<10; i++ {
		fmt.Fprintf(&pad, `<div class="post"><p>Paragraph %d with <a href="/p/%d">a link</a> and <em>text</em>.</p></div>`, i, i)
	}
	large := strings.Replace(string(page), "<body>", "<body>"+pad.String(), 1)
	for _, c := range []struct {
		name string
		page []byte
	}{{"fixture", page}, {"300KB", []byte(large)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.page)))
			b.ReportAllocs()
			for b.Loop() {
				if r := FromHTML(c.page, "https://www.example.org/"); !r.Found() {
					b.Fatal("no recipe")
				}
			}
		})
	}
}
