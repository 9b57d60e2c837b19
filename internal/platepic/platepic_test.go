package platepic

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

func TestSameSeedAndTitleGiveTheSameBytes(t *testing.T) {
	for _, title := range []string{"Tomato pasta", "Green herb salad", "Masala Chai", ""} {
		a, err := JPEG(42, title, 400, 300)
		if err != nil {
			t.Fatal(err)
		}
		b, err := JPEG(42, title, 400, 300)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%q: two JPEGs from one seed differ", title)
		}
		if !bytes.Equal(Draw(42, title, 120, 90).Pix, Draw(42, title, 120, 90).Pix) {
			t.Errorf("%q: two pictures from one seed differ", title)
		}
	}
}

func TestDifferentSeedsGiveVisiblyDifferentPictures(t *testing.T) {
	const w, h = 200, 150
	base := Draw(1, "Tomato pasta", w, h)
	for seed := uint64(2); seed < 8; seed++ {
		other := Draw(seed, "Tomato pasta", w, h)
		// Mean absolute difference per channel: visibly different is well above JPEG noise.
		if d := meanAbsDiff(base, other); d < 8 {
			t.Errorf("seeds 1 and %d: mean difference %.1f per channel, want at least 8", seed, d)
		}
	}
	if d := meanAbsDiff(Draw(1, "Tomato pasta", w, h), Draw(1, "Tomato soup", w, h)); d < 8 {
		t.Errorf("one seed, two titles: mean difference %.1f per channel, want at least 8", d)
	}
}

func TestSizeIsHonoured(t *testing.T) {
	for _, s := range [][2]int{{1, 1}, {37, 900}, {900, 37}, {2, 3}, {1601, 1199}, {0, 10}, {-5, 10}} {
		img := Draw(7, "Chunky Guacamole", s[0], s[1])
		w, h := max(s[0], 0), max(s[1], 0)
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h || b.Min != (image.Point{}) {
			t.Errorf("Draw(%d×%d) is %v", s[0], s[1], b)
		}
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] != 255 {
				t.Fatalf("Draw(%d×%d): pixel %d is not opaque", s[0], s[1], i/4)
			}
		}
	}
}

func TestPictureIsNotFlat(t *testing.T) {
	for seed := uint64(0); seed < 12; seed++ {
		img := Draw(seed, "Weeknight Chana Masala", 320, 240)
		if sd := stddev(img, img.Bounds()); sd < 12 {
			t.Errorf("seed %d: colour deviation %.1f, want at least 12", seed, sd)
		}
		// The middle (the dish and its food) is not the table (the corners).
		mid := mean(img, image.Rect(130, 90, 190, 150))
		corner := mean(img, image.Rect(0, 0, 20, 20)).add(mean(img, image.Rect(300, 220, 320, 240))).scale(0.5)
		if d := mid.dist(corner); d < 0.08 {
			t.Errorf("seed %d: the middle %v is too close to the corners %v (%.3f)", seed, mid, corner, d)
		}
	}
}

func TestPaletteFollowsTheTitle(t *testing.T) {
	// Over many seeds (tables and plates vary), the food in the middle follows the words.
	centre := func(title string) (green, red float64) {
		var sum rgb
		const n = 16
		for seed := uint64(0); seed < n; seed++ {
			img := Draw(seed, title, 240, 180)
			c := mean(img, image.Rect(100, 70, 140, 110))
			sum = sum.add(c)
		}
		sum = sum.scale(1.0 / n)
		// Green and red relative to the other channels, so bright and dark food compare.
		return sum.g - (sum.r+sum.b)/2, sum.r - (sum.g+sum.b)/2
	}
	saladGreen, saladRed := centre("Green herb salad")
	pastaGreen, pastaRed := centre("Tomato pasta")
	if saladGreen <= pastaGreen+0.05 {
		t.Errorf("green: salad %.3f, tomato pasta %.3f; want the salad clearly greener", saladGreen, pastaGreen)
	}
	if pastaRed <= saladRed+0.1 {
		t.Errorf("red: tomato pasta %.3f, salad %.3f; want the pasta clearly redder", pastaRed, saladRed)
	}
	chocolate := brightness(centre3("Chocolate brownie"))
	rice := brightness(centre3("Coconut rice"))
	if chocolate >= rice-0.15 {
		t.Errorf("brightness: chocolate %.3f, coconut rice %.3f; want the chocolate clearly darker", chocolate, rice)
	}
}

func TestTitleWords(t *testing.T) {
	for _, c := range []struct {
		title string
		main  *palette
		style style
	}{
		{"Tomato pasta", &reds, noodles},
		{"Green herb salad", &greens, salad},
		{"Blueberries and cream", &purples, heap},
		{"Chewy Chocolate Chip Cookies", &browns, pieces},
		{"Lemon curd tart", &yellows, round},
		{"Thai Green Chicken Curry", &greens, soup},
		{"Pad Thai with Prawns", &oranges, noodles},
		{"Beetroot Borscht", &purples, soup},
		{"Egg Fried Rice", &yellows, heap},
		{"Slow-Cooked Beef Ragù with Pappardelle", &reds, noodles},
		{"Oatmeal Raisin Cookies", &creams, pieces},
		{"Tomato Soup with Grilled Cheese Toast", &reds, soup},
		{"Caesar Salad with Garlic Croutons", &greens, salad},
		{"One-Bowl Banana Bread", &yellows, pieces},
		{"Tonkotsu Ramen (Work in Progress)", &oranges, soup},
	} {
		l := lookOf(c.title)
		if l.main != c.main {
			t.Errorf("%q: main palette %v, want %v", c.title, name(l.main), name(c.main))
		}
		if c.style != heap && (l.style != c.style || !l.styled) {
			t.Errorf("%q: style %d, want %d", c.title, l.style, c.style)
		}
	}
	if l := lookOf("Chewy Chocolate Chip Cookies"); l.body != &goldens {
		t.Errorf("cookies: body %v, want goldens", name(l.body))
	}
	if l := lookOf("Xyzzy"); l.main != nil || l.styled {
		t.Errorf("a title without food words chose %v, style %v", name(l.main), l.styled)
	}
}

