package app

import "github.com/reccollection/reccollection/internal/importer"

// SetImportFlows gives the web pages the import flows f (nil hides
// import). Set before the server takes requests.
func (a *App) SetImportFlows(f importer.Flows) { a.ui.SetImports(f) }
