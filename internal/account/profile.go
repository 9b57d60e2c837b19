package account

import (
	"context"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// ProfileChange is an edit of the owner's profile; a nil field stays as it
// is (the API's PATCH). A new Email is not saved but asked for: it takes
// effect when the link sent to it is followed (EmailChanges).
type ProfileChange struct {
	DisplayName *string
	Bio         *string
	Email       *string
	// UnitSystem is "original", "metric", "us", or "" for none chosen.
	UnitSystem *string
}

// UpdateProfile checks and normalises ch and saves it: the display name
// trimmed, 1–80 characters on one line; the bio up to 2000 characters,
// line breaks kept; the email, unless it is u's own, as CheckNewEmail says, then requested
// through emails. Every field is checked before anything is written, and
// the email change (which may be refused as taken or over its budget) is
// asked for before the profile is saved. It returns the saved user, with
// u's address still, and the pending change when one was asked for.
// Invalid input is a *validate.Error naming every bad field; an email
// another account uses, a *store.ConflictError.
func (s *Service) UpdateProfile(ctx context.Context, u *auth.User, ch ProfileChange, emails *EmailChanges, c Client) (*auth.User, *store.EmailChange, error) {
	next := *u
	var errs validate.Errors
	if ch.DisplayName != nil {
		next.DisplayName = validate.Text(&errs, "display_name", *ch.DisplayName, 1, auth.MaxDisplayName, false)
	}
	if ch.Bio != nil {
		next.Bio = validate.Text(&errs, "bio", *ch.Bio, 0, auth.MaxBio, true)
	}
	var email string
	if ch.Email != nil && sameEmail(u, *ch.Email) {
		// A PATCH that sends back the address it was given changes
		// nothing: resending a whole profile must not fail.
		ch.Email = nil
	}
	if ch.Email != nil {
		email = CheckNewEmail(&errs, u, *ch.Email)
	}
	if ch.UnitSystem != nil {
		if _, ok := recipe.ParseUnitSystem(*ch.UnitSystem); !ok && *ch.UnitSystem != "" {
			errs.Add("unit_system", "must be original, metric, us or empty")
		}
		next.UnitSystem = *ch.UnitSystem
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	var pending *store.EmailChange
	if ch.Email != nil {
		var err error
		if pending, err = emails.Request(ctx, u, email, c); err != nil {
			return nil, nil, err
		}
	}
	if ch.DisplayName != nil || ch.Bio != nil || ch.UnitSystem != nil {
		if err := s.store.UpdateUserProfile(ctx, &next); err != nil {
			return nil, nil, err
		}
	}
	return &next, pending, nil
}

// sameEmail tells whether email is u's address once normalised.
func sameEmail(u *auth.User, email string) bool {
	var scratch validate.Errors
	return auth.NormalizeEmail(&scratch, "email", email) == u.Email && len(scratch) == 0
}
