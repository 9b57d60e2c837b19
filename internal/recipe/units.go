package recipe

import (
	"math"
	"strconv"
)

// UnitSystem is the measures a reader wants amounts in.
type UnitSystem string

const (
	// AsWritten shows every amount in the unit its author wrote.
	AsWritten UnitSystem = "original"
	// Metric shows volumes in ml and l and weights in g and kg.
	Metric UnitSystem = "metric"
	// USCustomary shows volumes in teaspoons, tablespoons and cups and
	// weights in ounces and pounds.
	USCustomary UnitSystem = "us"
)

// ParseUnitSystem reads "original", "metric" or "us".
func ParseUnitSystem(s string) (UnitSystem, bool) {
	switch u := UnitSystem(s); u {
	case AsWritten, Metric, USCustomary:
		return u, true
	}
	return "", false
}

// A measure is a unit's kind and its size in the kind's base unit: ml
// for volume, g for weight. US volumes are the US customary ones (a cup
// is 236.6 ml), since that is the cup recipes written in cups mean.
// Milligrams are left out: no kitchen scale weighs them in ounces.
type measure struct {
	kind   string // "volume" or "mass"
	size   float64
	metric bool
}

var measures = map[string]measure{
	"ml": {"volume", 1, true}, "cl": {"volume", 10, true}, "dl": {"volume", 100, true}, "l": {"volume", 1000, true},
	"tsp": {"volume", 4.92892, false}, "tbsp": {"volume", 14.7868, false}, "fl oz": {"volume", 29.5735, false},
	"cup": {"volume", 236.588, false}, "pint": {"volume", 473.176, false}, "quart": {"volume", 946.353, false},
	"gallon": {"volume", 3785.41, false},
	"g":      {"mass", 1, true}, "kg": {"mass", 1000, true},
	"oz": {"mass", 28.3495, false}, "lb": {"mass", 453.592, false},
}

// IsMeasure tells whether unit is a volume or weight this package
// converts between systems.
func IsMeasure(unit string) bool {
	_, ok := measures[unit]
	return ok
}

// Conversion is an amount converted to another system, in the base unit
// of its kind ("ml" or "g"), ready to be scaled and then shown with
// ShowMeasure.
type Conversion struct {
	Kind string // "volume" or "mass"
	// Base is how much of the base unit one of the written unit is.
	Base float64
}

// ConversionFor tells whether an amount written in unit changes when shown
// in sys, and how. Amounts already in sys, counted things, spoons of
// "pinch" and units it does not know stay as written.
func ConversionFor(unit string, sys UnitSystem) (Conversion, bool) {
	m, ok := measures[unit]
	if !ok || sys == AsWritten || m.metric == (sys == Metric) {
		return Conversion{}, false
	}
	return Conversion{Kind: m.kind, Base: m.size}, true
}

// ShowMeasure picks the unit a cook measures an amount with in sys and
// rounds the amount to what that unit measures: q (and top, the larger
// end of a range, or q again) are amounts of kind in its base unit (ml or
// g), already scaled. Both ends take the unit the smaller one needs, so a
// range reads "800–1200 g" or "2–4 tbsp", never mixing units nor
// rounding both ends into one ("¼–¼ cup").
//
// static/app.js measure applies the same rule in the browser;
// testdata/measure.json holds the expected outputs both are tested
// against.
func ShowMeasure(sys UnitSystem, kind string, q, top float64) (qty, qtyTop float64, unit string) {
	unit = pickUnit(sys, kind, q)
	size := measures[unit].size
	return RoundIn(unit, q/size), RoundIn(unit, top/size), unit
}

// ShowAsWritten rounds a scaled amount (and the top of its range) that
// keeps the unit it was written in: a metric amount with a fraction by
// RoundIn, since "187.5 g" is no amount to weigh, while a whole one stays
// (half of 250 ml is 125 ml, not 130); other units not at all ("1⅞ cups"
// is measurable).
func ShowAsWritten(unit string, q, top float64) (qty, qtyTop float64) {
	round := func(x float64) float64 {
		if IsMetric(unit) && x != math.Round(x) {
			return RoundIn(unit, x)
		}
		return x
	}
	return round(q), round(top)
}

