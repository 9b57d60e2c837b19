package platepic

import "math"

// rng is splitmix64: tiny, fast and the same on every platform, so a seed names one picture.
type rng struct{ s uint64 }

func newRNG(seed uint64, title string) *rng {
	// FNV-1a of the title, folded into the seed, so two recipes with one seed still differ.
	h := uint64(14695981039346656037)
	for i := 0; i < len(title); i++ {
		h ^= uint64(title[i])
		h *= 1099511628211
	}
	r := &rng{s: seed ^ h}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float is uniform in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// between is uniform in [lo, hi).
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// intn is uniform in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// angle is uniform in [0, 2π).
func (r *rng) angle() float64 { return r.float() * 2 * math.Pi }

// noiseSeed draws a seed for a noise field.
func (r *rng) noiseSeed() uint32 { return uint32(r.next()) }

// lattice hashes a grid point to [0, 1].
func lattice(ix, iy int32, seed uint32) float64 {
	h := uint32(ix)*0x8da6b343 ^ uint32(iy)*0xd8163841 ^ seed*0xcb1ab31f
	h ^= h >> 13
	h *= 0x5bd1e995
	h ^= h >> 15
	return float64(h) * (1.0 / 4294967295.0)
}

// noise is smooth value noise in [0, 1]: cheap, and smooth enough that JPEG compresses it like
// the soft texture of a real surface rather than like grain.
func noise(x, y float64, seed uint32) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int32(fx), int32(fy)
	tx, ty := x-fx, y-fy
	tx = tx * tx * (3 - 2*tx)
	ty = ty * ty * (3 - 2*ty)
	a := lattice(ix, iy, seed)
	b := lattice(ix+1, iy, seed)
	c := lattice(ix, iy+1, seed)
	d := lattice(ix+1, iy+1, seed)
	top := a + (b-a)*tx
	bottom := c + (d-c)*tx
	return top + (bottom-top)*ty
}

// fbm sums octaves of noise (each twice the frequency, half the weight), in [0, 1].
func fbm(x, y float64, seed uint32, octaves int) float64 {
	sum, weight, total := 0.0, 1.0, 0.0
	for o := 0; o < octaves; o++ {
		sum += weight * noise(x, y, seed+uint32(o)*0x9e37)
		total += weight
		x, y = x*2.03+17.1, y*2.03-9.7
		weight *= 0.5
	}
	return sum / total
}
