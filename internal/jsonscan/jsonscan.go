// Package jsonscan reads the two JSON shapes the database builds for every
// list page without reflection: arrays of names (a card's tags and
// categories) and arrays of {"v": name, "n": count} (the facets).
package jsonscan

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Through encoding/json's reflection these were about a seventh of a
// browse page's CPU. Each decoder gives exactly what json.Unmarshal
// gives: anything its scan does not take — an escape, a control
// character, invalid UTF-8, null, another key, a malformed array — goes
// to encoding/json, so results and errors are always its own.

// Strings decodes a JSON array of strings into *out (null gives
// nil, [] an empty slice).
func Strings(data []byte, out *[]string) error {
	if s, ok := scanArray(data, scanPlainString); ok {
		*out = s
		return nil
	}
	return json.Unmarshal(data, out)
}

// Facet is one element of a facet array.
type Facet struct {
	Value string `json:"v"`
	Count int    `json:"n"`
}

// Facets decodes a JSON array of Facet into *out.
func Facets(data []byte, out *[]Facet) error {
	if s, ok := scanArray(data, scanFacet); ok {
		*out = s
		return nil
	}
	return json.Unmarshal(data, out)
}

// scanArray reads a JSON array whose elements elem reads; ok is false
// for anything it leaves to encoding/json. elem reads from b[i] (not
// space) and returns the element and the index after it.
func scanArray[T any](b []byte, elem func(b []byte, i int) (T, int, bool)) (_ []T, ok bool) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	out := []T{}
	if i = skipJSONSpace(b, i+1); i < len(b) && b[i] == ']' {
		return out, skipJSONSpace(b, i+1) == len(b)
	}
	for {
		v, next, ok := elem(b, i)
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if i = skipJSONSpace(b, next); i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i = skipJSONSpace(b, i+1)
		case ']':
			return out, skipJSONSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// scanPlainString reads a string without escapes at b[i].
func scanPlainString(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", i, false
	}
	j := i + 1
	for j < len(b) && b[j] != '"' {
		if b[j] == '\\' || b[j] < 0x20 {
			return "", i, false
		}
		j++
	}
	if j >= len(b) || !utf8.Valid(b[i+1:j]) {
		return "", i, false
	}
	return string(b[i+1 : j]), j + 1, true
}

// scanFacet reads {"v": <plain string>, "n": <integer>} at b[i], keys in
// that order, as both databases write it.
func scanFacet(b []byte, i int) (f Facet, _ int, ok bool) {
	if i >= len(b) || b[i] != '{' {
		return f, i, false
	}
	if i, ok = scanKey(b, i+1, "v"); !ok {
		return f, i, false
	}
	if f.Value, i, ok = scanPlainString(b, i); !ok {
		return f, i, false
	}
	if i = skipJSONSpace(b, i); i >= len(b) || b[i] != ',' {
		return f, i, false
	}
	if i, ok = scanKey(b, i+1, "n"); !ok {
		return f, i, false
	}
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	// One digit, or several without a leading zero, as JSON writes them.
	if j == i || j-i > 18 || (b[i] == '0' && j-i > 1) {
		return f, i, false
	}
	n, err := strconv.Atoi(string(b[i:j]))
	if err != nil {
		return f, i, false
	}
	f.Count = n
	if i = skipJSONSpace(b, j); i >= len(b) || b[i] != '}' {
		return f, i, false
	}
	return f, i + 1, true
}

// scanKey reads `"key" :` (spaces allowed) from b[i] and returns the index
// of the value, its leading space skipped.
func scanKey(b []byte, i int, key string) (int, bool) {
	k, i, ok := scanPlainString(b, skipJSONSpace(b, i))
	if !ok || k != key {
		return i, false
	}
	if i = skipJSONSpace(b, i); i >= len(b) || b[i] != ':' {
		return i, false
	}
	return skipJSONSpace(b, i+1), true
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
