package recipe

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// temperature matches a temperature in a step: "180°C", "350 °F",
// "350 degrees F", "200 deg C", "425 degrees Fahrenheit".
var temperature = regexp.MustCompile(`(?i)\b(\d{2,3})(?:\s*[°º]\s*|\s*degrees?\s+|\s*deg\.?\s*)(c|f|celsius|centigrade|fahrenheit)\b`)

// ConvertTemperatures rewrites the temperatures in a step's text into
// sys: °F to °C for metric, °C to °F for US. A step that already gives
// both ("180°C/350°F") is left as it is, as is everything for AsWritten.
// Oven temperatures round as oven dials are marked (to 10 °C and 25 °F:
// 350°F is 180°C, 180°C is 350°F); lower ones, such as the inside of a
// roast, to the degree.
func ConvertTemperatures(text string, sys UnitSystem) string {
	if sys != Metric && sys != USCustomary {
		return text
	}
	found := temperature.FindAllStringSubmatch(text, -1)
	if len(found) == 0 {
		return text
	}
	var c, f bool
	for _, m := range found {
		if strings.EqualFold(m[2][:1], "f") {
			f = true
		} else {
			c = true
		}
	}
	if c && f {
		return text
	}
	return temperature.ReplaceAllStringFunc(text, func(s string) string {
		m := temperature.FindStringSubmatch(s)
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return s
		}
		isF := strings.EqualFold(m[2][:1], "f")
		switch {
		case isF && sys == Metric:
			return strconv.Itoa(roundTemperature((float64(n)-32)*5/9, 120, 10)) + "°C"
		case !isF && sys == USCustomary:
			return strconv.Itoa(roundTemperature(float64(n)*9/5+32, 250, 25)) + "°F"
		}
		return s
	})
}

// roundTemperature rounds t to step from oven heat (oven) up, else to the
// degree.
func roundTemperature(t, oven, step float64) int {
	if t >= oven {
		return int(math.Round(t/step) * step)
	}
	return int(math.Round(t))
}
