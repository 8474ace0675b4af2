package cms

import "context"

// ListContentKeys returns every content key, revoked ones too, oldest
// first; owners only. Errors: Forbidden, Unavailable, Internal.
func (s *Service) ListContentKeys(ctx context.Context, actor *User) ([]*ContentKey, error) {
	if !actor.CanManageSettings() {
		return nil, forbidden("cms.ListContentKeys", "Only owners can manage content keys.")
	}
	return s.store.ListContentKeys(ctx)
}

// CreateContentKey makes a key for a frontend and returns it with its
// secret, which is not kept and cannot be shown again; owners only. The
// key works on this instance at once and on every other one within the
// sync interval. Errors: Forbidden, Invalid (Fields: name, origins,
// rateLimit; or too many keys), Unavailable, Internal.
func (s *Service) CreateContentKey(ctx context.Context, actor *User, in ContentKeyInput) (*ContentKey, string, error) {
	const op = "cms.CreateContentKey"
	if !actor.CanManageSettings() {
		return nil, "", forbidden(op, "Only owners can manage content keys.")
	}
	k, secret, err := newContentKey(in)
	if err != nil {
		return nil, "", err
	}
	keys, err := s.store.ListContentKeys(ctx)
	if err != nil {
		return nil, "", err
	}
	if len(keys) >= MaxContentKeys {
		return nil, "", Problems{"name": "This site has as many content keys as it may keep (200, revoked ones included)."}.Err(op)
	}
	k.ID, k.Version, k.CreatedAt = NewID(), 1, s.timeNow()
	k.CreatedBy, k.CreatedByName = actor.ID, actor.Name
	if err := s.store.CreateContentKey(ctx, k); err != nil {
		return nil, "", err
	}
	s.published(ctx)
	return k, secret, nil
}

// RevokeContentKey revokes a key for good; owners only. The public APIs
// refuse it on this instance at once and on every other one within the
// sync interval. Revoking a revoked key changes nothing. Errors:
// Forbidden, NotFound, Invalid (a malformed id), Unavailable, Internal.
func (s *Service) RevokeContentKey(ctx context.Context, actor *User, id string) (*ContentKey, error) {
	if !actor.CanManageSettings() {
		return nil, forbidden("cms.RevokeContentKey", "Only owners can manage content keys.")
	}
	k, err := s.store.RevokeContentKey(ctx, id, s.timeNow())
	if err != nil {
		return nil, err
	}
	s.published(ctx)
	return k, nil
}
