package ui

// The measures a reader sees recipes in: metric, US customary, or as
// written. See docs/architecture.md, "Units".

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
)

// unitsCookie remembers an anonymous reader's choice.
const unitsCookie = "units"

// unitsFor decides the measures a page shows: ?units= first (a shared
// link shows what its sender saw), then the signed-in user's saved
// choice, then an anonymous reader's cookie, then the browser's language.
// asked is ?units= when valid, so links keep it.
func unitsFor(r *http.Request, user *auth.User) (sys, asked recipe.UnitSystem) {
	if s, ok := recipe.ParseUnitSystem(r.URL.Query().Get("units")); ok {
		return s, s
	}
	if user != nil {
		if s, ok := recipe.ParseUnitSystem(user.UnitSystem); ok {
			return s, ""
		}
	} else if c, err := r.Cookie(unitsCookie); err == nil {
		if s, ok := recipe.ParseUnitSystem(c.Value); ok {
			return s, ""
		}
	}
	return localeUnits(r.Header.Get("Accept-Language")), ""
}

// usCustomary are the countries that measure in cups and ounces.
var usCustomary = map[string]bool{"US": true, "LR": true, "MM": true}

// localeUnits derives a default from the Accept-Language header's
// preferred language: a US-customary country (en-US) means US measures,
// any other country (en-GB, de-DE) metric. A bare "en" says nothing
// about a country, nor does a missing header, so those keep recipes as
// written; other bare languages ("fr", "de") are spoken where kitchens
// are metric.
func localeUnits(header string) recipe.UnitSystem {
	best, bestQ := "", -1.0
	// A browser sends a handful of tags; the rest of a long header is
	// left unsplit and ignored.
	parts := strings.SplitN(header, ",", 33)
	for _, part := range parts[:min(len(parts), 32)] {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if tag = strings.TrimSpace(tag); tag != "" && tag != "*" && q > bestQ {
			best, bestQ = tag, q
		}
	}
	if best == "" || bestQ == 0 {
		return recipe.AsWritten
	}
	subtags := strings.Split(strings.ReplaceAll(best, "_", "-"), "-")
	if n := len(subtags[0]); n < 2 || n > 3 {
		return recipe.AsWritten // not a language: nothing to go on
	}
	for _, s := range subtags[1:] {
		if len(s) == 2 {
			if usCustomary[strings.ToUpper(s)] {
				return recipe.USCustomary
			}
			return recipe.Metric
		}
	}
	if strings.EqualFold(subtags[0], "en") {
		return recipe.AsWritten
	}
	return recipe.Metric
}

// chooseUnits saves the measures picked on a recipe page (the user's
// setting, or a cookie for an anonymous reader) and goes back to the
// recipe in them, keeping its servings.
func (u *UI) chooseUnits(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		u.badForm(w, r, err)
		return
	}
	sys, ok := recipe.ParseUnitSystem(r.PostForm.Get("units"))
	if !ok {
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	}
	if !u.saveUnits(w, r, sys) {
		return
	}
	q := url.Values{"units": {string(sys)}}
	if n, err := strconv.Atoi(r.PostForm.Get("servings")); err == nil && n >= 1 && n <= maxScaledServings {
		q.Set("servings", strconv.Itoa(n))
	}
	u.redirect(w, r, "/recipes/"+url.PathEscape(r.PathValue("id"))+"?"+q.Encode(), "")
}

// saveUnits remembers sys for the reader; false when it has answered with
// an error.
func (u *UI) saveUnits(w http.ResponseWriter, r *http.Request, sys recipe.UnitSystem) bool {
	me := auth.UserFrom(r.Context())
	if me == nil {
		http.SetCookie(w, &http.Cookie{Name: unitsCookie, Value: string(sys), Path: "/", MaxAge: 400 * 24 * 60 * 60,
			HttpOnly: true, Secure: u.secureCookies, SameSite: http.SameSiteLaxMode})
		return true
	}
	if err := u.store.SetUnitSystem(r.Context(), me.ID, string(sys)); err != nil {
		u.serverError(w, r, err)
		return false
	}
	return true
}

// unitChoices are the settings page's options; "" follows the browser.
var unitChoices = []option{
	{"", "Follow my browser’s language"},
	{string(recipe.AsWritten), "As written"},
	{string(recipe.Metric), "Metric (g, ml)"},
	{string(recipe.USCustomary), "US (oz, cups)"},
}

// saveUnitSetting saves the choice made on the settings page.
func (u *UI) saveUnitSetting(w http.ResponseWriter, r *http.Request) {
	me, ok := u.signedInForm(w, r)
	if !ok {
		return
	}
	v := r.PostForm.Get("units")
	if _, valid := recipe.ParseUnitSystem(v); !valid && v != "" {
		u.render(w, r, http.StatusBadRequest, "bad_request", &page{Title: "That did not work"})
		return
	}
	if err := u.store.SetUnitSystem(r.Context(), me.ID, v); err != nil {
		u.serverError(w, r, err)
		return
	}
	u.redirect(w, r, "/settings", "units-saved")
}
