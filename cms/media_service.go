package cms

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// MaxUploadBytes returns the upload size limit the service enforces.
func (s *Service) MaxUploadBytes() int64 { return s.maxUpload }

// UploadMedia reads an image from r (at most MaxUploadBytes; one byte more
// is refused while streaming, before the rest is read), checks and
// processes it (see ImageProcessor), and stores its variants. The same bytes
// uploaded again return the existing media and store nothing new.
// Errors: KindTooLarge or KindInvalid naming "file" or "alt",
// KindUnavailable, KindInternal.
func (s *Service) UploadMedia(ctx context.Context, actor *User, filename, alt string, r io.Reader) (*Media, error) {
	m, _, err := s.UploadMediaStatus(ctx, actor, filename, alt, r)
	return m, err
}

// UploadMediaStatus is UploadMedia, also reporting whether the image is
// new: false when the same bytes were uploaded before (or concurrently)
// and the existing media is returned.
func (s *Service) UploadMediaStatus(ctx context.Context, actor *User, filename, alt string, r io.Reader) (*Media, bool, error) {
	const op = "cms.UploadMedia"
	data, err := io.ReadAll(io.LimitReader(r, s.maxUpload+1))
	if err != nil {
		return nil, false, fieldError(KindInvalid, op, "file", "The upload could not be read.", err)
	}
	if int64(len(data)) > s.maxUpload {
		msg := fmt.Sprintf("The file is too large: the limit is %d MiB.", s.maxUpload>>20)
		return nil, false, fieldError(KindTooLarge, op, "file", msg, nil)
	}
	if len(data) == 0 {
		return nil, false, fieldError(KindInvalid, op, "file", "The file is empty.", nil)
	}
	now := s.timeNow()
	m := &Media{ID: NewID(), Filename: SanitizeFilename(filename), Alt: alt, Bytes: int64(len(data)),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if actor != nil {
		m.UploadedBy = actor.ID
	}
	if err := m.Validate(); err != nil {
		return nil, false, err
	}
	sum := sha256.Sum256(data)
	m.Hash = hex.EncodeToString(sum[:])
	switch existing, err := s.store.FindMediaByHash(ctx, m.Hash); {
	case err == nil:
		return existing, false, nil
	case !IsKind(err, KindNotFound):
		return nil, false, err
	}
	readers, err := s.processImage(ctx, op, m, data)
	if err != nil {
		return nil, false, err
	}
	data = nil // the upload itself is never stored
	ev, err := s.putIntent(ctx, EventMediaUploaded, m.ID, m.Version, "", mediaEventData(m))
	if err != nil {
		return nil, false, err
	}
	stored, err := s.store.CreateMedia(ctx, m, readers)
	if err != nil || stored.ID != m.ID {
		s.dropIntent(ctx, ev) // not stored, or the same bytes were stored meanwhile
	}
	if err != nil {
		return nil, false, err
	}
	if stored.ID == m.ID {
		if err := s.eventSaved(ctx, ev); err != nil {
			return nil, false, err
		}
	}
	return stored, stored.ID == m.ID, nil
}

// processImage has the service's ImageProcessor check and render data,
// sets m's type, size and variants, and returns the readers of the
// variants' bytes (same order). A refused image is KindInvalid naming
// the field, an upload canceled while waiting KindUnavailable.
func (s *Service) processImage(ctx context.Context, op string, m *Media, data []byte) ([]io.Reader, error) {
	if s.images == nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: errors.New("no ImageProcessor configured")}
	}
	var readers []io.Reader
	m.Variants = nil
	ct, w, h, err := s.images.ProcessImage(ctx, data, func(name, contentType string, width, height int, data []byte) {
		m.Variants = append(m.Variants, MediaVariant{Name: name, ContentType: contentType, Width: width, Height: height,
			Bytes: int64(len(data)), ETag: etagOf(data)})
		readers = append(readers, bytes.NewReader(data))
	})
	var refused interface {
		error
		Field() string
	}
	switch {
	case errors.As(err, &refused):
		return nil, fieldError(KindInvalid, op, refused.Field(), refused.Error(), errors.Unwrap(refused))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "The upload was canceled while waiting for other uploads to finish.", Err: err}
	case err != nil:
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	m.ContentType, m.Width, m.Height = ct, w, h
	return readers, nil
}

// fieldError is the error of kind whose message names field, with the
// cause err (nil: none).
func fieldError(kind Kind, op, field, msg string, err error) error {
	return &Error{Kind: kind, Op: op, Message: msg, Fields: map[string]string{field: msg}, Err: err}
}

