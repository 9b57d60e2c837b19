package recipe

// Viewer is who is asking: the zero value is an anonymous visitor.
type Viewer struct {
	UserID string
	Admin  bool
}

// CanRead reports whether v may see r. Public and unlisted recipes are
// readable by anyone who has their URL; a private recipe only by its
// author. Admins get no exception for private recipes: "private" is a
// promise to the author, and moderation only concerns published work.
func CanRead(r *Summary, v Viewer) bool {
	switch r.Visibility {
	case Public, Unlisted:
		return true
	default:
		return v.UserID != "" && r.Author.ID == v.UserID
	}
}

// CanEdit reports whether v may change or delete r. Authors may; admins
// may moderate any recipe they can read.
func CanEdit(r *Summary, v Viewer) bool {
	if v.UserID == "" || !CanRead(r, v) {
		return false
	}
	return r.Author.ID == v.UserID || v.Admin
}
