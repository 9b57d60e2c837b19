package app

import (
	"html/template"
	"net/http"

	"github.com/reccollection/reccollection/internal/buildinfo"
)

// indexPage is the plain front page of the server: what it is and where
// the API lives.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RecCollection</title>
<style>
body{font:1.05rem/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fffdf8}
a{color:#8a3b12}code{background:#f3efe6;padding:.1em .3em;border-radius:4px}
@media (prefers-color-scheme:dark){body{color:#eee;background:#1b1a17}a{color:#f0a868}code{background:#2c2a25}}
</style>
</head>
<body>
<main>
<h1>RecCollection</h1>
<p>Keep your recipes, find them again, and share the ones you love.</p>
<h2>API</h2>
<ul>
<li><a href="/api/v1/recipes">Newest public recipes</a> (<code>GET /api/v1/recipes</code>)</li>
<li><a href="/api/v1/openapi.json">OpenAPI document</a></li>
<li><a href="/readyz">Readiness</a> · <a href="/version">Version</a></li>
</ul>
</main>
<footer><p>Version {{.Version}} ({{.Commit}})</p></footer>
</body>
</html>
`))

func (a *App) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := indexPage.Execute(w, buildinfo.Get()); err != nil {
		a.log.WarnContext(r.Context(), "render index", "err", err)
	}
}
