package platepic

import "math"

// dish is a round plate or bowl seen from straight above.
type dish struct {
	x, y, r float64 // centre and outer radius, pixels
	well    float64 // radius of the flat part (plate) or the food's surface (bowl)
	bowl    bool
	pan     bool    // a cast-iron skillet (drawn as a bowl with a handle)
	handle  float64 // the skillet handle's direction, radians
	glaze   rgb
	band    *rgb // a thin coloured line near a plate's edge, or nil
	gloss   float64
}

// glazes are plate and bowl colours: white, cream, pale grey-blue, sage, sand, and a dark
// stoneware that makes pale food glow.
var glazes = []rgb{hex(0xf4f2ee), hex(0xf1ebdf), hex(0xdfe4e6), hex(0xd3dacb), hex(0xe3d6c3), hex(0x3c3a38)}

// bands are the coloured lines some plates have near the edge: navy, terracotta, olive.
var bands = []rgb{hex(0x34466b), hex(0xa8573a), hex(0x6e7448)}

// shadowTint is what a shadow does to the colour under it: darker and a touch cooler, as
// shade under daylight is.
var shadowTint = rgb{0.42, 0.43, 0.47}

// dropShadow darkens the table under a round object of radius rad at (x, y): a soft, wide shadow
// away from the window and a tight, darker one where the object meets the table.
func dropShadow(c *canvas, x, y, rad, height, strength float64) {
	ox, oy := -light.x*height, -light.y*height
	wide, tight := rad*0.16+height, rad*0.03+1
	reach := rad + height + wide*2
	c.shade(x-reach, y-reach, x+reach+ox, y+reach+oy, shadowTint, func(px, py float64) float64 {
		d1 := length(px-x-ox, py-y-oy) - rad
		d2 := length(px-x-ox*0.25, py-y-oy*0.25) - rad
		return strength * (0.55*cover(d1, wide*2) + 0.45*cover(d2, tight*2))
	})
}

// drawDish draws the dish and its shadow on the table.
func drawDish(c *canvas, d dish) {
	height := d.r * 0.035
	if d.bowl {
		height = d.r * 0.09
	}
	dropShadow(c, d.x, d.y, d.r, height, 0.55)
	if d.pan {
		drawHandle(c, d)
	}
	aa := 1.2
	reach := d.r + aa
	c.paint(d.x-reach, d.y-reach, d.x+reach, d.y+reach, func(px, py float64) (float64, rgb) {
		dx, dy := px-d.x, py-d.y
		dist := math.Sqrt(dx*dx + dy*dy)
		a := cover(dist-d.r, aa)
		if a <= 0 {
			return 0, rgb{}
		}
		var ux, uy float64
		if dist > 0 {
			ux, uy = dx/dist, dy/dist
		}
		q := dist / d.r
		// slope is how steeply the surface rises outward here (negative: falls away).
		var slope, occlusion float64
		if d.bowl {
			slope, occlusion = bowlProfile(q, d.well/d.r)
		} else {
			slope = plateProfile(q, d.well/d.r)
		}
		n := vec3{-ux * slope, -uy * slope, 1}.unit()
		col := d.glaze.scale(lit(n) * (1 - occlusion))
		col = col.plus(d.gloss * 0.35 * glint(n, 5))
		if d.band != nil && !d.bowl {
			// A printed line: on the rim, just inside the lip.
			t := cover(math.Abs(q-0.93)*d.r-d.r*0.006, 1.2)
			col = col.mix(d.band.scale(lit(n)), t*0.85)
		}
		return a, col
	})
}

// iron is a seasoned cast-iron skillet.
var iron = hex(0x33312f)

// drawHandle paints a skillet's handle, from under the rim out towards the picture's edge.
func drawHandle(c *canvas, d dish) {
	ux, uy := math.Cos(d.handle), math.Sin(d.handle)
	ax, ay := d.x+ux*d.r*0.8, d.y+uy*d.r*0.8
	bx, by := d.x+ux*d.r*1.75, d.y+uy*d.r*1.75
	ra, rb := d.r*0.085, d.r*0.065
	reach := ra + d.r*0.1
	x0, y0 := math.Min(ax, bx)-reach, math.Min(ay, by)-reach
	x1, y1 := math.Max(ax, bx)+reach, math.Max(ay, by)+reach
	lift := d.r * 0.06
	ox, oy := -light.x*lift, -light.y*lift
	c.shade(x0, y0, x1+ox, y1+oy, shadowTint, func(px, py float64) float64 {
		return 0.5 * cover(capsule(px-ox, py-oy, ax, ay, bx, by, ra, rb), lift*1.5)
	})
	c.paint(x0, y0, x1, y1, func(px, py float64) (float64, rgb) {
		dist := capsule(px, py, ax, ay, bx, by, ra, rb)
		a := cover(dist, 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		// Round across: the side towards the window catches the light.
		across := (-(px-ax)*uy + (py-ay)*ux) / ra
		across = math.Max(-0.95, math.Min(0.95, across))
		s := across / math.Sqrt(1-across*across) * 0.7
		n := vec3{-uy * s, ux * s, 1}.unit()
		return a, iron.scale(lit(n)).plus(0.12 * glint(n, 3))
	})
}

// plateProfile is a plate's slope at relative radius q: flat in the well, a curve up to the
// rim, a gently rising rim, and a rounded lip.
func plateProfile(q, well float64) float64 {
	switch {
	case q < well:
		return 0
	case q < well+0.08:
		return 0.6 * smoothstep(well, well+0.04, q) * (1 - 0.5*smoothstep(well+0.04, well+0.08, q))
	case q < 0.96:
		return 0.3
	default:
		return 0.3 - 1.6*smoothstep(0.96, 1, q)
	}
}

// bowlProfile is a bowl's slope and its darkness from enclosure: the food's surface (flat, but
// drawn over by the food), the inner wall rising steeply and shaded near the bottom, and the
// rounded rim.
func bowlProfile(q, well float64) (slope, occlusion float64) {
	switch {
	case q < well:
		return 0, 0.2
	case q < 0.88:
		t := (q - well) / (0.88 - well)
		return 0.7 - 0.2*t, 0.12 * (1 - t) * (1 - t)
	default:
		t := (q - 0.88) / 0.12
		return 0.5 - 1.5*t*t, 0
	}
}

// rimShade darkens the food in a bowl where the wall hides the window: a crescent on the side
// towards the light.
func rimShade(c *canvas, d dish) {
	h := d.r * 0.3
	sx, sy := d.x-light.x*h, d.y-light.y*h
	inner := d.r * 0.88
	soft := d.r * 0.12
	c.shade(d.x-d.well-2, d.y-d.well-2, d.x+d.well+2, d.y+d.well+2, shadowTint, func(px, py float64) float64 {
		in := cover(length(px-d.x, py-d.y)-d.well, 1.2)
		if in <= 0 {
			return 0
		}
		out := 1 - cover(length(px-sx, py-sy)-inner, soft)
		return in * out * 0.6
	})
}
