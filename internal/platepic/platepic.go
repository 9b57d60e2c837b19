// Package platepic draws pictures of food for demo and benchmark data: a dish seen from above
// on a table, its colours chosen from the recipe's title. The pictures are generated rather
// than shipped, so there is nothing to license, the same seed and title always give the same
// bytes (for tests and benchmarks), and they are made of soft shading, so they compress and
// scale like photographs when they go through the upload pipeline.
package platepic

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
)

// Draw returns a w×h picture of a dish seen from above, the same for the same seed and title.
// A size below 1 is taken as 0 (an empty picture).
func Draw(seed uint64, title string, w, h int) *image.RGBA {
	w, h = max(w, 0), max(h, 0)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == 0 || h == 0 {
		return img
	}
	r := newRNG(seed, title)
	l := lookOf(title)
	c := newCanvas(w, h)
	W, H := float64(w), float64(h)
	size := math.Min(W, H)

	table := drawTable(c, r, math.Sqrt(W*H))

	// The dish: a little off centre, towards the side with more room when the picture is wide.
	d := dish{r: size * r.between(0.36, 0.41)}
	wide := W > H*1.15
	tall := H > W*1.15
	side := 1.0
	if r.chance(0.5) {
		side = -1
	}
	d.x = W/2 + size*r.between(-0.06, 0.06)
	d.y = H/2 + size*r.between(-0.06, 0.06)
	if wide {
		d.x = W/2 - side*math.Min(W-H, H)*0.18
	}
	if tall {
		d.y = H/2 - side*math.Min(H-W, W)*0.18
	}
	if !l.styled {
		l.style = []style{heap, heap, heap, salad, noodles, round, pieces, soup}[r.intn(8)]
		if l.main != nil {
			l.style = heap
		}
	}
	if l.pan && (l.style == round || l.style == heap) && !l.grain {
		l.style = soup // a skillet is full to its wall: a sauce with things cooked in it
	}
	d.pan = l.pan
	d.bowl = l.pan || l.style == soup || (l.style == heap && r.chance(0.3))
	if d.bowl {
		d.r *= 0.92
		d.well = d.r * 0.74
	} else {
		d.well = d.r * r.between(0.66, 0.72)
	}
	// Dark stoneware, but not on dark slate, where it would vanish.
	glaze := r.intn(len(glazes))
	if table == slate && glaze == len(glazes)-1 {
		glaze = 0
	}
	d.glaze, d.gloss = glazes[glaze], 0.6
	if glaze == len(glazes)-1 {
		d.gloss = 0.25
	}
	if d.pan {
		d.glaze, d.gloss = iron, 0.15
		d.r *= 0.95
		d.well = d.r * 0.8
		// The handle points out of the picture, on the side with the most room.
		d.handle = math.Atan2(d.y-H/2, d.x-W/2) + r.between(-0.4, 0.4)
		if d.x == W/2 && d.y == H/2 {
			d.handle = r.angle()
		}
	}
	if !d.bowl && r.chance(0.3) {
		b := bands[r.intn(len(bands))]
		d.band = &b
	}

	// A few things dropped on the table, then the place setting, under and beside the dish
	// where there is room.
	scatter(c, r, size, d, l.sweet)
	var taken []circle
	if d.pan {
		ux, uy := math.Cos(d.handle), math.Sin(d.handle)
		taken = append(taken, circle{d.x + ux*d.r*1.35, d.y + uy*d.r*1.35, d.r * 0.45})
	}
	if !d.pan && (wide || tall || r.chance(0.5)) {
		taken = append(taken, setting(c, r, d, W, H, size))
	}
	if r.chance(0.4) {
		drawRamekin(c, r, d, taken, W, H, size, l.sweet)
	}
	drawDish(c, d)

	main, accent := l.main, l.accent
	if main == nil {
		// No word of the title names a colour: a warm mix.
		main = []*palette{&goldens, &oranges, &reds, &browns}[r.intn(4)]
		accent = []*palette{&greens, &creams, &yellows}[r.intn(3)]
	}
	foodR := d.well
	if !d.bowl {
		foodR = d.well * 1.05
	}
	drawFood(c, r, plateFood{x: d.x, y: d.y, r: foodR, look: l, main: main, accent: accent})
	if d.bowl {
		rimShade(c, d)
	}
	finish(c, img.Pix, img.Stride, r.between(0, 0.03))
	return img
}

