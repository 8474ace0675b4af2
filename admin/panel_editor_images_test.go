package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// withImages adds the editor's image fields to form: the cover, the pins
// (mediaId, title, description, alt, hidden for each) and the body images
// with the pinnable ones.
func withImages(form url.Values, cover, coverAlt string, pins []cms.PinInput, bodyImages, pinnable []string) url.Values {
	form.Set("images", "1")
	form.Set("cover.mediaId", cover)
	form.Set("cover.alt", coverAlt)
	for i, p := range pins {
		n := "pins[" + string(rune('0'+i)) + "]."
		form.Set(n+"mediaId", p.MediaID)
		form.Set(n+"title", p.Title)
		form.Set(n+"description", p.Description)
		form.Set(n+"alt", p.Alt)
		if p.Hidden {
			form.Set(n+"hidden", "1")
		}
	}
	form["bodyImages"] = bodyImages
	form["pinnable"] = pinnable
	return form
}

func TestEditorImages(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	pin := e.MustMedia(t, "pin.jpg", "A tired toddler", 1000, 1500)
	wide := e.MustMedia(t, "wide.jpg", "", 1200, 800)
	inBody := e.MustMedia(t, "body.jpg", "", 400, 300)
	body := "Text.\n\n![Room](/media/" + inBody.ID + "/w1024)\n\n![Wide](/media/" + wide.ID + "/w640)\n"

	// Create with a cover, two pins and a body image marked not pinnable.
	form := url.Values{"title": {"Toddler naps"}, "slug": {""}, "body": {body}, "action": {"save"}, "slugAuto": {"1"}}
	withImages(form, wide.ID, "A wide room", []cms.PinInput{
		{MediaID: pin.ID, Title: "Toddler naps, made easy", Description: "Wake windows by age.", Alt: "A tired toddler"},
		{MediaID: wide.ID, Title: "Second pin", Hidden: true},
	}, []string{inBody.ID, wide.ID}, []string{wide.ID})
	res := b.PostCSRF(t, "/admin/posts", form).MustStatus(t, http.StatusSeeOther)
	m := postLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("Location = %q", res.Header.Get("Location"))
	}
	post := e.MustStored(t, m[1])
	if post.Cover == nil || post.Cover.MediaID != wide.ID || post.Cover.Alt != "A wide room" || post.Cover.Width != 1200 {
		t.Errorf("cover = %+v", post.Cover)
	}
	if len(post.Pins) != 2 || post.Pins[0].MediaID != pin.ID || post.Pins[0].Title != "Toddler naps, made easy" ||
		post.Pins[0].Description != "Wake windows by age." || post.Pins[0].Hidden || !post.Pins[1].Hidden || post.Pins[1].Title != "Second pin" {
		t.Errorf("pins = %+v", post.Pins)
	}
	if len(post.NoPinMediaIDs) != 1 || post.NoPinMediaIDs[0] != inBody.ID {
		t.Errorf("noPinMediaIds = %v, want [%s]", post.NoPinMediaIDs, inBody.ID)
	}

	t.Run("EditorShowsThem", func(t *testing.T) {
		p := b.Get(t, "/admin/posts/"+post.ID).MustStatus(t, 200)
		p.MustContain(t, `name="images" value="1"`, `id="cover.mediaId" value="`+wide.ID+`"`, `/media/`+wide.ID+`/w640`,
			`value="A wide room"`, `name="pins[0].mediaId" value="`+pin.ID+`"`, `name="pins[1].title"`, `value="Toddler naps, made easy"`,
			`/media/`+pin.ID+`/pin`, `class="pin-card-title">Toddler naps, made easy`, `23/100 characters`, `/500 characters`,
			`id="pins[1].hidden" name="pins[1].hidden" value="1" data-pin="hidden" checked`,
			// The wide pin is not 2:3: a warning from PinWarnings.
			"The image is 1200x800, not 2:3",
			`id="pinnable-`+inBody.ID+`" name="pinnable" value="`+inBody.ID+`">`,
			`id="pinnable-`+wide.ID+`" name="pinnable" value="`+wide.ID+`" checked>`,
			`id="pin-template"`, `id="media-picker"`, `id="pin-file"`, `id="body-upload-status"`, "js/editor-images.js", "Sortable.min.js")
		p.MustNotContain(t, "The image is 1000x1500")
	})

	t.Run("PinTitleTooLong", func(t *testing.T) {
		f := editorForm(post, "save")
		withImages(f, wide.ID, "A wide room", []cms.PinInput{{MediaID: pin.ID, Title: strings.Repeat("z", 101)}}, []string{inBody.ID}, nil)
		p := b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusUnprocessableEntity)
		p.MustContain(t, `id="form-problem"`, `<p class="field-error" id="pins[0].title-error">The pin title must be at most 100 characters.</p>`,
			`id="pins[0].title" name="pins[0].title" value="`+strings.Repeat("z", 101)+`"`, "101/100 characters")
		if got := e.MustStored(t, post.ID); got.Version != post.Version || len(got.Pins) != 2 {
			t.Errorf("a refused save changed the post: version %d, pins %d", got.Version, len(got.Pins))
		}
	})

	t.Run("UnknownMedia", func(t *testing.T) {
		f := editorForm(post, "save")
		unknown := "64b0000000000000000000ff"
		withImages(f, "", "", []cms.PinInput{{MediaID: pin.ID, Title: "ok"}, {MediaID: unknown, Title: "gone"}}, nil, nil)
		p := b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusUnprocessableEntity)
		p.MustContain(t, `id="pins[1].mediaId-error">Unknown image `+unknown)
		f = editorForm(post, "save")
		withImages(f, "not-an-id", "", nil, nil, nil)
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusUnprocessableEntity).
			MustContain(t, `id="cover.mediaId-error">Must be a media id.`)
		if got := e.MustStored(t, post.ID); got.Version != post.Version {
			t.Errorf("a refused save changed the post: version %d", got.Version)
		}
	})

	t.Run("FormWithoutImagesKeepsThem", func(t *testing.T) {
		f := editorForm(post, "save")
		f.Set("title", "Toddler naps (edited)")
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		got := e.MustStored(t, post.ID)
		if got.Title != "Toddler naps (edited)" || got.Cover == nil || len(got.Pins) != 2 || len(got.NoPinMediaIDs) != 1 {
			t.Errorf("after a save without image fields: title %q, cover %v, pins %d, nopin %v", got.Title, got.Cover, len(got.Pins), got.NoPinMediaIDs)
		}
		post = got
	})

	t.Run("ReorderRemoveAndClearCover", func(t *testing.T) {
		f := editorForm(post, "save")
		withImages(f, "", "", []cms.PinInput{{MediaID: wide.ID, Title: "Now first"}}, []string{inBody.ID, wide.ID}, []string{inBody.ID, wide.ID})
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		got := e.MustStored(t, post.ID)
		if got.Cover != nil || len(got.Pins) != 1 || got.Pins[0].MediaID != wide.ID || got.Pins[0].Title != "Now first" || len(got.NoPinMediaIDs) != 0 {
			t.Errorf("after reordering: cover %v, pins %+v, nopin %v", got.Cover, got.Pins, got.NoPinMediaIDs)
		}
		post = got
		// The same images again: no changes, no new revision.
		f.Set("version", strconv.Itoa(post.Version))
		b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustRedirect(t, "/admin/posts/"+post.ID)
		b.Get(t, "/admin/posts/"+post.ID).MustContain(t, "No changes to save.")
		if again := e.MustStored(t, post.ID); again.Version != post.Version {
			t.Errorf("an unchanged save made version %d (was %d)", again.Version, post.Version)
		}
	})

	t.Run("CSRFMissing", func(t *testing.T) {
		f := editorForm(post, "save")
		withImages(f, pin.ID, "", nil, nil, nil)
		b.Post(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusForbidden)
		if got := e.MustStored(t, post.ID); got.Cover != nil {
			t.Errorf("a save without the CSRF token set the cover")
		}
	})

	t.Run("ConflictKeepsImages", func(t *testing.T) {
		f := editorForm(post, "save")
		f.Set("version", "1")
		withImages(f, pin.ID, "Cover alt", []cms.PinInput{{MediaID: pin.ID, Title: "Mine", Hidden: true}}, []string{inBody.ID}, nil)
		p := b.PostCSRF(t, "/admin/posts/"+post.ID, f).MustStatus(t, http.StatusConflict)
		p.MustContain(t, `name="images" value="1"`, `name="cover.mediaId" value="`+pin.ID+`"`, `name="pins[0].title" value="Mine"`,
			`name="pins[0].hidden" value="1"`, `name="bodyImages" value="`+inBody.ID+`"`)
	})

	t.Run("UsedImageCannotBeDeleted", func(t *testing.T) {
		b.PostCSRF(t, "/admin/media/"+wide.ID+"/delete", url.Values{"confirm": {"yes"}}).MustStatus(t, http.StatusConflict).
			MustContain(t, "Toddler naps (edited)")
	})
}
