package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// AuditAccountDelete records that an account was deleted. The row names
// nobody: the account's earlier rows are kept without it too
// (store.DeleteAccount), and the details are counts.
const AuditAccountDelete = "account.delete"

// DeleteRequest is what a person confirms a deletion with: their
// password and, when they have a second factor, a current code (or a
// recovery code).
type DeleteRequest struct {
	Password string
	Code     string
}

// DeleteAccount deletes u and everything of theirs after checking the
// password again and, where u has one, the second factor; m may be nil
// when second factors are not configured. Both checks are throttled as
// sign-in is. Missing fields and a wrong password are a *validate.Error
// (fields "password" and "code"), a wrong code ErrBadCode, too many
// attempts a *ThrottledError, and the only administrator
// store.ErrLastAdmin. Nothing is deleted unless every check passed.
func (s *Service) DeleteAccount(ctx context.Context, m *MFA, u *auth.User, req DeleteRequest, c Client) (*store.DeletedAccount, error) {
	needCode := false
	if m != nil {
		on, err := m.Enabled(ctx, u)
		if err != nil {
			return nil, err
		}
		needCode = on
	}
	var errs validate.Errors
	if req.Password == "" {
		errs.Add("password", "is required")
	}
	code := strings.TrimSpace(req.Code)
	if needCode && code == "" {
		errs.Add("code", "is required: your account has a second factor")
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	if err := s.reauthenticate(ctx, u, "password", req.Password); err != nil {
		return nil, err
	}
	if needCode {
		t, err := s.store.UserTOTP(ctx, u.ID)
		if err != nil {
			return nil, fmt.Errorf("second factor of %s: %w", u.ID, err)
		}
		if err := m.check(ctx, u, t, code); err != nil {
			return nil, err
		}
	}
	gone, err := s.store.DeleteAccount(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	e := store.AuditEntry{Action: AuditAccountDelete, Target: "user:deleted",
		Details: fmt.Sprintf("recipes=%d photos=%d", gone.Recipes, gone.Photos)}
	if err := s.store.Audit(ctx, e); err != nil {
		slog.WarnContext(ctx, "append audit log", "action", AuditAccountDelete, "err", err)
	}
	return gone, nil
}

// LastAdminMessage explains store.ErrLastAdmin to the person refused.
const LastAdminMessage = "You are the only administrator. Make another account an administrator first " +
	"(Admin → Users, or `reccollection user create --admin`), then delete yours."

// IsLastAdmin reports whether err refused the only administrator.
func IsLastAdmin(err error) bool { return errors.Is(err, store.ErrLastAdmin) }
