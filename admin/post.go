package admin

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// postSummary is a post in a list: the post index leaves Body and HTML out of
// lists, so these shallower fields hide them from the JSON instead of
// showing them empty.
type postSummary struct {
	*cms.Post
	Body *struct{} `json:"body,omitempty"`
	HTML *struct{} `json:"html,omitempty"`
}

// handlePostList lists posts: ?status=&category=&tag=&q=&trashed=&sort=&page=&limit=.
func (a *Admin) handlePostList(c *fiber.Ctx) error {
	q := newQuery(c)
	f := cms.PostFilter{
		Status:     cms.PostStatus(q.str("status")),
		CategoryID: q.str("category"),
		Tag:        q.str("tag"),
		Query:      q.str("q"),
		Trashed:    q.boolean("trashed"),
		Sort:       cms.PostSort(q.str("sort")),
		Page:       q.positive("page"),
		Limit:      q.positive("limit"),
	}
	for field, msg := range cms.ErrorFields(f.Normalise()) {
		q.pr.Add(field, msg)
	}
	if err := q.err(); err != nil {
		return err
	}
	// The in-memory index, as the panel's lists: the same filter and
	// order, without scanning the posts collection per request.
	posts, total, err := a.posts.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]postSummary, len(posts))
	for i, p := range posts {
		out[i] = postSummary{Post: p}
	}
	return c.JSON(envelope{Data: out, Meta: &meta{Pagination: pagination{
		Page: f.Page, Limit: f.Limit, Total: total, TotalPages: (total + f.Limit - 1) / f.Limit,
	}}})
}

// postWrite is the body of a post's create or edit: the post's fields,
// and the confirmation that it may go live citing retracted works.
type postWrite struct {
	cms.PostInput
	ConfirmRetracted bool `json:"confirmRetracted"`
}

// input is the post's fields with what she confirmed.
func (w *postWrite) input() cms.PostInput {
	in := w.PostInput
	in.Confirmed = cms.Confirmed{Retracted: w.ConfirmRetracted}
	return in
}

// handlePostCreate creates a draft (or a post published or scheduled at
// once: then cms refuses one citing retracted works, a 409, unless
// confirmed): 201 with Location.
func (a *Admin) handlePostCreate(c *fiber.Ctx) error {
	var in postWrite
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.svc.CreatePost(c.UserContext(), actor(c), in.input())
	if err != nil {
		return err
	}
	return created(c, p.ID, p)
}

// handlePostGet returns one post with its Markdown body and HTML.
func (a *Admin) handlePostGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	p, err := a.svc.GetPost(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, p)
}

// handlePostUpdate applies a partial edit; "version" is required. An
// edit that puts a post citing retracted works live, or changes what a
// live one cites, is a 409 unless confirmed (cms decides).
func (a *Admin) handlePostUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in postWrite
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.svc.UpdatePost(c.UserContext(), actor(c), id, in.input())
	if err != nil {
		return err
	}
	return ok(c, p)
}

// postAction is a cms.Service method that moves a post between states.
type postAction func(ctx context.Context, actor *cms.User, id string, version int) (*cms.Post, error)

// handlePostAction returns the handler of POST /posts/:id/<action> with an
// optional body {"version": n}; without a version the action applies to
// whatever the post is now.
func (a *Admin) handlePostAction(action postAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id", "id")
		if err != nil {
			return err
		}
		var body versionBody
		if err := decodeOptionalJSON(c, &body); err != nil {
			return err
		}
		version, err := body.version()
		if err != nil {
			return err
		}
		p, err := action(c.UserContext(), actor(c), id, version)
		if err != nil {
			return err
		}
		return ok(c, p)
	}
}

type scheduleRequest struct {
	Version          *int    `json:"version"`
	PublishAt        *string `json:"publishAt"`
	ConfirmRetracted bool    `json:"confirmRetracted"`
}

// publishRequest is the optional body of POST /posts/:id/publish.
type publishRequest struct {
	Version          *int `json:"version"`
	ConfirmRetracted bool `json:"confirmRetracted"`
}

// handlePostPublish publishes post :id now, with an optional body
// {"version": n, "confirmRetracted": bool}: a post citing retracted works
// is a 409 unless confirmed.
func (a *Admin) handlePostPublish(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var body publishRequest
	if err := decodeOptionalJSON(c, &body); err != nil {
		return err
	}
	version, err := versionBody{Version: body.Version}.version()
	if err != nil {
		return err
	}
	p, err := a.svc.PublishPost(c.UserContext(), actor(c), id, version, cms.Confirmed{Retracted: body.ConfirmRetracted})
	if err != nil {
		return err
	}
	return ok(c, p)
}

// handlePostSchedule schedules publication: {"version": n, "publishAt":
// RFC 3339, "confirmRetracted": bool}; a post citing retracted works is a
// 409 unless confirmed.
func (a *Admin) handlePostSchedule(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var req scheduleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := versionBody{Version: req.Version}.version()
	if err != nil {
		return err
	}
	var at time.Time
	if req.PublishAt != nil {
		if at, err = time.Parse(time.RFC3339, *req.PublishAt); err != nil {
			return invalid("admin.schedule", "publishAt", "Must be a date and time such as 2030-01-31T09:00:00Z (RFC 3339).")
		}
	}
	p, err := a.svc.SchedulePost(c.UserContext(), actor(c), id, version, at, cms.Confirmed{Retracted: req.ConfirmRetracted})
	if err != nil {
		return err
	}
	return ok(c, p)
}

// handlePostDelete removes a trashed post for good: 204, 409 if not trashed.
func (a *Admin) handlePostDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeletePost(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// handleRevisionList lists a post's revisions, newest first.
func (a *Admin) handleRevisionList(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	revs, err := a.svc.ListRevisions(c.UserContext(), id)
	if err != nil {
		return err
	}
	return ok(c, nonNil(revs))
}

// handleRevisionGet returns one revision with its content.
func (a *Admin) handleRevisionGet(c *fiber.Ctx) error {
	id, rid, err := revisionIDs(c)
	if err != nil {
		return err
	}
	rev, err := a.svc.GetRevision(c.UserContext(), id, rid)
	if err != nil {
		return err
	}
	return ok(c, rev)
}

// handleRevisionRestore brings back a revision's content as a new save.
// Unlike the state actions it overwrites content, so "version" is required.
func (a *Admin) handleRevisionRestore(c *fiber.Ctx) error {
	id, rid, err := revisionIDs(c)
	if err != nil {
		return err
	}
	var body versionBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version == nil {
		return invalid("admin.restoreRevision", "version", "The version you started from is required.")
	}
	version, err := body.version()
	if err != nil {
		return err
	}
	p, err := a.svc.RestoreRevision(c.UserContext(), actor(c), id, rid, version)
	if err != nil {
		return err
	}
	return ok(c, p)
}

func revisionIDs(c *fiber.Ctx) (id, rid string, err error) {
	if id, err = pathID(c, "id", "id"); err != nil {
		return "", "", err
	}
	if rid, err = pathID(c, "rid", "revisionId"); err != nil {
		return "", "", err
	}
	return id, rid, nil
}
