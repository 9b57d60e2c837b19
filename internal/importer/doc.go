// Package importer turns a web page, pasted HTML or plain text into a
// recipe draft a person checks before saving. It owns the SSRF-safe
// fetcher (every outbound request the importer makes, pages and photos,
// goes through it) and the import flows the API and the web app share:
// preview, save with the page's photo, and bulk import as a background job.
// Extraction itself lives in the extract sub-package, which does no I/O.
package importer
