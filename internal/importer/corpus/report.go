package corpus

import (
	"fmt"
	"io"
	"net/url"
)

// Tally is how many of a field's scored pages were right.
type Tally struct {
	Correct int `json:"correct"`
	Total   int `json:"total"`
}

// Share is Correct/Total, or 0 with nothing scored.
func (t Tally) Share() float64 {
	if t.Total == 0 {
		return 0
	}
	return float64(t.Correct) / float64(t.Total)
}

// Subset is the score of a set of pages.
type Subset struct {
	Pages  int              `json:"pages"`
	Hosts  int              `json:"hosts"`
	Fields map[string]Tally `json:"fields"`
	// Full counts pages with every scored field right.
	Full Tally `json:"fully_correct"`

	hosts map[string]bool
}

func newSubset() Subset {
	return Subset{Fields: map[string]Tally{}, hosts: map[string]bool{}}
}

func (s *Subset) add(host string, scored []string, wrong []Mismatch) {
	s.Pages++
	if !s.hosts[host] {
		s.hosts[host] = true
		s.Hosts++
	}
	bad := map[string]bool{}
	for _, m := range wrong {
		bad[m.Field] = true
	}
	for _, f := range scored {
		t := s.Fields[f]
		t.Total++
		if !bad[f] {
			t.Correct++
		}
		s.Fields[f] = t
	}
	s.Full.Total++
	if len(wrong) == 0 {
		s.Full.Correct++
	}
}

// Failure is a page with at least one wrong field.
type Failure struct {
	Host    string     `json:"host"`
	Name    string     `json:"name"`
	HeldOut bool       `json:"held_out"`
	Via     string     `json:"via"` // what the extraction came from
	Wrong   []Mismatch `json:"wrong"`
}

// Report is a corpus's score: over every page, and separately over the
// tuning and held-out sites.
type Report struct {
	All     Subset `json:"all"`
	Tuning  Subset `json:"tuning"`
	HeldOut Subset `json:"held_out"`
	// Failures lists the tuning pages that were not fully correct, up to
	// the limit asked for. Held-out failures are counted but never
	// listed: looking at them would make the subset tuning data.
	Failures []Failure `json:"failures,omitempty"`
}

// Evaluate scores ex on every page of the corpus at root (a folder or a
// .tar.gz), keeping up to maxFailures tuning failures for study.
func Evaluate(root string, ex Extractor, maxFailures int) (*Report, error) {
	rep := &Report{All: newSubset(), Tuning: newSubset(), HeldOut: newSubset()}
	err := Walk(root, func(p *Page) error {
		got := ex(p.HTML, pageURL(p))
		scored, wrong := Score(&p.Want, got)
		rep.All.add(p.Host, scored, wrong)
		if p.HeldOut() {
			rep.HeldOut.add(p.Host, scored, wrong)
			return nil
		}
		rep.Tuning.add(p.Host, scored, wrong)
		if len(wrong) > 0 && len(rep.Failures) < maxFailures {
			rep.Failures = append(rep.Failures, Failure{Host: p.Host, Name: p.Name, Via: got.Via, Wrong: wrong})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// pageURL is the address the page was saved from: its canonical URL when
// the expected values give one, else the site's root.
func pageURL(p *Page) string {
	if u, err := url.Parse(p.Want.CanonicalURL); err == nil && u.IsAbs() {
		return p.Want.CanonicalURL
	}
	return "https://" + p.Host + "/"
}

// Print writes the report as a table: one row per field, a column per
// subset.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%-14s %16s %16s %16s\n", "", "all", "tuning", "held-out")
	fmt.Fprintf(w, "%-14s %16s %16s %16s\n", "pages (sites)",
		fmt.Sprintf("%d (%d)", r.All.Pages, r.All.Hosts),
		fmt.Sprintf("%d (%d)", r.Tuning.Pages, r.Tuning.Hosts),
		fmt.Sprintf("%d (%d)", r.HeldOut.Pages, r.HeldOut.Hosts))
	row := func(name string, a, t, h Tally) {
		fmt.Fprintf(w, "%-14s %16s %16s %16s\n", name, cell(a), cell(t), cell(h))
	}
	for _, f := range Fields {
		row(f, r.All.Fields[f], r.Tuning.Fields[f], r.HeldOut.Fields[f])
	}
	row("fully correct", r.All.Full, r.Tuning.Full, r.HeldOut.Full)
}

func cell(t Tally) string {
	return fmt.Sprintf("%5.1f%% %4d/%-4d", 100*t.Share(), t.Correct, t.Total)
}
