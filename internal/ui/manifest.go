package ui

import (
	_ "embed" // the service worker
	"encoding/json"
	"net/http"
)

// webManifest is the web app manifest: what a phone needs to install the
// site as an app and, with share_target, to list it in the share sheet —
// sharing a recipe's page to it opens the import page with the link.
type webManifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	ID              string         `json:"id"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
	ShareTarget     *shareTarget   `json:"share_target,omitempty"`
	Shortcuts       []shortcut     `json:"shortcuts,omitempty"`
}

// shortcut is an entry of the installed app's menu (a long press on its
// icon).
type shortcut struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

// shareTarget is the Web Share Target: a GET, so that sharing only fills
// the import form in; the person presses Import.
type shareTarget struct {
	Action  string            `json:"action"`
	Method  string            `json:"method"`
	Enctype string            `json:"enctype"`
	Params  map[string]string `json:"params"`
}

// manifest is GET /manifest.webmanifest. It is served from the site's own
// origin, not /static/: the app's scope, start and share target are paths
// of this origin, and a manifest on a CDN would resolve them there.
func (u *UI) manifest(w http.ResponseWriter, r *http.Request) {
	// The drawing, and the same drawn at the two sizes phones that want
	// pixels ask for (icon-192.png and icon-512.png are favicon.svg
	// rendered by Chromium).
	icons := []manifestIcon{{Sizes: "any", Type: "image/svg+xml", Purpose: "any"}, {Sizes: "192x192", Type: "image/png"}, {Sizes: "512x512", Type: "image/png"}}
	for i, name := range []string{"favicon.svg", "icon-192.png", "icon-512.png"} {
		src, err := u.assets.URL(name)
		if err != nil {
			u.serverError(w, r, err)
			return
		}
		icons[i].Src = src
	}
	m := webManifest{Name: "RecCollection", ShortName: "Recipes", Description: siteDescription,
		ID: "/", StartURL: "/", Scope: "/", Display: "standalone", BackgroundColor: "#fffaf3", ThemeColor: "#b4532a",
		Icons: icons}
	if u.invitations != nil {
		m.Shortcuts = []shortcut{{Name: "Shopping lists", URL: "/shopping"}, {Name: "Meal plan", URL: "/plan"}}
	}
	if u.imports != nil {
		m.ShareTarget = &shareTarget{Action: "/import", Method: "GET", Enctype: "application/x-www-form-urlencoded",
			Params: map[string]string{"title": "title", "text": "text", "url": "url"}}
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		u.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/manifest+json")
	// An hour: a new icon URL or share target reaches installs soon enough.
	h.Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(body)
}

// serviceWorker is the offline worker (sw.js beside this file). It is not
// among the static files: a worker's scope is the path it is served
// from, and it must cover the whole site, so it is served at /sw.js.
//
//go:embed sw.js
var serviceWorker []byte

// serviceWorkerScript is GET /sw.js. no-cache: browsers look for a new
// worker at most once a day anyway, and must find it when it changes.
func (u *UI) serviceWorkerScript(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(serviceWorker)
}
