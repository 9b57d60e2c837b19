package browsertest

// unreachableControls lists the links and controls that stick out of the
// start of the box that scrolls them (the page or a scrolling element such
// as the phone's one-row navigation). Content that overflows to the left or
// top of a scroll container cannot be scrolled to, so such a control cannot
// be seen whole or, when it is cut off entirely, reached at all. A row of
// links centred with justify-content: center that grows wider than its
// box does exactly that to its first link. Positioned elements are left
// out: they are not laid out in the scrolling flow (the skip link waits
// above the page until it has focus).
func unreachableControls(b *tab) []string {
	b.t.Helper()
	return evalJS[[]string](b, `[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
		.filter(`+visibleJS+`)
		.filter(e => !e.closest('.visually-hidden') && !e.classList.contains('visually-hidden'))
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 2 && r.height > 2; })
		.filter(e => !['absolute', 'fixed'].includes(getComputedStyle(e).position))
		.filter(e => {
			const r = e.getBoundingClientRect();
			for (let c = e.parentElement; c && c !== document.body && c !== document.documentElement; c = c.parentElement) {
				const s = getComputedStyle(c);
				if (!['auto', 'scroll'].includes(s.overflowX) && !['auto', 'scroll'].includes(s.overflowY)) continue;
				const cr = c.getBoundingClientRect();
				// The element's place from the container's scroll origin.
				const x = r.left - cr.left - c.clientLeft + c.scrollLeft;
				const y = r.top - cr.top - c.clientTop + c.scrollTop;
				return x < -1 || y < -1;
			}
			return r.left + window.scrollX < -1 || r.top + window.scrollY < -1;
		})
		.map(e => e.outerHTML.replace(/\s+/g, ' ').slice(0, 120))`)
}
