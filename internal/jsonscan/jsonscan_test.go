package jsonscan

import (
	"encoding/json"
	"reflect"
	"testing"
)

// jsonCases are arrays as the databases write them and inputs the fast
// paths must hand to encoding/json.
var jsonCases = []string{
	`[]`, ` [ ] `, `["a"]`, `["spicy", "chicken", "tacos"]`, `["a","b"]`, "[\n\"a\" ,\t\"b\"\r]",
	`["crème brûlée", "日本", "🌶️"]`, `[""]`, `["a", ""]`,
	`null`, ``, `[`, `]`, `["a"`, `["a",]`, `["a" "b"]`, `[1]`, `["a", 1]`, `{"a":1}`, `["a"] x`,
	`["quote \" inside"]`, `["tab\there"]`, `["\u00e9"]`, `["back\\slash"]`, "[\"raw\ttab\"]",
	"[\"\xff\xfe\"]", `[null]`, `["a", null]`, `"a"`,
	// Facets, as PostgreSQL's json_build_object and SQLite's json_object
	// write them, and near misses.
	`[{"v" : "vegetarian", "n" : 3}, {"v" : "spicy", "n" : 12}]`, `[{"v":"soup","n":1000}]`,
	`[{"v":"a","n":0}]`, `[{"v":"a","n":01}]`, `[{"v":"a","n":-1}]`, `[{"v":"a","n":1.5}]`, `[{"v":"a","n":1e2}]`,
	`[{"n":1,"v":"a"}]`, `[{"V":"a","N":1}]`, `[{"v":"a"}]`, `[{"v":"a","n":1,"x":2}]`, `[{"v":"a","n":"1"}]`,
	`[{"v":"a\u00e9","n":1}]`, `[{"v":"a","n":99999999999999999999}]`, `[{"v":"a","n":1}`, `[{"v":"a","n":1},]`,
	`[{"v":"a","v":"b","n":1}]`, `[{}]`, `[{"v":null,"n":null}]`,
}

// TestFastJSONMatchesEncodingJSON: whatever the input, each decoder's
// result, and whether it is an error, are encoding/json's.
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	for _, in := range jsonCases {
		checkFastJSON(t, []byte(in))
	}
}

func FuzzFastJSON(f *testing.F) {
	for _, in := range jsonCases {
		f.Add([]byte(in))
	}
	f.Fuzz(checkFastJSON)
}

func checkFastJSON(t *testing.T, in []byte) {
	checkDecoder(t, in, Strings)
	checkDecoder(t, in, Facets)
}

func checkDecoder[T any](t *testing.T, in []byte, decode func([]byte, *[]T) error) {
	var want, got []T
	wantErr := json.Unmarshal(in, &want)
	gotErr := decode(in, &got)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q into %T: error %v, encoding/json says %v", in, got, gotErr, wantErr)
	}
	if wantErr == nil && (!reflect.DeepEqual(got, want) || (got == nil) != (want == nil)) {
		t.Fatalf("%q: %#v, encoding/json gives %#v", in, got, want)
	}
}

func BenchmarkFastJSON(b *testing.B) {
	names := []byte(`["vegetarian", "quick", "weeknight", "spicy"]`)
	facets := []byte(`[{"v" : "vegetarian", "n" : 312}, {"v" : "quick", "n" : 201}, {"v" : "spicy", "n" : 97}]`)
	b.Run("strings", func(b *testing.B) { benchDecode(b, names, Strings) })
	b.Run("strings-encoding-json", func(b *testing.B) { benchDecode(b, names, unmarshal[[]string]) })
	b.Run("facets", func(b *testing.B) { benchDecode(b, facets, Facets) })
	b.Run("facets-encoding-json", func(b *testing.B) { benchDecode(b, facets, unmarshal[[]Facet]) })
}

// benchDecode times decode of data into a fresh T.
func benchDecode[T any](b *testing.B, data []byte, decode func([]byte, *T) error) {
	for b.Loop() {
		var out T
		if err := decode(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func unmarshal[T any](data []byte, out *T) error { return json.Unmarshal(data, out) }