// setting lays a napkin with a fork or spoon on it (or one of them) beside the dish, on the side
// with the most room; in a square picture, across a corner. It answers the area it took.
func setting(c *canvas, r *rng, d dish, W, H, size float64) circle {
	// Room on each side of the dish, and the widest of them.
	rooms := []float64{d.x - d.r, W - d.x - d.r, d.y - d.r, H - d.y - d.r}
	best := 0
	for i, room := range rooms {
		if room > rooms[best] {
			best = i
		}
	}
	room := rooms[best]
	l := size * r.between(0.62, 0.75)
	gap := math.Max(room*0.5, size*0.06)
	var x, y, angle float64
	tilt := r.between(-0.12, 0.12)
	switch best {
	case 0:
		x, y, angle = d.x-d.r-gap, d.y+l/2, -math.Pi/2+tilt
	case 1:
		x, y, angle = d.x+d.r+gap, d.y+l/2, -math.Pi/2+tilt
	case 2:
		x, y, angle = d.x-l/2, d.y-d.r-gap, tilt
	default:
		x, y, angle = d.x-l/2, d.y+d.r+gap, tilt
	}
	if room < size*0.1 {
		// No room beside the dish: lay it across the corner farthest from the dish, partly out
		// of the picture.
		cx, cy := 0.0, 0.0
		if d.x < W/2 {
			cx = W
		}
		if d.y < H/2 {
			cy = H
		}
		ix, iy := 1.0, 1.0 // towards the inside of the picture from that corner
		if cx > 0 {
			ix = -1
		}
		if cy > 0 {
			iy = -1
		}
		mx, my := cx+ix*size*0.17, cy+iy*size*0.17
		angle = math.Atan2(ix, -iy) + tilt
		x, y = mx-math.Cos(angle)*l/2, my-math.Sin(angle)*l/2
	}
	mx, my := x+math.Cos(angle)*l/2, y+math.Sin(angle)*l/2
	switch k := r.intn(10); {
	case k < 6:
		drawNapkin(c, r, mx, my, l*0.62, l*0.3, angle+r.between(-0.08, 0.08))
		drawCutlery(c, r, x, y, l, angle)
	case k < 8:
		drawCutlery(c, r, x, y, l, angle)
	default:
		// A napkin alone, folded smaller.
		drawNapkin(c, r, mx, my, l*0.45, l*0.28, angle+r.between(-0.2, 0.2))
	}
	return circle{mx, my, l * 0.5}
}

// circle is a round area of the picture that something occupies.
type circle struct{ x, y, r float64 }

// ramekins are what a small dish on the side holds: flaky salt (or sugar), chopped herbs,
// chilli flakes, olive oil, berries.
type ramekin int

const (
	salt ramekin = iota
	herbs
	chilli
	oil
	fruit
)

// drawRamekin puts a small dish of seasoning in a corner of the picture where it touches
// neither the dish nor what else is on the table; it may find no room and draw nothing.
func drawRamekin(c *canvas, r *rng, d dish, avoid []circle, W, H, size float64, sweet bool) {
	rad := size * r.between(0.09, 0.11)
	inset := rad * 1.5
	corners := [][2]float64{{inset, inset}, {W - inset, inset}, {inset, H - inset}, {W - inset, H - inset}}
	start := r.intn(4)
	for i := range corners {
		p := corners[(start+i)%4]
		if length(p[0]-d.x, p[1]-d.y) < d.r+rad*1.4 {
			continue
		}
		clear := true
		for _, a := range avoid {
			if length(p[0]-a.x, p[1]-a.y) < a.r+rad*1.2 {
				clear = false
			}
		}
		if !clear {
			continue
		}
		k := dish{x: p[0], y: p[1], r: rad, well: rad * 0.74, bowl: true, glaze: glazes[r.intn(len(glazes))], gloss: 0.5}
		drawDish(c, k)
		what := ramekin(r.intn(4))
		if sweet {
			what = []ramekin{salt, fruit}[r.intn(2)]
		}
		fillRamekin(c, r, k, what)
		rimShade(c, k)
		return
	}
}

// fillRamekin fills a small dish with its seasoning.
func fillRamekin(c *canvas, r *rng, k dish, what ramekin) {
	switch what {
	case oil:
		surface := blob{x: k.x, y: k.y, r: k.well, col: hex(0xa8921c), bulge: 0.05, gloss: 1, edge: 1.2}
		surface.draw(c, 0)
	case fruit:
		for i := 0; i < 16; i++ {
			x, y := spot(r, k.x, k.y, k.well*0.75)
			dot(c, x, y, k.well*r.between(0.2, 0.26), berryTones[r.intn(len(berryTones))], 0.8, 0.4)
		}
	case salt:
		bed := blob{x: k.x, y: k.y, r: k.well, col: hex(0xe2ddd2), bulge: 0.25, edge: 1.2}
		bed.draw(c, 0)
		for i := 0; i < 90; i++ {
			x, y := spot(r, k.x, k.y, k.well*0.92)
			drawGrain(c, x, y, k.well*r.between(0.12, 0.2), k.well*r.between(0.08, 0.14), r.angle(), hex(0xf4f1ea).scale(r.between(0.9, 1)))
		}
	default:
		base, bits := herbGreen.scale(0.7), []rgb{herbGreen, basil, hex(0x6b8f3a)}
		if what == chilli {
			base, bits = hex(0x7a1d10), []rgb{hex(0xb3301a), hex(0xd2582a), hex(0x8e2414), hex(0xe8c9a0)}
		}
		bed := blob{x: k.x, y: k.y, r: k.well, col: base, bulge: 0.2, edge: 1.2}
		bed.draw(c, 0)
		for i := 0; i < 140; i++ {
			x, y := spot(r, k.x, k.y, k.well*0.95)
			dot(c, x, y, k.well*r.between(0.04, 0.08), bits[r.intn(len(bits))], 0.2, 0.3)
		}
	}
}

// JPEG is Draw encoded as a JPEG (quality 85), ready to upload.
func JPEG(seed uint64, title string, w, h int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Draw(seed, title, w, h), &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
