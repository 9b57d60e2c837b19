package platepic

import "math"

// surface is what the dish stands on. Each is a slow, soft texture: it has to survive JPEG and
// a 320 px card, and fine grain would cost bytes and turn to mush.
type surface int

const (
	wood surface = iota
	linen
	marble
	slate
)

// woods are pairs of light and dark tones of a board: oak, walnut, whitewashed pine, teak.
var woods = [][2]rgb{
	{hex(0xc9a277), hex(0xa97c52)},
	{hex(0x7a5640), hex(0x5a3d2c)},
	{hex(0xddd2c3), hex(0xc4b6a3)},
	{hex(0xa8774f), hex(0x86593a)},
}

// cloths are linen tablecloths: oatmeal, off-white, sage, dusty blue, blush.
var cloths = []rgb{hex(0xe6ddcd), hex(0xf0ece4), hex(0xc9cfbd), hex(0xc3ccd2), hex(0xe5d3c8)}

// drawTable fills the canvas with a surface chosen by r, its texture scaled to size (the
// picture's geometric mean side, so a long thin picture gets planks of a sensible width).
func drawTable(c *canvas, r *rng, size float64) surface {
	kind := surface([]int{0, 0, 0, 1, 1, 2, 3}[r.intn(7)])
	n1, n2 := r.noiseSeed(), r.noiseSeed()
	// Texture coordinates in units of the picture's short side, so a thumbnail and a full-size
	// picture show the same table.
	inv := 1 / size
	var f func(x, y float64) rgb
	var gaps []float64 // darkening of each row (gapsAcross) or column by plank gaps, or nil
	gapsAcross := false
	switch kind {
	case wood:
		tones := woods[r.intn(len(woods))]
		across := r.chance(0.5) // planks run left to right, or top to bottom
		plank := size * r.between(0.17, 0.3)
		offset := r.between(0, plank)
		shift := make([]float64, 64) // each plank a little lighter or darker than the next
		for i := range shift {
			shift[i] = r.between(-0.09, 0.09)
		}
		seam := math.Max(0.6, size*0.0022)
		// The gaps between planks: a soft dark line, sharper than the texture grid can carry,
		// so it is kept per pixel row (or column) and applied after.
		n := c.h
		if !across {
			n = c.w
		}
		gaps = make([]float64, n)
		for i := range gaps {
			p := (float64(i) + 0.5 + offset) / plank
			d := math.Min(p-math.Floor(p), math.Ceil(p)-p) * plank
			gaps[i] = 1 - 0.45*math.Exp(-(d*d)/(seam*seam))
		}
		gapsAcross = across
		f = func(x, y float64) rgb {
			along, side := x, y
			if !across {
				along, side = y, x
			}
			p := (side + offset) / plank
			i := int(math.Floor(p))
			u, v := along*inv, side*inv
			// Grain: long wavy lines, much denser across the plank than along it.
			wave := fbm(u*1.3, v*5+float64(i)*11.7, n1, 3)
			t := 0.5 + 0.5*math.Sin(v*70+wave*9)
			blotch := fbm(u*2.5, v*2.5, n2, 2)
			k := clamp01(0.45 + 0.35*t*t - 0.25*(blotch-0.5) + shift[i&63])
			return tones[0].mix(tones[1], k)
		}
	case linen:
		base := cloths[r.intn(len(cloths))]
		f = func(x, y float64) rgb {
			u, v := x*inv, y*inv
			// Folds: broad soft light and shade, with a few gentle creases.
			fold := fbm(u*1.4, v*1.4, n1, 3)
			crease := 1 - math.Abs(2*noise(u*2.2+3, v*0.9, n2)-1)
			return base.scale(0.95 + 0.12*(fold-0.5) + 0.05*crease*crease*crease)
		}
	case marble:
		base := hex(0xedecea)
		vein := hex(0x9d9a97)
		angle := r.angle()
		ca, sa := math.Cos(angle), math.Sin(angle)
		f = func(x, y float64) rgb {
			u, v := x*inv, y*inv
			// Veins: where a warped stripe pattern crosses zero, thin and wandering; a second,
			// fainter set at another scale.
			warp := fbm(u*1.3, v*1.3, n1, 5)
			s1 := math.Sin((u*ca+v*sa)*2 + warp*7)
			s2 := math.Sin((u*sa-v*ca)*4 + warp*12 + 1.7)
			veins := 0.3*math.Exp(-s1*s1*90) + 0.12*math.Exp(-s2*s2*160)
			cloud := fbm(u*2, v*2, n2, 2)
			return base.mix(vein, clamp01(veins+0.12*(cloud-0.5))).scale(0.985 + 0.03*cloud)
		}
	case slate:
		base := []rgb{hex(0x3b3e41), hex(0x34373a), hex(0x363b42)}[r.intn(3)]
		f = func(x, y float64) rgb {
			u, v := x*inv, y*inv
			m := fbm(u*2.2, v*2.2, n1, 3)
			streak := fbm(u*0.6, v*6, n2, 2)
			return base.scale(0.9 + 0.22*(m-0.5) + 0.1*(streak-0.5))
		}
	}
	fillSmooth(c, f, gaps, gapsAcross)
	return kind
}

