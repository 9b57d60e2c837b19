package account

import (
	"context"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/validate"
)

// ProfileChange is an edit of the owner's profile; a nil field stays as it
// is (the API's PATCH), the settings form sends all three.
type ProfileChange struct {
	DisplayName *string
	Bio         *string
	Email       *string
	// UnitSystem is "original", "metric", "us", or "" for none chosen.
	UnitSystem *string
}

// UpdateProfile checks and normalises ch and saves it: the display name
// trimmed, 1–80 characters on one line; the bio up to 2000 characters,
// line breaks kept; the email trimmed, lower-cased and checked. It returns
// the saved user and leaves u as it was. Invalid input is a
// *validate.Error naming every bad field; an email another account uses,
// a *store.ConflictError.
func (s *Service) UpdateProfile(ctx context.Context, u *auth.User, ch ProfileChange) (*auth.User, error) {
	next := *u
	var errs validate.Errors
	if ch.DisplayName != nil {
		next.DisplayName = validate.Text(&errs, "display_name", *ch.DisplayName, 1, auth.MaxDisplayName, false)
	}
	if ch.Bio != nil {
		next.Bio = validate.Text(&errs, "bio", *ch.Bio, 0, auth.MaxBio, true)
	}
	if ch.Email != nil {
		next.Email = auth.NormalizeEmail(&errs, "email", *ch.Email)
	}
	if ch.UnitSystem != nil {
		if _, ok := recipe.ParseUnitSystem(*ch.UnitSystem); !ok && *ch.UnitSystem != "" {
			errs.Add("unit_system", "must be original, metric, us or empty")
		}
		next.UnitSystem = *ch.UnitSystem
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	if err := s.store.UpdateUserProfile(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}
