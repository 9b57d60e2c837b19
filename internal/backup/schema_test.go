package backup

import (
	"context"
	"fmt"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestCatalogsMatchAcrossEngines: the format is engine-neutral only if
// both engines' schemas describe the same tables, columns, kinds and keys
// after the engine-specific parts are set aside. A migration that adds a
// table or column on one engine only, a jsonb column missing from
// sqliteJSONColumns, or a column type the format does not know fails
// here rather than in a restore.
func TestCatalogsMatchAcrossEngines(t *testing.T) {
	ctx := context.Background()
	describe := func(engine string) map[string]string {
		st := testutil.OpenStore(t, engine)
		tables, err := st.Tables(ctx, excludedTable)
		if err != nil {
			t.Fatalf("%s: %v", engine, err)
		}
		out := map[string]string{}
		for _, tb := range tables {
			d := ""
			for _, c := range tb.Columns {
				d += c.Name + ":" + string(c.Kind) + " "
			}
			out[tb.Name] = fmt.Sprintf("%skey %v", d, tb.Key)
		}
		return out
	}
	lite, pg := describe("sqlite"), describe("postgres")
	for name, d := range lite {
		if pg[name] != d {
			t.Errorf("table %s:\n  sqlite   %s\n  postgres %s", name, d, pg[name])
		}
	}
	for name := range pg {
		if _, ok := lite[name]; !ok {
			t.Errorf("table %s exists on PostgreSQL only", name)
		}
	}
	for _, must := range []string{"users", "recipes", "sessions", "api_tokens", "tags", "recipe_tags", "feature_flags", "audit_log", "tls_cache", "user_totp"} {
		if _, ok := lite[must]; !ok {
			t.Errorf("table %s is not backed up", must)
		}
	}
	for _, never := range []string{"goose_db_version", "backup_runs", "recipes_fts"} {
		if _, ok := lite[never]; ok {
			t.Errorf("table %s is backed up", never)
		}
	}
}

func TestCanonicalValues(t *testing.T) {
	for _, tc := range []struct {
		k    kind
		v    any
		want string
	}{
		{kindText, "a\"b<", `"a\"b\u003c"`},
		{kindInt, int64(-7), "-7"},
		{kindFloat, 0.1, "0.1"},
		{kindFloat, int64(2), "2"},
		{kindBool, int64(1), "true"},
		{kindBool, false, "false"},
		{kindTime, "2026-11-25T20:15:00.123456Z", `"2026-11-25T20:15:00.123456Z"`},
		{kindBytes, []byte{0, 255}, `"AP8="`},
		{kindJSON, `[ "b", {"z":1, "a":2.50} ]`, `["b",{"a":2.50,"z":1}]`},
		{kindJSON, []byte(`[]`), `[]`},
		{kindText, nil, "null"},
	} {
		got, err := canonical(tc.k, tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("canonical(%s, %#v) = %s, %v; want %s", tc.k, tc.v, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		k kind
		v any
	}{
		{kindText, string([]byte{0xff})}, {kindBool, int64(2)}, {kindInt, "x"}, {kindJSON, "{"},
	} {
		if _, err := canonical(tc.k, tc.v); err == nil {
			t.Errorf("canonical(%s, %#v) accepted", tc.k, tc.v)
		}
	}
	cols := []column{{Name: "t", Kind: kindTime}, {Name: "n", Kind: kindInt}, {Name: "b", Kind: kindBytes}}
	for _, bad := range []string{
		`["2026-11-25T20:15:00Z", 1, ""]`,          // not six fractional digits
		`["2026-11-25T20:15:00.000000Z", 1.5, ""]`, // not an integer
		`["2026-11-25T20:15:00.000000Z", 1, "!!"]`, // not base64
		`["2026-11-25T20:15:00.000000Z", 1]`,       // a value short
		`{"t": 1}`,
	} {
		if _, err := decodeRow([]byte(bad), cols); err == nil {
			t.Errorf("decodeRow(%s) accepted", bad)
		}
	}
}
