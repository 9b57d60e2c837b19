package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reccollection/reccollection/internal/validate"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// Shaped is implemented by request types that accept more than one JSON
// form (an ingredient as a line of text or as an object): it names the
// struct that the object form must match, so unknown fields inside it are
// reported too.
type Shaped interface {
	ObjectShape() any
}

// DecodeJSON reads the request body into dst, a pointer to a struct. It
// answers every way a body can be wrong with the right problem:
// 415 not JSON, 413 too large, 400 not UTF-8, malformed or of the wrong
// types, and 422 listing every field the API does not know.
func DecodeJSON(r *http.Request, dst any) *Problem { return DecodeJSONUpTo(r, dst, MaxBody) }

// DecodeJSONUpTo is DecodeJSON for a route whose body may be larger than
// MaxBody (a whole web page pasted to import), up to limit bytes.
func DecodeJSONUpTo(r *http.Request, dst any, limit int64) *Problem {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return NewProblem(http.StatusUnsupportedMediaType, "Send the body as application/json.")
		}
	}
	tooLarge := func() *Problem {
		return NewProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("The body must be at most %d bytes.", limit))
	}
	if r.ContentLength > limit {
		return tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return NewProblem(http.StatusBadRequest, "The request body could not be read.")
	}
	if int64(len(body)) > limit {
		return tooLarge()
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return NewProblem(http.StatusBadRequest, "The request body is empty; send a JSON object.")
	}
	if !utf8.Valid(body) {
		return NewProblem(http.StatusBadRequest, "The request body is not valid UTF-8.")
	}
	if !json.Valid(body) {
		return NewProblem(http.StatusBadRequest, "The request body is not valid JSON: "+syntaxErrorDetail(body))
	}
	if t := bytes.TrimSpace(body); t[0] != '{' {
		return NewProblem(http.StatusBadRequest, "The request body must be a JSON object.")
	}
	var unknown validate.Errors
	unknownFields(body, reflect.TypeOf(dst), "", &unknown)
	if len(unknown) > 0 {
		p := Invalid(unknown)
		p.Detail = "The request has fields this API does not know; see errors."
		return p
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := jsonPath(te.Field)
			p := NewProblem(http.StatusBadRequest, fmt.Sprintf("Field %q must be %s, not %s.", field, describeType(te.Type), te.Value))
			p.Errors = validate.Errors{{Field: field, Message: "must be " + describeType(te.Type)}}
			return p
		}
		var fe *FieldTypeError
		if errors.As(err, &fe) {
			p := NewProblem(http.StatusBadRequest, fmt.Sprintf("Field %q %s.", fe.Field, fe.Message))
			p.Errors = validate.Errors{{Field: fe.Field, Message: fe.Message}}
			return p
		}
		return NewProblem(http.StatusBadRequest, "The request body could not be decoded: "+err.Error())
	}
	return nil
}

// FieldTypeError lets a custom UnmarshalJSON report a wrong type with a
// field path of its own.
type FieldTypeError struct{ Field, Message string }

func (e *FieldTypeError) Error() string { return e.Field + " " + e.Message }

func syntaxErrorDetail(body []byte) string {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	if err != nil {
		return err.Error()
	}
	return "unexpected content"
}

// jsonPath turns encoding/json's "ingredients.2.name" into "ingredients[2].name".
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	var b strings.Builder
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}

var shapedType = reflect.TypeFor[Shaped]()

// unknownFields walks raw alongside the Go type it will decode into and
// records every object key that no field is tagged with. Values of the
// wrong JSON kind are left for json.Unmarshal to report.
func unknownFields(raw []byte, t reflect.Type, path string, out *validate.Errors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(shapedType) || reflect.PointerTo(t).Implements(shapedType) {
		shape := reflect.New(t).Interface().(Shaped).ObjectShape()
		if first(raw) == '{' {
			unknownFields(raw, reflect.TypeOf(shape), path, out)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return
		}
		fields := jsonFields(t)
		for _, key := range sortedKeys(obj) {
			ft, ok := fields[key]
			name := key
			if path != "" {
				name = path + "." + key
			}
			if !ok {
				out.Add(name, "is not a known field")
				continue
			}
			unknownFields(obj[key], ft, name, out)
		}
	case reflect.Slice:
		if first(raw) != '[' {
			return
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		for i, item := range items {
			unknownFields(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

func first(raw []byte) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the outer object's, as
			// encoding/json decodes them; the outer struct's own win.
			for k, v := range jsonFields(f.Type) {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys(m map[string]json.RawMessage) []string {
	// A stable order makes answers reproducible.
	return slices.Sorted(maps.Keys(m))
}
