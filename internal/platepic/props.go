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
		if e := v + hh; e < hh*0.25 {
			for _, at := range []float64{0.12, 0.19} {
				k = k.mix(stripe, 0.8*cover(math.Abs(e-hh*at)-hh*0.018, 1.2))
			}
		}
		// The fold: a soft ridge across the middle, lit on one side.
		ridge := 0.0
		if fold := u / (hw * 0.08); math.Abs(fold) < 3 {
			ridge = 0.025 * math.Exp(-fold*fold) * math.Copysign(1, -fold)
		}
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
