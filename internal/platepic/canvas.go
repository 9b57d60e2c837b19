package platepic

import "math"

// rgb is a colour with channels in [0, 1] (sRGB values; blending in sRGB is what a painter's
// eye expects and keeps the arithmetic cheap).
type rgb struct{ r, g, b float64 }

// hex makes a colour from 0xRRGGBB.
func hex(v uint32) rgb {
	return rgb{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}
}

func (c rgb) scale(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

func (c rgb) mix(o rgb, t float64) rgb {
	return rgb{c.r + (o.r-c.r)*t, c.g + (o.g-c.g)*t, c.b + (o.b-c.b)*t}
}

func (c rgb) plus(k float64) rgb { return rgb{c.r + k, c.g + k, c.b + k} }

// canvas is a float picture: layers blend without the rounding of 8-bit channels, so soft
// shadows and gradients stay free of banding until the final conversion.
type canvas struct {
	w, h int
	pix  []float32 // r, g, b per pixel, row by row
}

func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, pix: make([]float32, w*h*3)}
}

// box clips the rectangle [x0, x1) × [y0, y1) (in pixel coordinates) to the canvas.
func (c *canvas) box(x0, y0, x1, y1 float64) (ix0, iy0, ix1, iy1 int) {
	ix0 = clampInt(int(math.Floor(x0)), 0, c.w)
	iy0 = clampInt(int(math.Floor(y0)), 0, c.h)
	ix1 = clampInt(int(math.Ceil(x1)), 0, c.w)
	iy1 = clampInt(int(math.Ceil(y1)), 0, c.h)
	return
}

// paint blends f's colour over every pixel centre in the rectangle with f's alpha; a shape's
// f answers alpha 0 outside it, so only the rectangle costs anything.
func (c *canvas) paint(x0, y0, x1, y1 float64, f func(x, y float64) (float64, rgb)) {
	ix0, iy0, ix1, iy1 := c.box(x0, y0, x1, y1)
	for y := iy0; y < iy1; y++ {
		py := float64(y) + 0.5
		row := c.pix[y*c.w*3 : (y+1)*c.w*3]
		for x := ix0; x < ix1; x++ {
			a, col := f(float64(x)+0.5, py)
			if a <= 0 {
				continue
			}
			if a > 1 {
				a = 1
			}
			p := row[x*3 : x*3+3 : x*3+3]
			p[0] += float32(a * (col.r - float64(p[0])))
			p[1] += float32(a * (col.g - float64(p[1])))
			p[2] += float32(a * (col.b - float64(p[2])))
		}
	}
}

// shade multiplies the pixels in the rectangle towards tint by f's amount: shadows darken what
// is under them rather than covering it.
func (c *canvas) shade(x0, y0, x1, y1 float64, tint rgb, f func(x, y float64) float64) {
	ix0, iy0, ix1, iy1 := c.box(x0, y0, x1, y1)
	for y := iy0; y < iy1; y++ {
		py := float64(y) + 0.5
		row := c.pix[y*c.w*3 : (y+1)*c.w*3]
		for x := ix0; x < ix1; x++ {
			a := f(float64(x)+0.5, py)
			if a <= 0 {
				continue
			}
			if a > 1 {
				a = 1
			}
			p := row[x*3 : x*3+3 : x*3+3]
			p[0] *= float32(1 - a*(1-tint.r))
			p[1] *= float32(1 - a*(1-tint.g))
			p[2] *= float32(1 - a*(1-tint.b))
		}
	}
}

// cover turns a signed distance (pixels, negative inside) into coverage with an edge soft over
// `soft` pixels: the antialiasing of every shape, and the blur of every shadow.
func cover(d, soft float64) float64 {
	t := 0.5 - d/soft
	if t <= 0 {
		return 0
	}
	if t >= 1 {
		return 1
	}
	return t * t * (3 - 2*t)
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func clamp01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

func smoothstep(e0, e1, x float64) float64 {
	t := clamp01((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

// light is the direction towards the window: up and to the left, fairly high, as in most
// overhead food photographs. halfway is the Blinn half vector for a camera straight above.
var light, halfway = func() (vec3, vec3) {
	l := vec3{-0.42, -0.52, 0.74}.unit()
	return l, vec3{l.x, l.y, l.z + 1}.unit()
}()

type vec3 struct{ x, y, z float64 }

func (v vec3) unit() vec3 {
	n := math.Sqrt(v.x*v.x + v.y*v.y + v.z*v.z)
	return vec3{v.x / n, v.y / n, v.z / n}
}

func (v vec3) dot(o vec3) float64 { return v.x*o.x + v.y*o.y + v.z*o.z }

// lit is the brightness of a surface with normal n (unit) relative to a flat one: 1 on the
// table plane, brighter facing the window, darker facing away.
func lit(n vec3) float64 {
	d := n.dot(light)
	if d < 0 {
		d = 0
	}
	return 0.45 + 0.55*d/light.z
}

// glint is the specular highlight of a surface with normal n, sharper for larger powers of two
// (sharpness squarings).
func glint(n vec3, sharpness int) float64 {
	s := n.dot(halfway)
	if s <= 0 {
		return 0
	}
	for i := 0; i < sharpness; i++ {
		s *= s
	}
	return s
}

// length is the length of (x, y): math.Hypot without its care for overflow, which costs time
// per pixel and which coordinates of a picture never need.
func length(x, y float64) float64 { return math.Sqrt(x*x + y*y) }
