package platepic

import (
	"math"
	"math/cmplx"
)

// blob is a soft, rounded piece of food: a circle whose radius wobbles with the angle (three
// low harmonics), shaded as a low dome lit from the window.
type blob struct {
	x, y, r float64
	col     rgb
	wobble  [3]complex128 // coefficients of e^{2iθ}, e^{3iθ}, e^{5iθ}
	bulge   float64       // how domed: 0 flat, 1 a hemisphere
	gloss   float64
	edge    float64 // softness of the outline in pixels (at least the antialiasing width)
	texture float64 // how much a soft mottle varies the colour (0 for none)
	grain   uint32  // the mottle's noise seed
}

func newBlob(r *rng, x, y, rad float64, col rgb, irregular float64) blob {
	b := blob{x: x, y: y, r: rad, col: col, bulge: r.between(0.25, 0.55), edge: 1.2, texture: 0.16, grain: r.noiseSeed()}
	for i := range b.wobble {
		amp := irregular * r.between(0.3, 1) / float64(i+1)
		b.wobble[i] = cmplx.Rect(amp, r.angle())
	}
	return b
}

// radiusAt is the blob's radius in the direction of the unit vector z.
func (b *blob) radiusAt(z complex128) float64 {
	z2 := z * z
	z3 := z2 * z
	z5 := z3 * z2
	return b.r * (1 + real(b.wobble[0]*z2) + real(b.wobble[1]*z3) + real(b.wobble[2]*z5))
}

func (b *blob) reach() float64 {
	return b.r*(1+cmplx.Abs(b.wobble[0])+cmplx.Abs(b.wobble[1])+cmplx.Abs(b.wobble[2])) + b.edge
}

// draw paints the blob with a contact shadow under it (strength 0 for none).
func (b blob) draw(c *canvas, shadow float64) {
	reach := b.reach()
	if shadow > 0 {
		ox, oy := -light.x*b.r*0.3, -light.y*b.r*0.3
		soft := b.r*0.45 + 1
		sr := reach + soft
		c.shade(b.x+ox-sr, b.y+oy-sr, b.x+ox+sr, b.y+oy+sr, shadowTint, func(px, py float64) float64 {
			return shadow * cover(length(px-b.x-ox, py-b.y-oy)-b.r*0.95, soft)
		})
	}
	c.paint(b.x-reach, b.y-reach, b.x+reach, b.y+reach, func(px, py float64) (float64, rgb) {
		dx, dy := px-b.x, py-b.y
		dist := math.Sqrt(dx*dx + dy*dy)
		if dist > reach {
			return 0, rgb{}
		}
		z := complex(1, 0)
		if dist > 0 {
			z = complex(dx/dist, dy/dist)
		}
		rr := b.radiusAt(z)
		a := cover(dist-rr, b.edge)
		if a <= 0 {
			return 0, rgb{}
		}
		q := math.Min(dist/rr, 1)
		s := b.bulge * q / math.Sqrt(math.Max(1-q*q, 0.06))
		n := vec3{real(z) * s, imag(z) * s, 1}.unit()
		k := lit(n)
		if b.texture > 0 {
			k *= 1 + b.texture*(noise(dx/b.r*2.5, dy/b.r*2.5, b.grain)-0.5)
		}
		return a, b.col.scale(k).plus(b.gloss * 0.45 * glint(n, 5))
	})
}

// leafShape is the signed distance to a leaf of length l and width w, centred at the origin,
// pointing along u: the intersection of two circles (a vesica), one formula for both halves.
func leafShape(u, v, l, w float64) float64 {
	half := l / 2
	rho := (half*half + w*w/4) / w
	off := rho - w/2
	return math.Sqrt(u*u+(math.Abs(v)+off)*(math.Abs(v)+off)) - rho
}

// drawGrain paints a grain of rice: a small lens, rounded, with a faint shadow.
func drawGrain(c *canvas, x, y, l, w, angle float64, col rgb) {
	ca, sa := math.Cos(angle), math.Sin(angle)
	reach := l/2 + 2
	ox, oy := -light.x*w*0.4, -light.y*w*0.4
	c.paint(x-reach, y-reach, x+reach+ox+w, y+reach+oy+w, func(px, py float64) (float64, rgb) {
		dx, dy := px-x, py-y
		u, v := dx*ca+dy*sa, -dx*sa+dy*ca
		d := leafShape(u, v, l, w)
		if d > 1 {
			// The grain's shadow, falling on what is under it.
			sx, sy := dx-ox, dy-oy
			sd := leafShape(sx*ca+sy*sa, -sx*sa+sy*ca, l, w)
			return 0.3 * cover(sd, w*0.5+1), shadowTint.scale(0.6)
		}
		a := cover(d, 1.2)
		t := v / (w / 2)
		t = math.Max(-0.95, math.Min(0.95, t))
		s := t / math.Sqrt(1-t*t) * 0.6
		n := vec3{-sa * s, ca * s, 1}.unit()
		return a, col.scale(lit(n)).plus(0.2 * glint(n, 4))
	})
}