// etagOf is the strong, quoted ETag of a variant's bytes.
func etagOf(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// GetMedia returns media id. Errors: KindInvalid (malformed id),
// KindNotFound, KindUnavailable, KindInternal.
func (s *Service) GetMedia(ctx context.Context, id string) (*Media, error) {
	return s.store.GetMedia(ctx, id)
}

// ListMedia returns one page of the media library, newest first, and the
// total number of matches. Errors: KindUnavailable, KindInternal.
func (s *Service) ListMedia(ctx context.Context, f MediaFilter) ([]*Media, int, MediaFilter, error) {
	f.normalise()
	items, total, err := s.store.ListMedia(ctx, f)
	return items, total, f, err
}

// UpdateMedia changes the alt text of media id; in.Version is required.
// Errors: KindInvalid naming "alt" or "version", KindNotFound,
// KindConflict (stale version), KindUnavailable, KindInternal.
func (s *Service) UpdateMedia(ctx context.Context, actor *User, id string, in MediaInput) (*Media, error) {
	const op = "cms.UpdateMedia"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.Version != version {
		return nil, staleError(op, m.Version)
	}
	if in.Alt != nil {
		m.Alt = *in.Alt
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.Version, m.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateMedia(ctx, m, version); err != nil {
		return nil, err
	}
	return m, nil
}

// MediaUsage returns, for each of ids, the posts (live and trashed) that
// use it as cover, pin or body image, without bodies. Errors:
// KindUnavailable, KindInternal.
func (s *Service) MediaUsage(ctx context.Context, ids []string) (map[string][]*Post, error) {
	posts, err := s.store.PostsUsingMedia(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]*Post, len(ids))
	for _, p := range posts {
		for _, id := range p.MediaIDs {
			if slices.Contains(ids, id) {
				out[id] = append(out[id], p)
			}
		}
	}
	return out, nil
}

// DeleteMedia removes media id and its files, unless a post (trashed ones
// included: they can be restored) still uses it, or it is the author's
// photo. Errors: KindInvalid,
// KindNotFound, KindConflict (in use, naming the posts), KindUnavailable,
// KindInternal.
func (s *Service) DeleteMedia(ctx context.Context, actor *User, id string) error {
	const op = "cms.DeleteMedia"
	if !ValidID(id) {
		return Problems{"id": "Must be a media id."}.Err(op)
	}
	id = strings.ToLower(id)
	used, err := s.store.PostsUsingMedia(ctx, []string{id})
	if err != nil {
		return err
	}
	if len(used) > 0 {
		titles := make([]string, 0, 3)
		for _, p := range used[:min(len(used), 3)] {
			titles = append(titles, strconv.Quote(p.Title))
		}
		more := ""
		if len(used) > 3 {
			more = fmt.Sprintf(" and %d more", len(used)-3)
		}
		return &Error{Kind: KindConflict, Op: op,
			Message: fmt.Sprintf("This image is still used by %d post(s): %s%s. Remove it from them first (posts in the trash count too).", len(used), strings.Join(titles, ", "), more)}
	}
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return err
	}
	if st.Author.PhotoMediaID == id {
		return &Error{Kind: KindConflict, Op: op,
			Message: "This image is the author's photo in Settings. Choose another photo there (or remove it) first."}
	}
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return err
	}
	ev, err := s.putIntent(ctx, EventMediaDeleted, m.ID, m.Version, "", mediaEventData(m))
	if err != nil {
		return err
	}
	if err := s.store.DeleteMedia(ctx, id); err != nil {
		s.dropIntent(ctx, ev)
		return err
	}
	if err := s.eventSaved(ctx, ev); err != nil {
		return err
	}
	// Every instance drops its cached copies when the content version
	// moves: a deleted photo stops being served within the sync interval.
	s.published(ctx)
	return nil
}

// SweepMedia deletes stored media files that no media refers to and
// that are older than an hour (left by a crash part-way through an upload
// or a delete) and returns how many it deleted; the scheduler calls it.
// Errors: KindUnavailable, KindInternal.
func (s *Service) SweepMedia(ctx context.Context) (int, error) {
	return s.store.SweepMediaFiles(ctx, s.timeNow().Add(-mediaSweepGrace))
}

// MediaVariant returns the named variant of media id and its bytes.
// Errors: KindInvalid (malformed id), KindNotFound, KindUnavailable,
// KindInternal.
func (s *Service) MediaVariant(ctx context.Context, id, variant string) (*MediaVariant, []byte, error) {
	return s.store.OpenMediaVariant(ctx, id, variant)
}
