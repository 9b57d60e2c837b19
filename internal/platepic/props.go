package platepic

import "math"

// napkins are cloth colours for the napkin: oatmeal, terracotta, sage, indigo, off-white.
var napkins = []rgb{hex(0xd8ccb6), hex(0xc07a5a), hex(0x9fae8f), hex(0x56657e), hex(0xeeeae2)}

// drawNapkin lays a folded cloth napkin under the place setting: a soft-cornered rectangle at
// (x, y), turned by angle, with a woven stripe along one side and a fold across it.
func drawNapkin(c *canvas, r *rng, x, y, hw, hh, angle float64) {
	col := napkins[r.intn(len(napkins))]
	stripe := col.scale(0.72)
	if r.chance(0.5) {
		stripe = hex(0xf2eee6)
	}
	ca, sa := math.Cos(angle), math.Sin(angle)
	reach := length(hw, hh) + 4
	cr := math.Min(hw, hh) * 0.04
	lift := math.Min(hw, hh) * 0.04
	ox, oy := -light.x*lift, -light.y*lift
	c.shade(x-reach, y-reach, x+reach+ox, y+reach+oy, shadowTint, func(px, py float64) float64 {
		dx, dy := px-x-ox, py-y-oy
		return 0.35 * cover(roundedBox(dx*ca+dy*sa, -dx*sa+dy*ca, hw, hh, cr), lift*3)
	})
	n1 := r.noiseSeed()
	c.paint(x-reach, y-reach, x+reach, y+reach, func(px, py float64) (float64, rgb) {
		dx, dy := px-x, py-y
		u, v := dx*ca+dy*sa, -dx*sa+dy*ca
		a := cover(roundedBox(u, v, hw, hh, cr), 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		k := col
		// Two stripes near one long edge.
		e := v + hh
		for _, at := range []float64{0.12, 0.19} {
			k = k.mix(stripe, 0.8*cover(math.Abs(e-hh*at)-hh*0.018, 1.2))
		}
		// The fold: a soft ridge across the middle, lit on one side.
		fold := u / (hw * 0.08)
		ridge := 0.025 * math.Exp(-fold*fold) * math.Copysign(1, -fold)
		soft := noise(u/hw*2, v/hh*2, n1)
		return a, k.scale(0.97 + ridge + 0.05*(soft-0.5))
	})
}

// metals are cutlery finishes: steel, brass, matte black.
var metals = []struct {
	dark, light rgb
	gloss       float64
}{
	{hex(0x6c6e70), hex(0xe9eaeb), 0.9},
	{hex(0x7a5a2a), hex(0xe8cf8f), 0.8},
	{hex(0x1f1f20), hex(0x4a4a4c), 0.25},
}

// drawCutlery lays a fork or a spoon of length l with its handle end at (x, y), pointing at
// angle.
func drawCutlery(c *canvas, r *rng, x, y, l, angle float64) {
	m := metals[r.intn(len(metals))]
	if r.chance(0.6) {
		m = metals[0]
	}
	fork := r.chance(0.6)
	ca, sa := math.Cos(angle), math.Sin(angle)
	// Distance in the cutlery's own frame: u along it from the handle's end, v across.
	shape := func(u, v float64) float64 {
		handle := capsule(u, v, l*0.05, 0, l*0.58, 0, l*0.045, l*0.022)
		neck := capsule(u, v, l*0.58, 0, l*0.72, 0, l*0.022, l*0.016)
		d := math.Min(handle, neck)
		if fork {
			head := roundedBox(u-l*0.84, v, l*0.15, l*0.05, l*0.025)
			if u > l*0.8 {
				for _, at := range []float64{-0.026, 0, 0.026} {
					slot := math.Abs(v-l*at) - l*0.006
					head = math.Max(head, -math.Max(slot, l*0.8-u))
				}
			}
			d = math.Min(d, head)
		} else {
			bu, bv := (u-l*0.83)/1.5, v
			bowl := length(bu, bv) - l*0.068
			d = math.Min(d, bowl)
		}
		return d
	}
	at := func(px, py float64) (float64, float64) {
		dx, dy := px-x, py-y
		return dx*ca + dy*sa, -dx*sa + dy*ca
	}
	endX, endY := x+ca*l, y+sa*l
	pad := l*0.12 + 4
	x0, y0 := math.Min(x, endX)-pad, math.Min(y, endY)-pad
	x1, y1 := math.Max(x, endX)+pad, math.Max(y, endY)+pad
	lift := l * 0.015
	ox, oy := -light.x*lift, -light.y*lift
	c.shade(x0, y0, x1+ox, y1+oy, shadowTint, func(px, py float64) float64 {
		u, v := at(px-ox, py-oy)
		return 0.5 * cover(shape(u, v), lift*1.5+1)
	})
	edge := l * 0.012
	c.paint(x0, y0, x1, y1, func(px, py float64) (float64, rgb) {
		u, v := at(px, py)
		d := shape(u, v)
		a := cover(d, 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		// Rounded like metal: the edge falls away; the gradient of the distance says which way.
		e := 0.5
		gu := shape(u+e, v) - shape(u-e, v)
		gv := shape(u, v+e) - shape(u, v-e)
		gn := length(gu, gv) + 1e-9
		s := 1.6 * (1 - smoothstep(0, edge, -d))
		wx := (gu*ca - gv*sa) / gn
		wy := (gu*sa + gv*ca) / gn
		n := vec3{wx * s, wy * s, 1}.unit()
		// Polished metal mostly reflects the room: bright towards the window, dark away.
		k := clamp01(0.5 + 0.9*(n.dot(light)-light.z) + 0.15)
		return a, m.dark.mix(m.light, k).plus(m.gloss * 0.5 * glint(n, 4))
	})
}

// scatter drops a few things on the table beside the dish: herb leaves and peppercorns, or
// berries for something sweet.
func scatter(c *canvas, r *rng, size float64, d dish, sweet bool) {
	n := 3 + r.intn(4)
	for i := 0; i < n; i++ {
		var x, y float64
		for tries := 0; tries < 20; tries++ {
			a := r.angle()
			dist := d.r * r.between(1.08, 1.35)
			x, y = d.x+dist*math.Cos(a), d.y+dist*math.Sin(a)
			if x > 0 && y > 0 && x < float64(c.w) && y < float64(c.h) {
				break
			}
		}
		switch {
		case sweet:
			dot(c, x, y, size*r.between(0.009, 0.014), berryTones[r.intn(len(berryTones))], 0.6, 0.45)
		case r.chance(0.5):
			drawLeaf(c, x, y, size*r.between(0.05, 0.08), size*r.between(0.025, 0.04), r.angle(), basil.scale(r.between(0.85, 1.1)), 0.45)
		default:
			dot(c, x, y, size*r.between(0.003, 0.005), pepperTone, 0.3, 0.3)
		}
	}
}
