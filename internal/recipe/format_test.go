package recipe

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// quantityCases is the table FormatQuantity shares with the browser's
// formatQuantity (internal/ui tests run the JavaScript against it).
func quantityCases(t *testing.T) []struct {
	Q    float64 `json:"q"`
	Want string  `json:"want"`
} {
	t.Helper()
	b, err := os.ReadFile("testdata/format_quantity.json")
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
	if len(table.Cases) < 20 {
		t.Fatalf("only %d cases in the table", len(table.Cases))
	}
	return table.Cases
}

func TestFormatQuantityTable(t *testing.T) {
	for _, tc := range quantityCases(t) {
		if got := FormatQuantity(tc.Q); got != tc.Want {
			t.Errorf("FormatQuantity(%v) = %q, want %q", tc.Q, got, tc.Want)
		}
	}
}

// No positive amount reads as nothing, however small or scaled.
func TestFormatQuantityNeverZeroForAnAmount(t *testing.T) {
	for q := 1e-12; q < 2; q *= 1.37 {
		if got := FormatQuantity(q); got == "0" || got == "" {
			t.Errorf("FormatQuantity(%g) = %q", q, got)
		}
	}
	if got := FormatQuantity(math.Copysign(0, -1)); got != "0" {
		t.Errorf("FormatQuantity(-0) = %q", got)
	}
}
