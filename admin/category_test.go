package admin_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

func TestCategories(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	do := func(method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + "/categories" + path, Token: s.Token, Body: body})
	}
	create := func(name string) cms.Category {
		t.Helper()
		var c cms.Category
		r := do("POST", "", map[string]any{"name": name}).MustStatus(t, 201)
		r.Data(t, &c)
		MustEqual(t, "Location", r.Header.Get("Location"), api+"/categories/"+c.ID)
		return c
	}
	list := func() []string {
		t.Helper()
		var cats []cms.Category
		do("GET", "", nil).MustStatus(t, 200).Data(t, &cats)
		names := []string{}
		for _, c := range cats {
			names = append(names, c.Name)
		}
		return names
	}

	MustEqual(t, "empty list", list(), []string{})
	sleep := create("Newborn sleep")
	naps := create("Naps")
	MustEqual(t, "slug", sleep.Slug, "newborn-sleep")
	MustEqual(t, "positions", []int{sleep.Position, naps.Position}, []int{0, 1})
	MustEqual(t, "list", list(), []string{"Newborn sleep", "Naps"})

	do("POST", "", map[string]any{"name": "Other", "slug": "naps"}).MustProblem(t, 409, "slug")
	do("POST", "", map[string]any{"name": ""}).MustProblem(t, 400, "name")
	do("POST", "", map[string]any{"name": "X", "position": "first"}).MustProblem(t, 400, "position")
	do("GET", "/bad-id", nil).MustProblem(t, 400, "id")
	do("GET", "/"+cms.NewID(), nil).MustProblem(t, 404)

	var got cms.Category
	do("GET", "/"+naps.ID, nil).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "get", got.Name, "Naps")
	do("PATCH", "/"+naps.ID, map[string]any{"name": "Daytime naps", "version": 2}).MustProblem(t, 409, "version")
	do("PATCH", "/"+naps.ID, map[string]any{"name": "Daytime naps"}).MustProblem(t, 400, "version")
	do("PATCH", "/"+naps.ID, map[string]any{"name": "Daytime naps", "version": 1}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "patched", []any{got.Name, got.Version, got.Slug}, []any{"Daytime naps", 2, "naps"})

	for _, tc := range []struct {
		name string
		body any
	}{
		{"ErrUnknownID", map[string]any{"ids": []string{naps.ID, cms.NewID()}}},
		{"ErrDuplicateID", map[string]any{"ids": []string{naps.ID, naps.ID}}},
		{"ErrMissingID", map[string]any{"ids": []string{naps.ID}}},
		{"ErrNoIDs", map[string]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do("PUT", "/order", tc.body).MustProblem(t, 400, "ids")
		})
	}
	t.Run("ErrNotStrings", func(t *testing.T) {
		do("PUT", "/order", `{"ids": [1, 2]}`).MustProblem(t, 400, "ids[0]", "ids[1]")
	})
	MustEqual(t, "list after bad reorders", list(), []string{"Newborn sleep", "Daytime naps"})
	var ordered []cms.Category
	do("PUT", "/order", map[string]any{"ids": []string{naps.ID, sleep.ID}}).MustStatus(t, 200).Data(t, &ordered)
	MustEqual(t, "reordered", []string{ordered[0].ID, ordered[1].ID}, []string{naps.ID, sleep.ID})
	MustEqual(t, "list after reorder", list(), []string{"Daytime naps", "Newborn sleep"})

	p := e.MustPost(t, s.Token, map[string]any{"title": "Filed", "categoryIds": []string{sleep.ID}})
	var filed []cms.Post
	e.Do(t, Req{Method: "GET", Path: api + "/posts?category=" + sleep.ID, Token: s.Token}).MustStatus(t, 200).Data(t, &filed)
	if len(filed) != 1 || filed[0].ID != p.ID {
		t.Errorf("posts in category = %+v, want the one filed post", filed)
	}

	do("DELETE", "/"+sleep.ID, nil).MustStatus(t, 204)
	do("DELETE", "/"+sleep.ID, nil).MustProblem(t, 404)
	do("GET", "/"+sleep.ID, nil).MustProblem(t, 404)
	MustEqual(t, "list after delete", list(), []string{"Daytime naps"})
}
