package cms

import (
	"context"
)

// CreateCategory stores a new category. An empty slug is made from the
// name; a taken slug is a Conflict naming "slug". Without a position the
// category goes last.
func (s *Service) CreateCategory(ctx context.Context, actor *User, in CategoryInput) (*Category, error) {
	now := s.timeNow()
	c := &Category{ID: NewID(), Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(c)
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	if in.Position == nil {
		cats, err := s.store.ListCategories(ctx)
		if err != nil {
			return nil, err
		}
		for _, other := range cats {
			c.Position = max(c.Position, other.Position+1)
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := s.store.CreateCategory(ctx, c); err != nil {
		return nil, err
	}
	s.published(ctx)
	return c, nil
}

// UpdateCategory renames, re-slugs, re-describes or moves category id.
// in.Version is required; a stale one is a Conflict.
func (s *Service) UpdateCategory(ctx context.Context, actor *User, id string, in CategoryInput) (*Category, error) {
	const op = "cms.UpdateCategory"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	c, err := s.store.GetCategory(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Version != version {
		return nil, staleError(op, c.Version)
	}
	in.apply(c)
	if in.Slug != nil && c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.Version, c.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateCategory(ctx, c, version); err != nil {
		return nil, err
	}
	s.published(ctx)
	return c, nil
}

// ReorderCategories sets every category's position to its index in ids,
// which must list each category exactly once.
func (s *Service) ReorderCategories(ctx context.Context, actor *User, ids []string) ([]*Category, error) {
	const op = "cms.ReorderCategories"
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Category, len(cats))
	for _, c := range cats {
		byID[c.ID] = c
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if byID[id] == nil {
			return nil, Problems{"ids": "Unknown category " + id + "."}.Err(op)
		}
		if seen[id] {
			return nil, Problems{"ids": "Category " + id + " is listed twice."}.Err(op)
		}
		seen[id] = true
	}
	if len(ids) != len(cats) {
		return nil, Problems{"ids": "List every category exactly once."}.Err(op)
	}
	out := make([]*Category, 0, len(ids))
	for i, id := range ids {
		c := byID[id]
		if c.Position != i {
			prev := c.Version
			c.Position, c.Version, c.UpdatedAt = i, prev+1, s.timeNow()
			if err := s.store.UpdateCategory(ctx, c, prev); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	s.published(ctx)
	return out, nil
}

// DeleteCategory removes category id. Posts filed under it keep working:
// they simply no longer list it.
func (s *Service) DeleteCategory(ctx context.Context, actor *User, id string) error {
	if err := s.store.DeleteCategory(ctx, id); err != nil {
		return err
	}
	s.published(ctx)
	return nil
}

// GetCategory returns category id. NotFound, Invalid.
func (s *Service) GetCategory(ctx context.Context, id string) (*Category, error) {
	return s.store.GetCategory(ctx, id)
}

// ListCategories returns every category in display order.
func (s *Service) ListCategories(ctx context.Context) ([]*Category, error) {
	return s.store.ListCategories(ctx)
}
