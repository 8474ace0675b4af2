package cms

import "context"

// GetSettings returns the site settings (defaults until first saved).
func (s *Service) GetSettings(ctx context.Context) (*Settings, error) {
	return s.store.GetSettings(ctx)
}

// UpdateSettings replaces the sections given in `in`. Only owners may;
// in.Version is required (0 until the settings were first saved).
func (s *Service) UpdateSettings(ctx context.Context, actor *User, in SettingsInput) (*Settings, error) {
	const op = "cms.UpdateSettings"
	if !actor.CanManageSettings() {
		return nil, forbidden(op, "Only owners can change the site settings.")
	}
	if in.Version == nil || *in.Version < 0 {
		return nil, Problems{"version": "The version you started from is required (0 before the first save)."}.Err(op)
	}
	cur, err := s.store.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	if cur.Version != *in.Version {
		return nil, staleError(op, cur.Version)
	}
	in.apply(cur)
	if err := cur.Validate(); err != nil {
		return nil, err
	}
	if a := &cur.Author; a.PhotoMediaID != "" && a.Photo == nil {
		a.Photo = &PostImage{MediaID: a.PhotoMediaID}
		if err := s.resolveImage(ctx, op, "author.photoMediaId", a.Photo); err != nil {
			return nil, err
		}
	}
	cur.Version, cur.UpdatedAt = *in.Version+1, s.timeNow()
	if err := s.store.SaveSettings(ctx, cur, *in.Version); err != nil {
		return nil, err
	}
	s.published(ctx)
	return cur, nil
}
