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
		// The handle points away from the middle of the picture and out of it, leaving the
		// rest of the table free.
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

// JPEG is Draw encoded as a JPEG (quality 85), ready to upload.
func JPEG(seed uint64, title string, w, h int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Draw(seed, title, w, h), &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
