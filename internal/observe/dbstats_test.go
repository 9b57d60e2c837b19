package observe_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"

	"github.com/reccollection/reccollection/internal/observe"
	_ "modernc.org/sqlite"
)

// TestDBStatsMatchClientGolang: the pool metrics read through a stats
// function are exactly client_golang's DBStats collector's series (names,
// help, types, labels, values), so dashboards and alerts need no change.
func TestDBStatsMatchClientGolang(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(3)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	theirs := prometheus.NewRegistry()
	theirs.MustRegister(collectors.NewDBStatsCollector(db, "primary"))
	want, err := theirs.Gather()
	if err != nil {
		t.Fatal(err)
	}
	m := observe.NewMetrics()
	m.RegisterDB("primary", db.Stats)
	got, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	for _, g := range got {
		for _, w := range want {
			if g.GetName() == w.GetName() {
				byName[w.GetName()] = true
				if describe(g) != describe(w) {
					t.Errorf("%s:\n got  %s\n want %s", w.GetName(), describe(g), describe(w))
				}
			}
		}
	}
	if len(want) != 9 || len(byName) != len(want) {
		t.Errorf("%d of %d series exported", len(byName), len(want))
	}
}

func describe(f *dto.MetricFamily) string {
	out := f.GetName() + " " + f.GetType().String() + " " + f.GetHelp()
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			out += " " + l.GetName() + "=" + l.GetValue()
		}
		out += " " + fmt.Sprint(m.GetGauge().GetValue(), m.GetCounter().GetValue())
	}
	return out
}
