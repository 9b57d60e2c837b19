package recipe

import (
	"encoding/json"
	"os"
	"testing"
)

// TestRoundCountTable checks RoundCount against the table static/app.js
// is tested with too.
func TestRoundCountTable(t *testing.T) {
	b, err := os.ReadFile("testdata/round_count.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Cases []struct {
			Q    float64 `json:"q"`
			Want string  `json:"want"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) < 10 {
		t.Fatalf("only %d cases", len(table.Cases))
	}
	for _, c := range table.Cases {
		if got := FormatQuantity(RoundCount(c.Q)); got != c.Want {
			t.Errorf("RoundCount(%v) reads %q, want %q", c.Q, got, c.Want)
		}
	}
}

func TestCountedNames(t *testing.T) {
	for _, c := range []struct{ name, one, many string }{
		{"eggs", "egg", "eggs"},
		{"egg", "egg", "eggs"},
		{"large onions", "large onion", "large onions"},
		{"bay leaf", "bay leaf", "bay leaves"},
		{"bay leaves", "bay leaf", "bay leaves"},
		{"tomatoes", "tomato", "tomatoes"},
		{"potato", "potato", "potatoes"},
		{"cherries", "cherry", "cherries"},
		{"anchovy fillets", "anchovy fillet", "anchovy fillets"},
		{"radish", "radish", "radishes"},
		{"peaches", "peach", "peaches"},
		{"limes in brine", "lime in brine", "limes in brine"},
		{"cloves of garlic", "clove of garlic", "cloves of garlic"},
		{"Lemons", "Lemon", "Lemons"},
		{"chillies", "chilli", "chillies"},
		{"pies", "pie", "pies"},
		{"day", "day", "days"},
		// Left alone: mass nouns, words that only look plural, odd spellings.
		{"garlic", "garlic", "garlic"},
		{"fish", "fish", "fish"},
		{"hummus", "hummus", "hummus"},
		{"watercress", "watercress", "watercress"},
		{"EGGS", "EGGS", "EGGS"},
		{"7-up", "7-up", "7-up"},
		{"", "", ""},
	} {
		one, many := CountedNames(c.name)
		if one != c.one || many != c.many {
			t.Errorf("CountedNames(%q) = %q, %q; want %q, %q", c.name, one, many, c.one, c.many)
		}
	}
}

func TestNoteAmounts(t *testing.T) {
	type part struct {
		text string
		q    float64 // 0: plain text
		unit string
	}
	for _, c := range []struct {
		note string
		want []part
	}{
		{"14 oz", []part{{"14 oz", 14, "oz"}}},
		{"14 ounces, drained", []part{{"14 ounces", 14, "oz"}, {", drained", 0, ""}}},
		{"about 200 g", []part{{"about ", 0, ""}, {"200 g", 200, "g"}}},
		{"or 2 tsp dried", []part{{"or ", 0, ""}, {"2 tsp", 2, "tsp"}, {" dried", 0, ""}}},
		{"2 cups of stock", []part{{"2 cups", 2, "cup"}, {" of stock", 0, ""}}},
		{"1½ tbsp", []part{{"1½ tbsp", 1.5, "tbsp"}}},
		// Not amounts to scale: no unit, not at the start, a size.
		{"cut into 2 pieces", []part{{"cut into 2 pieces", 0, ""}}},
		{"finely chopped, 3 of them", []part{{"finely chopped, 3 of them", 0, ""}}},
		{"15 cm tin", []part{{"15 cm tin", 0, ""}}},
		{"2% fat", []part{{"2% fat", 0, ""}}},
		{"", nil},
	} {
		got := NoteAmounts(c.note)
		var all string
		ok := len(got) == len(c.want)
		for i, p := range got {
			all += p.Text
			if !ok {
				continue
			}
			w := c.want[i]
			q := 0.0
			if p.Quantity != nil {
				q = *p.Quantity
			}
			if p.Text != w.text || q != w.q || p.Unit != w.unit {
				ok = false
			}
		}
		if !ok {
			t.Errorf("NoteAmounts(%q) = %+v, want %+v", c.note, got, c.want)
		}
		if all != c.note {
			t.Errorf("NoteAmounts(%q) joins back to %q", c.note, all)
		}
	}
}

func TestNoteAmountsRange(t *testing.T) {
	p := NoteAmounts("1-2 tbsp, to taste")
	if len(p) != 2 || p[0].Quantity == nil || p[0].QuantityMax == nil || *p[0].Quantity != 1 || *p[0].QuantityMax != 2 {
		t.Fatalf("NoteAmounts(\"1-2 tbsp, to taste\") = %+v, want the range 1–2 tbsp", p)
	}
}
