package platepic

import "math"

// Fixed colours the food styles share.
var (
	herbGreen  = hex(0x3f6b2a)
	basil      = hex(0x4f8a32)
	pastaTone  = hex(0xe8c98c)
	eggWhite   = hex(0xf6f3ea)
	yolk       = hex(0xf0a526)
	crustTone  = hex(0xc48a48)
	pepperTone = hex(0x2e2620)
	berryTones = []rgb{hex(0x3d2a52), hex(0x7a1f34), hex(0xb02a3a), hex(0x4a2242)}
)

// plateFood is what goes on the dish: where the food may go and the colours it is made of.
type plateFood struct {
	x, y, r float64 // the area the food fills
	look    look
	main    *palette
	accent  *palette
}

// pick is a colour of p with a little variation of its own.
func pick(r *rng, p *palette) rgb {
	c := p.colours[r.intn(len(p.colours))]
	return c.scale(r.between(0.94, 1.05))
}

// spot is a random point in the disc of radius rad about (x, y), denser towards the middle.
func spot(r *rng, x, y, rad float64) (float64, float64) {
	d := rad * math.Sqrt(r.float())
	a := r.angle()
	return x + d*math.Cos(a), y + d*math.Sin(a)
}

// drawFood draws the food in its style.
func drawFood(c *canvas, r *rng, f plateFood) {
	switch f.look.style {
	case soup:
		drawSoup(c, r, f)
	case salad:
		drawSalad(c, r, f)
	case noodles:
		drawNoodles(c, r, f)
	case round:
		drawRound(c, r, f)
	case pieces:
		drawPieces(c, r, f)
	default:
		drawHeap(c, r, f)
	}
	if f.look.eggs {
		drawEggs(c, r, f)
	}
	garnish(c, r, f)
}

// drawHeap is a mound of soft pieces on a bed of their sauce.
func drawHeap(c *canvas, r *rng, f plateFood) {
	if f.look.grain {
		drawGrains(c, r, f)
		return
	}
	hx, hy := f.x+f.r*r.between(-0.08, 0.08), f.y+f.r*r.between(-0.08, 0.08)
	hr := f.r * 0.82
	bed := newBlob(r, hx, hy, hr*0.92, pick(r, f.main).scale(0.82), 0.12)
	bed.bulge, bed.gloss, bed.edge = 0.15, f.main.gloss*0.6, 3
	bed.draw(c, 0.25)
	n := 36 + r.intn(16)
	for i := 0; i < n; i++ {
		// Big pieces first, small ones on top of them.
		size := hr * (0.22 - 0.12*float64(i)/float64(n)) * r.between(0.75, 1.15)
		x, y := spot(r, hx, hy, hr-size)
		p := f.main
		if f.accent != nil && r.chance(0.3) {
			p = f.accent
		}
		b := newBlob(r, x, y, size, pick(r, p), 0.12)
		b.gloss = p.gloss
		b.draw(c, 0.35)
	}
}

// drawGrains is a mound of rice (or another grain), tinted by the dish, with a few pieces of
// something else in it.
func drawGrains(c *canvas, r *rng, f plateFood) {
	hx, hy := f.x+f.r*r.between(-0.06, 0.06), f.y+f.r*r.between(-0.06, 0.06)
	hr := f.r * 0.85
	tint := 0.0
	if f.main != &creams {
		tint = 0.45
	}
	bed := newBlob(r, hx, hy, hr*0.8, pick(r, &creams).mix(f.main.colours[0], tint).scale(0.85), 0.1)
	bed.bulge, bed.edge = 0.2, 3
	bed.draw(c, 0.3)
	l := f.r * 0.07
	for i, n := 0, 1000+r.intn(200); i < n; i++ {
		x, y := spot(r, hx, hy, hr*0.9)
		col := pick(r, &creams).mix(pick(r, f.main), tint*r.between(0.6, 1.2))
		drawGrain(c, x, y, l*r.between(0.8, 1.15), l*r.between(0.36, 0.44), r.angle(), col)
	}
	bits := []*palette{&greens, &oranges}
	if f.accent != nil && f.accent != &creams {
		bits = append(bits, f.accent, f.accent)
	}
	for i, n := 0, 10+r.intn(10); i < n; i++ {
		x, y := spot(r, hx, hy, hr*0.8)
		p := bits[r.intn(len(bits))]
		b := newBlob(r, x, y, f.r*r.between(0.025, 0.045), pick(r, p), 0.1)
		b.gloss, b.bulge = 0.4, 0.7
		b.draw(c, 0.35)
	}
}