// grid is the spacing in pixels at which fillSmooth evaluates the texture: every texture is
// slow enough that bilinear interpolation between samples this far apart cannot be seen, and
// it saves evaluating noise for every one of a large picture's pixels.
const grid = 4

// fillSmooth fills the canvas with f sampled every grid pixels and interpolated, then darkens
// rows (across) or columns by gaps when it is not nil.
func fillSmooth(c *canvas, f func(x, y float64) rgb, gaps []float64, across bool) {
	gw, gh := (c.w+grid-1)/grid+1, (c.h+grid-1)/grid+1
	samples := make([]rgb, gw*gh)
	for j := 0; j < gh; j++ {
		for i := 0; i < gw; i++ {
			samples[j*gw+i] = f(float64(i*grid)+0.5, float64(j*grid)+0.5)
		}
	}
	for y := 0; y < c.h; y++ {
		j, ty := y/grid, float64(y%grid)/grid
		row := c.pix[y*c.w*3 : (y+1)*c.w*3]
		top, bottom := samples[j*gw:(j+1)*gw], samples[(j+1)*gw:(j+2)*gw]
		for x := 0; x < c.w; x++ {
			i, tx := x/grid, float64(x%grid)/grid
			a := top[i].mix(top[i+1], tx)
			b := bottom[i].mix(bottom[i+1], tx)
			col := a.mix(b, ty)
			if gaps != nil {
				if across {
					col = col.scale(gaps[y])
				} else {
					col = col.scale(gaps[x])
				}
			}
			row[x*3], row[x*3+1], row[x*3+2] = float32(col.r), float32(col.g), float32(col.b)
		}
	}
}

// finish is the camera: light falling off away from the window, a soft vignette and a gentle
// contrast curve, then 8-bit pixels.
func finish(c *canvas, dst []uint8, stride int, warmth float64) {
	w, h := float64(c.w), float64(c.h)
	cx, cy := w/2, h/2
	diag := length(cx, cy)
	// ±10% across the picture, whatever its shape.
	slope := 0.1 / diag / length(light.x, light.y)
	for y := 0; y < c.h; y++ {
		py := float64(y) + 0.5
		row := c.pix[y*c.w*3 : (y+1)*c.w*3]
		out := dst[y*stride : y*stride+c.w*4]
		dy := py - cy
		for x := 0; x < c.w; x++ {
			dx := float64(x) + 0.5 - cx
			// Brighter towards the window (up and left), darker in the far corner.
			k := 1 + slope*(dx*light.x+dy*light.y)
			rr := math.Sqrt(dx*dx+dy*dy) / diag
			k *= 1 - 0.32*smoothstep(0.45, 1.15, rr)
			r := tone(float64(row[x*3]) * k * (1 + warmth))
			g := tone(float64(row[x*3+1]) * k)
			b := tone(float64(row[x*3+2]) * k * (1 - warmth))
			o := out[x*4 : x*4+4 : x*4+4]
			o[0], o[1], o[2], o[3] = r, g, b, 255
		}
	}
}

// tone maps a channel to 8 bits through a soft S-curve (a little more contrast in the mid
// tones, highlights that roll off instead of clipping).
func tone(v float64) uint8 {
	v = clamp01(v)
	v += 0.25 * (v*v*(3-2*v) - v)
	return uint8(v*255 + 0.5)
}