func pickUnit(sys UnitSystem, kind string, base float64) string {
	if sys == Metric {
		small, large := "ml", "l"
		if kind == "mass" {
			small, large = "g", "kg"
		}
		if RoundIn(small, base) < 1000 {
			return small
		}
		return large
	}
	if kind == "mass" {
		if RoundIn("oz", base/measures["oz"].size) < 16 {
			return "oz"
		}
		return "lb"
	}
	switch {
	case RoundIn("tsp", base/measures["tsp"].size) < 3:
		return "tsp"
	case RoundIn("tbsp", base/measures["tbsp"].size) < 4:
		return "tbsp"
	}
	return "cup"
}

// RoundIn rounds an amount in unit to the steps a cook measures it in:
// grams to whole grams below 100 and to 5 g above (nobody weighs 187.5 g
// of flour), millilitres to 5 ml below 100 and 10 ml above (so a cup
// reads 240 ml, as on a measuring jug), kilograms and litres to 0.05,
// teaspoons to eighths, tablespoons to halves, cups to the marks of a
// measuring cup (¼ ⅓ ½ ⅔ ¾), ounces and pounds to quarters. Small metric
// amounts keep a decimal (2.5 ml, 0.3 g of saffron). No positive amount
// rounds to nothing. Units outside this list come back unchanged.
func RoundIn(unit string, q float64) float64 {
	if math.IsNaN(q) || math.IsInf(q, 0) || q <= 0 {
		return q
	}
	// Steps below 1 divide by their whole inverse, so 1.2 kg is 24/20
	// and not 24×0.05 = 1.2000000000000002.
	step := func(s float64) float64 {
		if s < 1 {
			return max(math.Round(q/s)/math.Round(1/s), s)
		}
		return max(math.Round(q/s)*s, s)
	}
	switch unit {
	case "g", "ml":
		switch {
		case q < 1:
			return step(0.1)
		case q < 10:
			return step(0.5)
		case q < 100 && unit == "g":
			return step(1)
		case q < 100:
			return step(5)
		case unit == "g":
			return step(5)
		}
		return step(10)
	case "kg", "l":
		return step(0.05)
	case "tsp":
		return step(0.125)
	case "tbsp":
		return step(0.5)
	case "oz", "lb":
		return step(0.25)
	case "cup":
		whole := math.Floor(q)
		best := whole
		for _, f := range []float64{1.0 / 4, 1.0 / 3, 1.0 / 2, 2.0 / 3, 3.0 / 4, 1} {
			if math.Abs(q-(whole+f)) < math.Abs(q-best) {
				best = whole + f
			}
		}
		return max(best, 0.25)
	}
	return q
}

// IsMetric tells whether unit is one whose amounts are written as
// decimals and rounded by RoundIn when scaled (g, kg, ml, l).
func IsMetric(unit string) bool {
	switch unit {
	case "g", "kg", "ml", "l":
		return true
	}
	return false
}

// FormatAmount writes an amount of unit: metric amounts as decimals ("2.5
// ml", "1.25 kg": a scale or jug shows no fractions), others as
// FormatQuantity does ("1½ cups").
func FormatAmount(unit string, q float64) string {
	if IsMetric(unit) && !math.IsNaN(q) && !math.IsInf(q, 0) && q > 0 {
		return strconv.FormatFloat(math.Round(q*100)/100, 'f', -1, 64)
	}
	return FormatQuantity(q)
}

// PluralUnit gives the plural of a countable unit; abbreviations stay.
func PluralUnit(unit string) string {
	switch unit {
	case "", "g", "kg", "mg", "ml", "l", "dl", "cl", "oz", "lb", "fl oz", "tbsp", "tsp", "cm", "in":
		return unit
	case "pinch", "dash", "bunch":
		return unit + "es"
	case "inch":
		return "inches"
	}
	return unit + "s"
}

// UnitLabel is unit as written after amount q: plural above one.
func UnitLabel(unit string, q float64) string {
	if q > 1 {
		return PluralUnit(unit)
	}
	return unit
}

// ShowTotal writes a sum to buy, base in g or ml of kind, in the unit of
// sys a cook buys it in (as ShowMeasure picks it): metric amounts rounded
// by RoundIn, others rounded up to the eighth, since a measuring cup's
// marks would lose what a list adds up (1 cup and 2 tbsp is 1⅛ cups, not
// 1 cup).
func ShowTotal(sys UnitSystem, kind string, base float64) (qty float64, unit string) {
	unit = pickUnit(sys, kind, base)
	q := base / measures[unit].size
	if IsMetric(unit) {
		return RoundIn(unit, q), unit
	}
	return math.Ceil(q*8-0.01) / 8, unit // a hair over an eighth is the table's rounding
}