// drawSoup is a smooth surface filling the bowl, a swirl of cream, drops of oil and things
// floating.
func drawSoup(c *canvas, r *rng, f plateFood) {
	base := pick(r, f.main)
	n1 := r.noiseSeed()
	inv := 1 / f.r
	c.paint(f.x-f.r-2, f.y-f.r-2, f.x+f.r+2, f.y+f.r+2, func(px, py float64) (float64, rgb) {
		dx, dy := px-f.x, py-f.y
		a := cover(math.Sqrt(dx*dx+dy*dy)-f.r, 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		u, v := dx*inv, dy*inv
		m := noise(u*2.2, v*2.2, n1)
		// The window's reflection: a broad soft brightness on the side towards it.
		hu, hv := u+0.35, v+0.4
		sheen := 0.1 * math.Exp(-(hu*hu+hv*hv)*6)
		return a, base.scale(0.9 + 0.18*m).plus(sheen)
	})
	if f.look.slurp {
		// Noodles in the broth: a loose nest showing through, pale and soft.
		for i := 0; i < 40; i++ {
			rad := f.r * r.between(0.2, 0.5)
			x, y := spot(r, f.x, f.y, (f.r*0.9-rad)*0.8)
			drawArc(c, x, y, rad, r.angle(), r.between(1, 2.4), f.r*0.035, pastaTone.mix(hex(0xf3e7c4), 0.5).scale(r.between(0.92, 1.04)), 0.3, 0.6)
		}
	}
	// A swirl of cream or yoghurt, unless the soup is pale already or a stew.
	if f.main != &creams && !f.look.chunky && !f.look.pan && !f.look.slurp && r.chance(0.75) {
		cream := hex(0xf3ecdc)
		rad := f.r * r.between(0.25, 0.45)
		a0 := r.angle()
		cx, cy := spot(r, f.x, f.y, f.r*0.2)
		drawArc(c, cx, cy, rad, a0, r.between(1.6, 2.8), f.r*0.06, cream, 0.2, 0.2)
		drawArc(c, cx, cy, rad*0.55, a0+2, r.between(1.2, 2.4), f.r*0.04, cream, 0.2, 0.2)
	}
	// Drops of oil: a few glossy rings of a deeper colour.
	oil := base.mix(hex(0xd2701c), 0.5)
	for i, n := 0, 5+r.intn(8); i < n; i++ {
		x, y := spot(r, f.x, f.y, f.r*0.85)
		d := blob{x: x, y: y, r: f.r * r.between(0.015, 0.04), col: oil, bulge: 0.15, gloss: 1, edge: 1.2}
		d.draw(c, 0)
	}
	// Pieces floating: the accent colour or a pale one, in a loose cluster.
	p := f.accent
	if p == nil {
		p = &creams
		if f.main == &creams {
			p = &goldens
		}
	}
	cx, cy := spot(r, f.x, f.y, f.r*0.25)
	if f.look.chunky {
		// A stew or curry: pieces of meat or vegetable all over, half under the sauce.
		for i, n := 0, 18+r.intn(10); i < n; i++ {
			x, y := spot(r, f.x, f.y, f.r*0.8)
			size := f.r * r.between(0.07, 0.13)
			var col rgb
			switch k := r.intn(6); {
			case k < 3: // the meat or the main vegetable, in the sauce's colour
				col = base.mix(pick(r, p), 0.4).scale(r.between(0.7, 0.85))
			case k == 3:
				col = pick(r, &oranges).scale(0.9)
			case k == 4:
				col = pick(r, &creams).scale(0.88)
			default:
				col, size = pick(r, &greens).scale(0.8), size*0.45
			}
			// Half in the sauce: its colour creeps up the piece's sides.
			b := newBlob(r, x, y, size, col.mix(base, 0.15), 0.18)
			b.gloss, b.bulge = 0.5, 0.3
			b.draw(c, 0.35)
		}
		return
	}
	for i, n := 0, 5+r.intn(7); i < n; i++ {
		x, y := spot(r, cx, cy, f.r*0.5)
		b := newBlob(r, x, y, f.r*r.between(0.06, 0.12), pick(r, p), 0.15)
		b.gloss = 0.3
		b.draw(c, 0.3)
	}
}

// drawSalad is a heap of leaves in greens, with pieces of the title's other colours.
func drawSalad(c *canvas, r *rng, f plateFood) {
	n := 60 + r.intn(15)
	for i := 0; i < n; i++ {
		l := f.r * r.between(0.32, 0.58) * (1 - 0.35*float64(i)/float64(n))
		x, y := spot(r, f.x, f.y, f.r*0.92-l/2)
		drawLeaf(c, x, y, l, l*r.between(0.38, 0.7), r.angle(), pick(r, &greens), 0.4)
	}
	var extras []*palette
	if f.main != &greens {
		extras = append(extras, f.main)
	}
	if f.accent != nil && f.accent != &greens {
		extras = append(extras, f.accent)
	}
	if len(extras) == 0 {
		extras = []*palette{&reds, &creams}
	}
	for i, n := 0, 7+r.intn(6); i < n; i++ {
		p := extras[r.intn(len(extras))]
		x, y := spot(r, f.x, f.y, f.r*0.8)
		b := newBlob(r, x, y, f.r*r.between(0.06, 0.11), pick(r, p), 0.1)
		b.gloss = p.gloss
		b.draw(c, 0.4)
	}
}

// drawNoodles is a nest of strands, coloured by the sauce, with sauce and cheese on top.
func drawNoodles(c *canvas, r *rng, f plateFood) {
	strand := pastaTone
	sauced := f.main != &yellows && f.main != &creams && f.main != &goldens
	if sauced {
		strand = pastaTone.mix(f.main.colours[0], 0.55)
	}
	wide := r.chance(0.3)
	thick := f.r * 0.032
	n := 150
	if wide {
		thick, n = f.r*0.085, 55
	}
	hx, hy := f.x+f.r*r.between(-0.06, 0.06), f.y+f.r*r.between(-0.06, 0.06)
	hr := f.r * 0.85
	for i := 0; i < n; i++ {
		rad := hr * r.between(0.2, 0.6)
		x, y := spot(r, hx, hy, (hr-rad-thick)*0.9)
		col := strand.scale(r.between(0.9, 1.06))
		drawArc(c, x, y, rad, r.angle(), r.between(1, 2.6), thick*r.between(0.85, 1.1), col, 0.4, 0.8)
	}
	if sauced {
		for i, k := 0, 4+r.intn(5); i < k; i++ {
			x, y := spot(r, hx, hy, hr*0.5)
			b := newBlob(r, x, y, f.r*r.between(0.08, 0.16), pick(r, f.main), 0.15)
			b.gloss, b.bulge = f.main.gloss, 0.3
			b.draw(c, 0.25)
		}
	}
	// Grated cheese: small pale crumbs.
	for i, k := 0, 10+r.intn(12); i < k; i++ {
		x, y := spot(r, hx, hy, hr*0.6)
		dot(c, x, y, f.r*r.between(0.012, 0.025), hex(0xf2e6c4), 0.1, 0.25)
	}
}

// drawRound is one round thing: a crust, a filling or topping, and things on it.
func drawRound(c *canvas, r *rng, f plateFood) {
	rad := f.r * r.between(0.85, 0.95)
	x, y := f.x+f.r*r.between(-0.03, 0.03), f.y+f.r*r.between(-0.03, 0.03)
	crust := newBlob(r, x, y, rad, crustTone.scale(r.between(0.92, 1.05)), 0.03)
	crust.bulge, crust.gloss, crust.texture = 0.35, 0.1, 0.35
	crust.draw(c, 0.35)
	if f.main != &goldens {
		fill := newBlob(r, x, y, rad*0.84, pick(r, f.main), 0.03)
		fill.bulge, fill.gloss, fill.edge = 0.1, f.main.gloss, 2.5
		fill.draw(c, 0)
	} else {
		// A pancake or crêpe: its top browned unevenly towards the middle.
		top := newBlob(r, x, y, rad*0.7, crustTone.scale(0.85), 0.1)
		top.bulge, top.edge = 0.05, rad*0.25
		top.draw(c, 0)
		if f.look.sweet {
			// Syrup pooling in the middle, and a pat of butter melting into it.
			syrup := newBlob(r, x, y, rad*r.between(0.4, 0.55), hex(0x9a4a14), 0.25)
			syrup.bulge, syrup.gloss, syrup.edge, syrup.texture = 0.08, 1, 2, 0.05
			syrup.draw(c, 0)
			drawSlab(c, r, x+rad*0.1, y-rad*0.05, rad*0.16, hex(0xf6e3a0), 0.18)
		}
	}
	// Toppings: melted pale spots or fruit, then pieces of the accent colour.
	if f.look.sweet {
		// Berries heaped in one place, as a cook would put them (scattered singly, a few dots
		// on a disc too easily make a face).
		bx, by := spot(r, x, y, rad*0.3)
		for i, k := 0, 9+r.intn(6); i < k; i++ {
			px, py := spot(r, bx, by, rad*0.28)
			dot(c, px, py, f.r*r.between(0.045, 0.07), berryTones[r.intn(len(berryTones))], 0.9, 0.4)
		}
		return
	}
	for i, k := 0, 6+r.intn(6); i < k; i++ {
		bx, by := spot(r, x, y, rad*0.65)
		b := newBlob(r, bx, by, f.r*r.between(0.07, 0.13), hex(0xf1e6c8).scale(r.between(0.95, 1.02)), 0.2)
		b.bulge, b.gloss = 0.2, 0.3
		b.draw(c, 0.15)
	}
	if f.accent != nil {
		for i, k := 0, 4+r.intn(5); i < k; i++ {
			bx, by := spot(r, x, y, rad*0.65)
			b := newBlob(r, bx, by, f.r*r.between(0.04, 0.08), pick(r, f.accent), 0.15)
			b.gloss = f.accent.gloss
			b.draw(c, 0.3)
		}
	}
}

// drawPieces is a few separate things laid on the dish.
func drawPieces(c *canvas, r *rng, f plateFood) {
	n := 3 + r.intn(3)
	body, specks := f.main, f.accent
	if f.look.body != nil && f.look.body != f.main {
		body, specks = f.look.body, f.main
	}
	type placed struct{ x, y, r float64 }
	var done []placed
	size := f.r * 0.36
	if n > 3 {
		size = f.r * 0.31
	}
	cx, cy, spread := f.x, f.y, f.r*0.95
	if f.look.single {
		// One or two large pieces on one side, and what comes with them on the other.
		n, size = 1+r.intn(2), f.r*0.58
		side := r.angle()
		sx, sy := math.Cos(side), math.Sin(side)
		cx, cy, spread = f.x-sx*f.r*0.18, f.y-sy*f.r*0.18, f.r*0.75
		p := specks
		if p == nil || p == body {
			p = &greens
		}
		hx, hy := f.x+sx*f.r*0.5, f.y+sy*f.r*0.5
		for i := 0; i < 14; i++ {
			x, y := spot(r, hx, hy, f.r*0.3)
			b := newBlob(r, x, y, f.r*r.between(0.07, 0.12), pick(r, p), 0.15)
			b.gloss = p.gloss
			b.draw(c, 0.35)
		}
		specks = nil
	}
	for tries := 0; len(done) < n && tries < 200; tries++ {
		x, y := spot(r, cx, cy, spread-size)
		ok := true
		for _, p := range done {
			if length(x-p.x, y-p.y) < (size+p.r)*0.72 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		done = append(done, placed{x, y, size})
		col := pick(r, body)
		switch {
		case f.look.curved:
			drawCrescent(c, r, x, y, size, col)
			continue
		case f.look.single:
			drawSlab(c, r, x, y, size, col, 0.45)
		case f.look.slab:
			drawSlab(c, r, x, y, size, col, 0.18)
		default:
			b := newBlob(r, x, y, size*r.between(0.85, 1), col, 0.05)
			b.bulge, b.gloss, b.texture = 0.35, body.gloss, 0.25
			b.draw(c, 0.45)
		}
		if f.look.slab {
			// A slab's top is its own texture (dots on a square would read as a die); a savoury
			// one gets a few needles of rosemary or thyme.
			if !f.look.sweet {
				for i, k := 0, 3+r.intn(4); i < k; i++ {
					sx, sy := spot(r, x, y, size*0.5)
					drawLeaf(c, sx, sy, size*0.22, size*0.045, r.angle(), herbGreen, 0.3)
				}
			}
			continue
		}
		// Specks on each piece: chips, seeds or herbs.
		speck := herbGreen
		switch {
		case specks == &browns || specks == &purples || specks == &reds || specks == &greens:
			speck = specks.colours[0].scale(0.8)
		case f.look.sweet:
			speck = hex(0x2a170d)
		}
		// Many small specks read as texture; a few large ones on a round thing read as a face.
		for i, k := 0, 13+r.intn(6); i < k; i++ {
			sx, sy := spot(r, x, y, size*0.7)
			dot(c, sx, sy, size*r.between(0.03, 0.065), speck, 0.3, 0.2)
		}
	}
}

// drawCrescent paints a croissant: overlapping rolls of dough along a curve, fat in the middle
// and thin at the tips, glazed.
func drawCrescent(c *canvas, r *rng, x, y, size float64, col rgb) {
	turn := r.angle()
	bend := size * 0.75 // radius of the curve the rolls follow
	cx, cy := x-math.Cos(turn)*bend*0.5, y-math.Sin(turn)*bend*0.5
	const n = 5
	// From the tips in, so the fat middle roll sits on top.
	for _, i := range []int{0, 4, 1, 3, 2} {
		t := float64(i)/(n-1)*2 - 1 // -1 … 1 along the crescent
		a := turn + t*1.25
		px, py := cx+math.Cos(a)*bend, cy+math.Sin(a)*bend
		rad := size * (0.5 - 0.3*t*t)
		b := newBlob(r, px, py, rad, col.scale(0.9+0.12*(1-t*t)), 0.06)
		b.bulge, b.gloss, b.texture = 0.55, 0.45, 0.12
		b.draw(c, 0.35)
	}
}

// drawSlab paints a rounded square piece with a darker crust at its edges; round is the corner
// radius as a fraction of size.
func drawSlab(c *canvas, r *rng, x, y, size float64, col rgb, round float64) {
	angle := r.between(-0.5, 0.5)
	ca, sa := math.Cos(angle), math.Sin(angle)
	hx, hy := size*r.between(0.75, 0.9), size*r.between(0.65, 0.8)
	cr := size * round
	reach := length(hx, hy) + 2
	ox, oy := -light.x*size*0.15, -light.y*size*0.15
	c.shade(x-reach-size*0.3, y-reach-size*0.3, x+reach+size*0.5, y+reach+size*0.5, shadowTint, func(px, py float64) float64 {
		dx, dy := px-x-ox, py-y-oy
		return 0.45 * cover(roundedBox(dx*ca+dy*sa, -dx*sa+dy*ca, hx, hy, cr), size*0.3)
	})
	crust := col.scale(0.7)
	grain := r.noiseSeed()
	c.paint(x-reach, y-reach, x+reach, y+reach, func(px, py float64) (float64, rgb) {
		dx, dy := px-x, py-y
		d := roundedBox(dx*ca+dy*sa, -dx*sa+dy*ca, hx, hy, cr)
		a := cover(d, 1.2)
		if a <= 0 {
			return 0, rgb{}
		}
		// The top is flat; the edge rounds down, away from the middle.
		t := smoothstep(0, size*0.14, -d)
		gx, gy := dx, dy
		gn := length(gx, gy) + 1e-9
		s := 1.2 * (1 - t)
		n := vec3{gx / gn * s, gy / gn * s, 1}.unit()
		// A crackled, uneven top: two scales of mottle.
		m := 0.75*noise(dx/size*3, dy/size*3, grain) + 0.25*noise(dx/size*9, dy/size*9, grain+1)
		return a, crust.mix(col, 0.4+0.6*t).scale(lit(n) * (0.86 + 0.28*m))
	})
}

// drawEggs lays fried eggs on the food: an irregular white and a glossy yolk.
func drawEggs(c *canvas, r *rng, f plateFood) {
	n := 1 + r.intn(3)
	for i := 0; i < n; i++ {
		x, y := spot(r, f.x, f.y, f.r*0.45)
		size := f.r * r.between(0.22, 0.28)
		w := newBlob(r, x, y, size, eggWhite, 0.12)
		w.bulge, w.gloss = 0.12, 0.5
		w.draw(c, 0.3)
		yk := blob{x: x + size*0.1, y: y - size*0.05, r: size * 0.4, col: yolk, bulge: 0.45, gloss: 0.5, edge: 1.5}
		yk.draw(c, 0.25)
	}
}

// garnish scatters herbs, pepper or berries over the food.
func garnish(c *canvas, r *rng, f plateFood) {
	reach := f.r * 0.75
	if f.look.sweet {
		if r.chance(0.6) {
			// A sprig of mint: two leaves from one stem.
			x, y := spot(r, f.x, f.y, reach)
			a := r.angle()
			for _, turn := range []float64{-0.45, 0.45} {
				l := f.r * 0.16
				drawLeaf(c, x+math.Cos(a+turn)*l*0.45, y+math.Sin(a+turn)*l*0.45, l, l*0.55, a+turn, hex(0x5d9a3c), 0.35)
			}
		}
		return
	}
	if f.main != &greens && r.chance(0.8) {
		for i, n := 0, 2+r.intn(3); i < n; i++ {
			x, y := spot(r, f.x, f.y, reach)
			drawLeaf(c, x, y, f.r*r.between(0.14, 0.22), f.r*r.between(0.08, 0.11), r.angle(), basil.scale(r.between(0.9, 1.1)), 0.4)
		}
	}
	for i, n := 0, 10+r.intn(14); i < n; i++ {
		x, y := spot(r, f.x, f.y, reach)
		dot(c, x, y, f.r*r.between(0.008, 0.016), herbGreen.scale(r.between(0.8, 1.2)), 0, 0)
	}
	for i, n := 0, 8+r.intn(12); i < n; i++ {
		x, y := spot(r, f.x, f.y, reach)
		dot(c, x, y, f.r*r.between(0.005, 0.01), pepperTone, 0, 0)
	}
}