func TestEveryKindOfDishIsDrawn(t *testing.T) {
	// One title for each form of food and vessel; each must put something in the middle that
	// is not the table.
	for _, title := range []string{"Minestrone", "Beef stew", "Tonkotsu Ramen", "Caesar Salad",
		"Spaghetti Carbonara", "Pappardelle", "Margherita Pizza", "Fluffy Buttermilk Pancakes",
		"Chewy Chocolate Chip Cookies", "Fudgy Brownies", "Rosemary Focaccia", "All-Butter Croissants",
		"Egg Fried Rice", "Shakshuka", "Paella", "Roast chicken", "Xyzzy", "Ä ß 🍝", ""} {
		for seed := uint64(0); seed < 4; seed++ {
			img := Draw(seed, title, 160, 120)
			mid := mean(img, image.Rect(65, 45, 95, 75))
			corner := mean(img, image.Rect(0, 0, 10, 10)).add(mean(img, image.Rect(150, 110, 160, 120))).scale(0.5)
			if d := mid.dist(corner); d < 0.05 {
				t.Errorf("%q seed %d: the middle %v is too close to the corners %v (%.3f)", title, seed, mid, corner, d)
			}
		}
	}
}

func TestJPEGDecodesAtTheAskedSize(t *testing.T) {
	for _, s := range [][2]int{{1600, 1200}, {37, 900}, {1, 1}} {
		data, err := JPEG(3, "Shakshuka", s[0], s[1])
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%v: %v", s, err)
		}
		if b := img.Bounds(); b.Dx() != s[0] || b.Dy() != s[1] {
			t.Errorf("JPEG(%d×%d) decodes as %v", s[0], s[1], b)
		}
		if s[0] == 1600 && len(data) > 400<<10 {
			// Smooth shading compresses like a photograph, not like noise.
			t.Errorf("a 1600×1200 JPEG is %d KB, want at most 400", len(data)>>10)
		}
	}
}

func BenchmarkDraw1600x1200(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Draw(uint64(i), "Slow-Cooked Beef Ragù with Pappardelle", 1600, 1200)
	}
}

func BenchmarkJPEG1600x1200(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := JPEG(uint64(i), "Green herb salad", 1600, 1200); err != nil {
			b.Fatal(err)
		}
	}
}

func name(p *palette) string {
	for n, q := range map[string]*palette{"reds": &reds, "oranges": &oranges, "greens": &greens,
		"browns": &browns, "yellows": &yellows, "goldens": &goldens, "purples": &purples, "creams": &creams} {
		if p == q {
			return n
		}
	}
	return "none"
}

func (c rgb) add(o rgb) rgb { return rgb{c.r + o.r, c.g + o.g, c.b + o.b} }

func (c rgb) dist(o rgb) float64 {
	return math.Sqrt((c.r-o.r)*(c.r-o.r) + (c.g-o.g)*(c.g-o.g) + (c.b-o.b)*(c.b-o.b))
}

func brightness(c rgb) float64 { return (c.r + c.g + c.b) / 3 }

func centre3(title string) rgb {
	var sum rgb
	const n = 16
	for seed := uint64(0); seed < n; seed++ {
		sum = sum.add(mean(Draw(seed, title, 240, 180), image.Rect(100, 70, 140, 110)))
	}
	return sum.scale(1.0 / n)
}

// mean is the average colour of the rectangle, channels in [0, 1].
func mean(img *image.RGBA, r image.Rectangle) rgb {
	var sum rgb
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.Pix[img.PixOffset(x, y):]
			sum = sum.add(rgb{float64(p[0]), float64(p[1]), float64(p[2])})
			n++
		}
	}
	return sum.scale(1 / (255 * float64(n)))
}

// stddev is the deviation of all channels over the rectangle, in 8-bit units.
func stddev(img *image.RGBA, r image.Rectangle) float64 {
	var sum, sq float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.Pix[img.PixOffset(x, y):]
			for _, v := range p[:3] {
				sum += float64(v)
				sq += float64(v) * float64(v)
				n++
			}
		}
	}
	m := sum / float64(n)
	return math.Sqrt(sq/float64(n) - m*m)
}

func meanAbsDiff(a, b *image.RGBA) float64 {
	var sum float64
	for i := range a.Pix {
		if i%4 != 3 {
			sum += math.Abs(float64(a.Pix[i]) - float64(b.Pix[i]))
		}
	}
	return sum / float64(len(a.Pix)/4*3)
}
