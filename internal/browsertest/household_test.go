package browsertest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestHouseholdInvitation is two cooks, one on a phone and one at a
// desktop: Ines finds the household page from the plan, makes an invitation
// link and reads it from the page; Omar opens it, reads who invites him
// where, and joins; both then see the two of them listed with their
// roles (the badges read in capitals, as drawn); Ines plans a dinner and
// Omar sees it in his plan, drags it to another day, and both find it in
// the month. Every page is checked with axe-core and photographed.
func TestHouseholdInvitation(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	srv := testutil.StartServer(t, "sqlite")
	inesTab := newTabOf(t, srv.URL, phone, "ines")
	omarTab := newTabOf(t, srv.URL, desktop, "omar")
	ines, omar := newAccount("Ines", phone), newAccount("Omar", desktop)

	inesTab.open("/register", 200)
	register(inesTab, ines)
	inesTab.openMenu()
	inesTab.follow(link("Plan"), 200)
	inesTab.follow(link("household page"), 200)
	if h := inesTab.text(css("h1")); h != ines.displayName+"’s household" {
		inesTab.errorf("household heading %q", h)
	}
	inesTab.checkPage("household, alone")
	inesTab.shot("household-alone")
	inesTab.follow(button("Create an invitation link"), 200)
	invite := evalJS[string](inesTab, `document.querySelector('#invitation-link').value`)
	u, err := url.Parse(invite)
	if err != nil || !strings.HasPrefix(u.Path, "/household/join/") {
		inesTab.fatalf("invitation link %q", invite)
	}
	if got := inesTab.text(css(".invitation-list li span")); !strings.HasPrefix(got, "Link by "+ines.displayName) {
		inesTab.errorf("pending invitation %q", got)
	}
	inesTab.checkPage("household, link made")
	inesTab.shot("household-link")

	// Omar signs up, then opens the link.
	omarTab.open("/register", 200)
	register(omarTab, omar)
	omarTab.open(u.Path, 200)
	offer := omarTab.text(css("p.offer"))
	want := ines.displayName + " invites you to join " + ines.displayName + "’s household, a household of 1 person."
	if !strings.HasPrefix(offer, want) {
		omarTab.errorf("offer %q, want it to begin %q", offer, want)
	}
	omarTab.checkPage("invitation")
	omarTab.shot("invitation")
	omarTab.follow(button("Join "+ines.displayName+"’s household"), 200)
	if f := omarTab.text(css("#flash")); !strings.HasPrefix(f, "Welcome to the household!") {
		omarTab.errorf("flash %q", f)
	}
	members := func(b *tab) string { return strings.Join(b.texts(".member-name"), " | ") }
	if got, want := members(omarTab), ines.displayName+" OWNER | "+omar.displayName+" (you) MEMBER"; got != want {
		omarTab.errorf("members as Omar sees them %q, want %q", got, want)
	}
	omarTab.checkPage("household, member")
	omarTab.shot("household-member")

	inesTab.open("/household", 200)
	if got, want := members(inesTab), ines.displayName+" (you) OWNER | "+omar.displayName+" MEMBER"; got != want {
		inesTab.errorf("members as Ines sees them %q, want %q", got, want)
	}
	if n := inesTab.count(".invitation-list li"); n != 0 {
		inesTab.errorf("%d pending invitations after Omar joined, want 0", n)
	}
	inesTab.checkPage("household, owner of two")
	inesTab.shot("household-owner")

	// Ines plans tonight's dinner on her phone; Omar sees it on his.
	inesTab.openMenu()
	inesTab.follow(link("Plan"), 200)
	inesTab.choose(css("#plan-slot"), "dinner")
	inesTab.fill(css("#plan-title"), "Leftover lasagne")
	inesTab.follow(button("Add"), 200)
	if f := inesTab.text(css("#flash")); f != "Added to the meal plan." {
		inesTab.errorf("flash %q", f)
	}
	inesTab.checkPage("meal plan")
	inesTab.shot("plan")
	omarTab.open("/plan", 200)
	if got := omarTab.texts(".plan-entry-text"); len(got) != 1 || got[0] != "Leftover lasagne" {
		omarTab.errorf("Omar's plan shows %q", got)
	}
	omarTab.shot("plan")

	// Omar drags it onto another day of the week (the drop sends the
	// entry's own Move form).
	target := evalJS[string](omarTab, `(() => {
		const from = document.querySelector('.plan-entry').closest('.plan-day');
		return [...document.querySelectorAll('.plan-day')].find(d => d !== from).id;
	})()`)
	omarTab.mark()
	evalJS[bool](omarTab, `(() => {
		const dt = new DataTransfer();
		const entry = document.querySelector('.plan-entry');
		entry.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: true}));
		document.getElementById(`+js(target)+`).dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`)
	omarTab.waitJS("the page after the drop", unmarkedJS)
	if !evalJS[bool](omarTab, `document.querySelector('#`+target+` .plan-entry') !== null`) {
		omarTab.errorf("the entry is not on %s after the drop", target)
	}
	if f := omarTab.text(css("#flash")); f != "Moved." {
		omarTab.errorf("after the drop: flash %q", f)
	}
	omarTab.shot("plan-moved")

	// The month at a glance shows it, at a desktop and on a phone.
	for _, b := range []*tab{omarTab, inesTab} {
		b.open("/plan/month", 200)
		if got := b.texts(".month-entries li"); len(got) != 1 || got[0] != "dinner: Leftover lasagne" {
			b.errorf("the month shows %q", got)
		}
		b.checkPage("month")
		b.shot("month")
	}
}