// drawLeaf paints a leaf at (x, y) pointing at angle, folded along its midrib so one half
// catches the light, with a shadow under it.
func drawLeaf(c *canvas, x, y, l, w, angle float64, col rgb, shadow float64) {
	ca, sa := math.Cos(angle), math.Sin(angle)
	reach := l/2 + 2
	if shadow > 0 {
		ox, oy := -light.x*w*0.35, -light.y*w*0.35
		soft := w*0.35 + 1
		c.shade(x+ox-reach-soft, y+oy-reach-soft, x+ox+reach+soft, y+oy+reach+soft, shadowTint, func(px, py float64) float64 {
			dx, dy := px-x-ox, py-y-oy
			return shadow * cover(leafShape(dx*ca+dy*sa, -dx*sa+dy*ca, l, w), soft)
		})
	}
	rib := col.mix(hex(0xe8efc8), 0.35)
	c.paint(x-reach, y-reach, x+reach, y+reach, func(px, py float64) (float64, rgb) {
		dx, dy := px-x, py-y
		u, v := dx*ca+dy*sa, -dx*sa+dy*ca
		a := cover(leafShape(u, v, l, w), 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		// The leaf curls: its surface tilts away from the midrib, more towards the edges, with
		// a soft crease along the rib rather than a fold.
		tilt := 0.55 * v / (w / 2)
		tilt += 0.2 * math.Tanh(v/(w*0.08))
		n := vec3{-sa * tilt, ca * tilt, 1}.unit()
		shade := col.scale(lit(n)).plus(0.12 * glint(n, 4))
		along := math.Abs(u) / (l / 2)
		ribA := cover(math.Abs(v)-w*0.025, 1.2) * (1 - smoothstep(0.6, 0.9, along))
		return a, shade.mix(rib, ribA*0.5)
	})
}

// drawArc paints a strand of pasta or noodle, or a swirl of cream: an arc of the circle of
// radius rad about (x, y) from angle a0 sweeping by sweep (less than π), of the given
// thickness, shaded as a tube as round as relief (0 flat, 1 round).
func drawArc(c *canvas, x, y, rad, a0, sweep, thick float64, col rgb, gloss, relief float64) {
	sx, sy := math.Cos(a0), math.Sin(a0)
	ex, ey := math.Cos(a0+sweep), math.Sin(a0+sweep)
	half := thick / 2
	// The bounding box of the swept arc, from samples along it.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i <= 8; i++ {
		t := a0 + sweep*float64(i)/8
		px, py := x+rad*math.Cos(t), y+rad*math.Sin(t)
		minX, maxX = math.Min(minX, px), math.Max(maxX, px)
		minY, maxY = math.Min(minY, py), math.Max(maxY, py)
	}
	pad := half + 2 + rad*(1-math.Cos(sweep/16))
	// A shadow along the strand, then the strand.
	ox, oy := -light.x*thick*0.5, -light.y*thick*0.5
	dist := func(px, py float64) (float64, float64, float64) {
		dx, dy := px-x, py-y
		r := math.Sqrt(dx*dx + dy*dy)
		if math.Abs(r-rad)-half > thick+2 {
			// Far from the circle, so far from the strand and its round ends too: the answer
			// only has to say "outside".
			return math.Abs(r-rad) - half, r - rad, r
		}
		// Within the swept sector (sweep < π): the side of both end radii.
		if sx*dy-sy*dx >= 0 && dx*ey-dy*ex >= 0 {
			across := r - rad
			if r > 0 {
				return math.Abs(across) - half, across, r
			}
		}
		d1 := length(px-(x+rad*sx), py-(y+rad*sy))
		d2 := length(px-(x+rad*ex), py-(y+rad*ey))
		return math.Min(d1, d2) - half, r - rad, r
	}
	soft := half + 1
	c.shade(minX-pad+ox-soft, minY-pad+oy-soft, maxX+pad+ox+soft, maxY+pad+oy+soft, shadowTint, func(px, py float64) float64 {
		d, _, _ := dist(px-ox, py-oy)
		return 0.4 * relief * cover(d, soft*2)
	})
	c.paint(minX-pad, minY-pad, maxX+pad, maxY+pad, func(px, py float64) (float64, rgb) {
		d, across, r := dist(px, py)
		a := cover(d, 1.2)
		if a <= 0 || r == 0 {
			return 0, rgb{}
		}
		t := math.Max(-0.97, math.Min(0.97, across/half))
		s := t / math.Sqrt(1-t*t) * relief
		ux, uy := (px-x)/r, (py-y)/r
		n := vec3{ux * s, uy * s, 1}.unit()
		return a, col.scale(lit(n)).plus(gloss * 0.5 * glint(n, 5))
	})
}

// roundedBox is the signed distance to a box of half sizes hx, hy with corners of radius cr.
func roundedBox(u, v, hx, hy, cr float64) float64 {
	qx := math.Abs(u) - hx + cr
	qy := math.Abs(v) - hy + cr
	out := length(math.Max(qx, 0), math.Max(qy, 0))
	return out + math.Min(math.Max(qx, qy), 0) - cr
}

// capsule is the signed distance to the segment from (ax, ay) to (bx, by) thickened by radius
// ra at a and rb at b.
func capsule(px, py, ax, ay, bx, by, ra, rb float64) float64 {
	vx, vy := bx-ax, by-ay
	t := clamp01(((px-ax)*vx + (py-ay)*vy) / (vx*vx + vy*vy))
	return length(px-ax-vx*t, py-ay-vy*t) - (ra + (rb-ra)*t)
}

// dot paints a small round thing (a herb fleck, a seed, a berry) with an optional shadow.
func dot(c *canvas, x, y, rad float64, col rgb, gloss, shadow float64) {
	b := blob{x: x, y: y, r: rad, col: col, bulge: 0.6, gloss: gloss * 0.6, edge: 1.2}
	b.draw(c, shadow)
}
