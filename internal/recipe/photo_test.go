package recipe

import "testing"

// Smallest picks the narrowest variant wide enough (the widest when none
// is), Widest the widest; both keep to one format and are nil-safe.
func TestPhotoVariantChoice(t *testing.T) {
	p := &Photo{Variants: []PhotoVariant{
		{URL: "w1024", Width: 1024, Format: "webp"}, {URL: "j1024", Width: 1024, Format: "jpeg"},
		{URL: "w640", Width: 640, Format: "webp"}, {URL: "j640", Width: 640, Format: "jpeg"},
		{URL: "j320", Width: 320, Format: "jpeg"},
	}}
	for _, c := range []struct {
		format string
		min    int
		want   string
	}{
		{"jpeg", 0, "j320"}, {"jpeg", 321, "j640"}, {"jpeg", 640, "j640"}, {"jpeg", 2000, "j1024"},
		{"webp", 0, "w640"}, {"webp", 700, "w1024"}, {"gif", 0, ""},
	} {
		got := ""
		if v := p.Smallest(c.format, c.min); v != nil {
			got = v.URL
		}
		if got != c.want {
			t.Errorf("Smallest(%q, %d) = %q, want %q", c.format, c.min, got, c.want)
		}
	}
	if v := p.Widest("jpeg"); v == nil || v.URL != "j1024" {
		t.Errorf("Widest(jpeg) = %+v", v)
	}
	if v := p.Widest("gif"); v != nil {
		t.Errorf("Widest(gif) = %+v, want nil", v)
	}
	var none *Photo
	if none.Widest("jpeg") != nil || none.Smallest("jpeg", 0) != nil || none.Ready() {
		t.Error("a nil photo has variants")
	}
}
