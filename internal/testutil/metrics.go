package testutil

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape is one parsed answer of a /metrics endpoint.
type Scrape map[string]*dto.MetricFamily

// ScrapeMetrics fetches url (a /metrics endpoint) over HTTP, as
// Prometheus would, and parses the text exposition format.
func ScrapeMetrics(t testing.TB, url string) Scrape {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: status %d", url, resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse scrape of %s: %v", url, err)
	}
	return families
}

// Find returns the series of family name whose labels include want, or
// nil. Labels not named in want may have any value.
func (s Scrape) Find(name string, want map[string]string) *dto.Metric {
	f := s[name]
	if f == nil {
		return nil
	}
	for _, m := range f.GetMetric() {
		if hasLabels(m, want) {
			return m
		}
	}
	return nil
}

// Series lists the label sets of family name, one line each, for
// failure messages.
func (s Scrape) Series(name string) string {
	f := s[name]
	if f == nil {
		return "(no family " + name + ")"
	}
	var lines []string
	for _, m := range f.GetMetric() {
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
		}
		line := "{" + strings.Join(ls, ",") + "}"
		if h := m.GetHistogram(); h != nil {
			line += fmt.Sprintf(" count=%d", h.GetSampleCount())
		} else if c := m.GetCounter(); c != nil {
			line += fmt.Sprintf(" %g", c.GetValue())
		} else if g := m.GetGauge(); g != nil {
			line += fmt.Sprintf(" %g", g.GetValue())
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	have := map[string]string{}
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}
