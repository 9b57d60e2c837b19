package recipe

import (
	"encoding/json"
	"os"
	"testing"
)

// measureCase is a case of the table ShowMeasure and ShowAsWritten share
// with the browser's measure (internal/ui tests run the JavaScript
// against it).
type measureCase struct {
	System UnitSystem `json:"system"`
	Unit   string     `json:"unit"`
	Q      float64    `json:"q"`
	Want   string     `json:"want"`
}

func TestMeasureTable(t *testing.T) {
	b, err := os.ReadFile("testdata/measure.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Cases []measureCase }
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) < 40 {
		t.Fatalf("only %d cases in the table", len(table.Cases))
	}
	for _, c := range table.Cases {
		var q float64
		unit := c.Unit
		if c.System == AsWritten {
			q, _ = ShowAsWritten(unit, c.Q, c.Q)
		} else {
			q, _, unit = ShowMeasure(c.System, measures[c.Unit].kind, c.Q, c.Q)
		}
		if unit == "cup" && q > 1 {
			unit = "cups"
		}
		if got := FormatAmount(unit, q) + " " + unit; got != c.Want {
			t.Errorf("%s %v %s reads %q, want %q", c.System, c.Q, c.Unit, got, c.Want)
		}
	}
}

func TestConversionFor(t *testing.T) {
	for _, c := range []struct {
		unit string
		sys  UnitSystem
		kind string
		base float64
	}{
		{"cup", Metric, "volume", 236.588},
		{"tbsp", Metric, "volume", 14.7868},
		{"fl oz", Metric, "volume", 29.5735},
		{"quart", Metric, "volume", 946.353},
		{"lb", Metric, "mass", 453.592},
		{"oz", Metric, "mass", 28.3495},
		{"ml", USCustomary, "volume", 1},
		{"dl", USCustomary, "volume", 100},
		{"l", USCustomary, "volume", 1000},
		{"kg", USCustomary, "mass", 1000},
		{"g", USCustomary, "mass", 1},
		// Already in the system, counted, or unknown: unchanged.
		{"g", Metric, "", 0},
		{"cup", USCustomary, "", 0},
		{"mg", USCustomary, "", 0},
		{"pinch", Metric, "", 0},
		{"", Metric, "", 0},
		{"clove", USCustomary, "", 0},
		{"cup", AsWritten, "", 0},
		{"cup", "", "", 0},
	} {
		conv, ok := ConversionFor(c.unit, c.sys)
		if ok != (c.kind != "") || conv.Kind != c.kind || conv.Base != c.base {
			t.Errorf("ConversionFor(%q, %q) = %+v, %v; want %s %v", c.unit, c.sys, conv, ok, c.kind, c.base)
		}
	}
}

// A range takes the unit of its smaller end on both ends.
func TestShowMeasureRange(t *testing.T) {
	for _, c := range []struct {
		sys       UnitSystem
		kind      string
		q, top    float64
		want, max float64
		unit      string
	}{
		{Metric, "mass", 800, 1200, 800, 1200, "g"},
		{Metric, "mass", 1200, 1600, 1.2, 1.6, "kg"},
		{USCustomary, "volume", 29.57, 59.15, 2, 4, "tbsp"},
		{USCustomary, "mass", 453.6, 680.4, 1, 1.5, "lb"},
	} {
		q, top, unit := ShowMeasure(c.sys, c.kind, c.q, c.top)
		if q != c.want || top != c.max || unit != c.unit {
			t.Errorf("%s %v–%v reads %v–%v %s, want %v–%v %s", c.sys, c.q, c.top, q, top, unit, c.want, c.max, c.unit)
		}
	}
}

func TestParseUnitSystem(t *testing.T) {
	for in, want := range map[string]UnitSystem{"original": AsWritten, "metric": Metric, "us": USCustomary} {
		if got, ok := ParseUnitSystem(in); !ok || got != want {
			t.Errorf("ParseUnitSystem(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "US", "imperial", "metric ", "x"} {
		if _, ok := ParseUnitSystem(in); ok {
			t.Errorf("ParseUnitSystem(%q) accepted", in)
		}
	}
}

func TestConvertTemperatures(t *testing.T) {
	for _, c := range []struct {
		in   string
		sys  UnitSystem
		want string
	}{
		{"Heat the oven to 350°F.", Metric, "Heat the oven to 180°C."},
		{"Heat the oven to 350 °F.", Metric, "Heat the oven to 180°C."},
		{"Bake at 350 degrees F for 20 minutes.", Metric, "Bake at 180°C for 20 minutes."},
		{"Bake at 425 degrees Fahrenheit.", Metric, "Bake at 220°C."},
		{"Roast at 400F", Metric, "Roast at 400F"},
		{"Cook to 165°F inside.", Metric, "Cook to 74°C inside."},
		{"Heat the oven to 180°C.", USCustomary, "Heat the oven to 350°F."},
		{"Heat the oven to 200 ºC, then 220°C.", USCustomary, "Heat the oven to 400°F, then 425°F."},
		{"Bake at 160 degrees celsius.", USCustomary, "Bake at 325°F."},
		{"Bring to 75°C.", USCustomary, "Bring to 167°F."},
		// Already in the system asked for, or given both ways: as written.
		{"Heat the oven to 180°C.", Metric, "Heat the oven to 180°C."},
		{"Heat the oven to 180°C/350°F.", Metric, "Heat the oven to 180°C/350°F."},
		{"Heat the oven to 350°F.", AsWritten, "Heat the oven to 350°F."},
		// Not temperatures.
		{"Bake 35 degrees for 20 min", Metric, "Bake 35 degrees for 20 min"},
		{"Turn 90 degrees.", USCustomary, "Turn 90 degrees."},
		{"Cut 2 cm cubes.", USCustomary, "Cut 2 cm cubes."},
	} {
		if got := ConvertTemperatures(c.in, c.sys); got != c.want {
			t.Errorf("ConvertTemperatures(%q, %s) = %q, want %q", c.in, c.sys, got, c.want)
		}
	}
}

func TestPluralUnit(t *testing.T) {
	for unit, want := range map[string]string{"": "", "cup": "cups", "clove": "cloves", "pinch": "pinches", "dash": "dashes",
		"bunch": "bunches", "inch": "inches", "g": "g", "kg": "kg", "ml": "ml", "tbsp": "tbsp", "tsp": "tsp", "oz": "oz", "lb": "lb",
		"fl oz": "fl oz", "can": "cans", "slice": "slices", "handful": "handfuls"} {
		if got := PluralUnit(unit); got != want {
			t.Errorf("PluralUnit(%q) = %q, want %q", unit, got, want)
		}
	}
}
