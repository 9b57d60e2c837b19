// Package ai holds the recipe form's suggestion providers: what proposes a
// title, a short description and tags for a recipe being written. Offline
// is the built-in one, computed from the recipe's ingredients and steps
// with no network and the same answer every time; a client for an
// OpenAI-compatible service is to join it, returning the same Suggestion.
package ai
