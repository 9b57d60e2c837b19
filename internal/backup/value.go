package backup

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Rows are stored one per line as a JSON array of canonical values, in the
// manifest's column order. "Canonical" means one value has exactly one
// encoding whichever engine it came from, so the SHA-256 of a table's file
// is also the checksum of its content and can be recomputed from any
// restored copy:
//
//   - NULL is null; text is a JSON string (valid UTF-8 only);
//   - integers are JSON integers; reals the shortest JSON number that
//     reads back to the same float64 (NaN and infinities are refused);
//   - booleans are true/false (SQLite's 0/1 included);
//   - timestamps are RFC 3339 UTC strings with exactly six fractional
//     digits (both engines keep microseconds);
//   - bytes are standard base64 strings;
//   - JSON documents are embedded compactly with object keys sorted.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// canonical turns a value scanned from either engine into its canonical
// JSON encoding.
func canonical(k kind, v any) ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}
	switch k {
	case kindText:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return nil, fmt.Errorf("text column holds %T", v)
		}
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("text is not valid UTF-8")
		}
		return json.Marshal(s)
	case kindInt:
		switch x := v.(type) {
		case int64:
			return strconv.AppendInt(nil, x, 10), nil
		case int32:
			return strconv.AppendInt(nil, int64(x), 10), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return strconv.AppendInt(nil, int64(x), 10), nil
			}
		}
		return nil, fmt.Errorf("integer column holds %T %v", v, v)
	case kindFloat:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		case int64:
			f = float64(x)
		default:
			return nil, fmt.Errorf("real column holds %T", v)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("real value %v cannot be stored", f)
		}
		return json.Marshal(f)
	case kindBool:
		switch x := v.(type) {
		case bool:
			return strconv.AppendBool(nil, x), nil
		case int64:
			if x == 0 || x == 1 {
				return strconv.AppendBool(nil, x == 1), nil
			}
		}
		return nil, fmt.Errorf("boolean column holds %T %v", v, v)
	case kindTime:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case string:
			p, err := parseStoredTime(x)
			if err != nil {
				return nil, err
			}
			t = p
		case []byte:
			p, err := parseStoredTime(string(x))
			if err != nil {
				return nil, err
			}
			t = p
		default:
			return nil, fmt.Errorf("timestamp column holds %T", v)
		}
		return json.Marshal(t.UTC().Format(timeLayout))
	case kindBytes:
		var b []byte
		switch x := v.(type) {
		case []byte:
			b = x
		case string:
			b = []byte(x)
		default:
			return nil, fmt.Errorf("bytes column holds %T", v)
		}
		return json.Marshal(base64.StdEncoding.EncodeToString(b))
	case kindJSON:
		var raw []byte
		switch x := v.(type) {
		case []byte:
			raw = x
		case string:
			raw = []byte(x)
		default:
			return nil, fmt.Errorf("json column holds %T", v)
		}
		return canonicalJSON(raw)
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}

// parseStoredTime reads the text SQLite keeps when the driver did not turn
// it into a time already.
func parseStoredTime(s string) (time.Time, error) {
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is in no known format", truncate(s, 40))
}

// canonicalJSON re-encodes a JSON document compactly with sorted object
// keys, numbers kept as written.
func canonicalJSON(raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON document: %w", err)
	}
	if d.More() {
		return nil, fmt.Errorf("invalid JSON document: trailing data")
	}
	return json.Marshal(v)
}

// encodeRow writes one canonical row line (without the newline).
func encodeRow(buf *bytes.Buffer, cols []column, vals []any) error {
	buf.WriteByte('[')
	for i, c := range cols {
		if i > 0 {
			buf.WriteByte(',')
		}
		b, err := canonical(c.Kind, vals[i])
		if err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		buf.Write(b)
	}
	buf.WriteByte(']')
	return nil
}

// decodeRow parses one line of an archive and returns the values to bind
// (engine-neutral Go values, which the store converts for its engine),
// checking every value against its column's kind. Nothing from an archive
// reaches the database without passing here.
func decodeRow(line []byte, cols []column) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, fmt.Errorf("not a JSON array: %w", err)
	}
	if len(raw) != len(cols) {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), len(cols))
	}
	out := make([]any, len(cols))
	for i, c := range cols {
		v, err := decodeValue(raw[i], c.Kind)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		out[i] = v
	}
	return out, nil
}

func decodeValue(raw json.RawMessage, k kind) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	str := func() (string, error) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("want a %s string", k)
		}
		return s, nil
	}
	switch k {
	case kindText:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("text is not valid UTF-8")
		}
		return s, nil
	case kindInt:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer, got %s", truncate(string(raw), 40))
		}
		return n, nil
	case kindFloat:
		var f float64
		if raw[0] == '"' || json.Unmarshal(raw, &f) != nil {
			return nil, fmt.Errorf("want a number, got %s", truncate(string(raw), 40))
		}
		return f, nil
	case kindBool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("want true or false, got %s", truncate(string(raw), 40))
		}
		return b, nil
	case kindTime:
		s, err := str()
		if err != nil {
			return nil, err
		}
		t, err := time.Parse(timeLayout, s)
		if err != nil || t.Format(timeLayout) != s {
			return nil, fmt.Errorf("want a UTC time like 2006-01-02T15:04:05.000000Z, got %q", truncate(s, 40))
		}
		return t, nil
	case kindBytes:
		s, err := str()
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("invalid base64")
		}
		return b, nil
	case kindJSON:
		c, err := canonicalJSON(raw)
		if err != nil {
			return nil, err
		}
		return string(c), nil
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
