package admin_test

import (
	"net/http"
	"testing"
	"time"
)

// waitJob polls GET /import until the job reaches phase.
func (e *Env) waitJob(tb testing.TB, token, phase string) *jobStatus {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var s *jobStatus
		e.Do(tb, Req{Method: "GET", Path: api + "/import", Token: token}).MustStatus(tb, 200).Data(tb, &s)
		if s != nil && s.Phase == phase {
			return s
		}
		if s != nil && s.Phase == "failed" || time.Now().After(deadline) {
			tb.Fatalf("import job = %+v, want phase %s", s, phase)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestImportExportAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	editor := e.MustEditor(t, owner)
	wxr := mustSleepBlog(t)
	upload := func(token, query, filename string, data []byte) *Resp {
		body, ct := multipartBody(t, filename, data, "")
		return e.Do(t, Req{Method: http.MethodPost, Path: api + "/import/wordpress" + query, Token: token, Body: body,
			Header: map[string]string{"Content-Type": ct}})
	}

	upload(editor.Token, "?dryRun=true", "sleepblog.xml", wxr).MustProblem(t, 403)
	e.Do(t, Req{Method: "GET", Path: api + "/import", Token: editor.Token}).MustProblem(t, 403)
	e.Do(t, Req{Method: "GET", Path: api + "/export", Token: editor.Token}).MustProblem(t, 403)
	e.Do(t, Req{Method: "GET", Path: api + "/export"}).MustProblem(t, 401)

	for _, tc := range []struct {
		name, query, filename string
		data                  []byte
		field                 string
	}{
		{"ErrNotXML", "?dryRun=true", "posts.xml", []byte("{\"posts\": []}"), "file"},
		{"ErrNotWXR", "?dryRun=true", "feed.xml", []byte(`<?xml version="1.0"?><feed/>`), "file"},
		{"ErrEmpty", "?dryRun=true", "empty.xml", []byte{}, "file"},
		{"ErrNoFile", "?dryRun=true", "", nil, "file"},
		{"ErrDryRun", "?dryRun=yes", "sleepblog.xml", wxr, "dryRun"},
		{"ErrDownload", "?dryRun=true&download=1", "sleepblog.xml", wxr, "download"},
	} {
		t.Run(tc.name, func(t *testing.T) { upload(owner.Token, tc.query, tc.filename, tc.data).MustProblem(t, 400, tc.field) })
	}
	t.Run("ErrNotMultipart", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/import/wordpress", Token: owner.Token, Body: string(wxr),
			Header: map[string]string{"Content-Type": "application/xml"}}).MustProblem(t, 400, "file")
	})
	var none *jobStatus
	e.Do(t, Req{Method: "GET", Path: api + "/import", Token: owner.Token}).MustStatus(t, 200).Data(t, &none)
	if none != nil {
		t.Fatalf("job after refusals = %+v, want none", none)
	}

	// A dry run writes nothing.
	var j jobStatus
	r := upload(owner.Token, "?dryRun=true", "sleepblog.xml", wxr).MustStatus(t, http.StatusAccepted)
	r.Data(t, &j)
	MustEqual(t, "Location", r.Header.Get("Location"), api+"/import")
	MustEqual(t, "phase", j.Phase, "checking")
	checked := e.waitJob(t, owner.Token, "checked")
	if checked.ID != j.ID || checked.DryRun == nil || checked.DryRun.Created == 0 {
		t.Fatalf("dry run = %+v", checked)
	}
	if n := countPosts(t, e); n != 0 {
		t.Errorf("posts after the dry run = %d, want 0", n)
	}

	// Without dryRun, the API imports at once.
	upload(owner.Token, "", "sleepblog.xml", wxr).MustStatus(t, http.StatusAccepted).Data(t, &j)
	MustEqual(t, "phase", j.Phase, "importing")
	done := e.waitJob(t, owner.Token, "done")
	if done.Report == nil || done.Report.Created != checked.DryRun.Created {
		t.Fatalf("import = %+v, want %d created", done, checked.DryRun.Created)
	}
	if n := countPosts(t, e); n != checked.DryRun.Created {
		t.Errorf("posts after the import = %d, want %d", n, checked.DryRun.Created)
	}

	res := e.Do(t, Req{Method: "GET", Path: api + "/export", Token: owner.Token}).MustStatus(t, 200)
	m := mustValidExport(t, e, res.Header, res.Body)
	if m.Counts["posts"] != int64(checked.DryRun.Created) {
		t.Errorf("posts in the export = %d, want %d", m.Counts["posts"], checked.DryRun.Created)
	}
}
