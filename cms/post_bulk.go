package cms

import "context"

// TrashPosts moves the posts ids to the trash, whatever their versions, as
// TrashPost does one by one, but refreshes public content once at the end
// instead of after each post: a refresh costs a scan of the published
// posts, so this is what the panel's bulk action uses. Malformed ids,
// missing posts and posts already in the trash are skipped; it returns how
// many posts it moved. On an error it stops, and the posts moved so far
// stay moved (each move is one save).
func (s *Service) TrashPosts(ctx context.Context, actor *User, ids []string) (int, error) {
	n := 0
	for _, id := range ids {
		if !ValidID(id) {
			continue
		}
		_, _, err := s.changePostQuiet(ctx, actor, id, 0, "trashed", nil, func(p *Post) error {
			if p.Trashed() {
				return errSkip
			}
			p.DeletedAt = s.timeNow()
			return nil
		})
		switch {
		case err == errSkip || IsKind(err, KindNotFound):
			continue
		case err != nil:
			if n > 0 {
				s.published(ctx)
			}
			return n, err
		}
		n++
	}
	if n > 0 {
		s.published(ctx)
	}
	return n, nil
}
