package ui

// pageDescriptions is each page's meta description, for pages whose
// handler has no more particular one (a recipe's own description, a cook's
// profile). Search engines show it under the title, so it says what the
// page is for rather than repeating the title; every page has one.
var pageDescriptions = map[string]string{
	"about":                "What RecCollection is, how it keeps your recipes private until you share them, and how to reach its API.",
	"admin":                "The RecCollection admin console: system status, users, feature flags and the audit log.",
	"admin_disable":        "Confirm disabling an account in the RecCollection admin console.",
	"admin_refused":        "The RecCollection admin console needs two-factor authentication first.",
	"bad_request":          "RecCollection could not read that request.",
	"browse":               "Browse and search the recipes shared on RecCollection by title, ingredient, tag or time.",
	"comment_edit":         "Edit your comment on a recipe on RecCollection.",
	"comments":             "What readers say about a recipe on RecCollection, and a place to add your own.",
	"cook":                 "Cook mode: one step at a time, large type, the screen kept awake.",
	"crossorigin":          "RecCollection refused a form sent from another site.",
	"error":                "Something went wrong on RecCollection.",
	"follow_self":          "Nobody follows themselves on RecCollection.",
	"forbidden":            "You do not have access to this RecCollection page.",
	"home":                 "Your RecCollection kitchen: your recipes and the newest ones shared by others.",
	"import":               "Import a recipe into RecCollection from a link, a page's HTML or its text, and check it before saving.",
	"import_bulk":          "Import many recipes into RecCollection at once from a list of links.",
	"import_bulk_progress": "How far a RecCollection bulk import has got.",
	"landing":              "RecCollection keeps your recipes, finds them again and shares the ones you love.",
	"login":                "Log in to RecCollection to reach your recipes.",
	"notfound":             "This RecCollection page does not exist, or is not shared with you.",
	"people":               "Who follows a cook on RecCollection, and whom they follow.",
	"profile":              "Recipes shared on RecCollection.",
	"recipe":               "A recipe on RecCollection.",
	"recipe_delete":        "Confirm deleting a recipe from RecCollection.",
	"recipe_form":          "Write a recipe on RecCollection: ingredients, steps, times and tags.",
	"register":             "Create a free RecCollection account to keep, scale and share your recipes.",
	"settings":             "Your RecCollection settings: profile, password, two-factor authentication and API tokens.",
	"toomany":              "Too many attempts on RecCollection; try again shortly.",
	"unavailable":          "RecCollection is back in a moment.",
	"verify":               "Enter the code from your authenticator app to finish logging in to RecCollection.",
}

// siteDescription is the fallback for a page missing from pageDescriptions.
const siteDescription = "RecCollection keeps your recipes, finds them again and shares the ones you love."

// describe gives p the description of page name unless it has one.
func describe(p *page, name string) {
	if p.Description != "" {
		return
	}
	if d, ok := pageDescriptions[name]; ok {
		p.Description = d
		return
	}
	p.Description = siteDescription
}
