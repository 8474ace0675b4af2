package cms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Category files posts under a topic such as "Newborn sleep".
type Category struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Description string    `json:"description"`
	Position    int       `json:"position"` // display order, ascending
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// CategoryInput carries a create or a partial update of a category.
type CategoryInput struct {
	Name        *string `json:"name"`
	Slug        *string `json:"slug"`
	Description *string `json:"description"`
	Position    *int    `json:"position"`
	Version     *int    `json:"version"`
}

func (in *CategoryInput) apply(c *Category) {
	if in.Name != nil {
		c.Name = strings.TrimSpace(*in.Name)
	}
	if in.Slug != nil {
		c.Slug = strings.TrimSpace(*in.Slug)
	}
	if in.Description != nil {
		c.Description = strings.TrimSpace(*in.Description)
	}
	if in.Position != nil {
		c.Position = *in.Position
	}
}

// Validate checks the category's fields.
func (c *Category) Validate() error {
	pr := Problems{}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		pr.Add("name", "A name is required.")
	case n > 100:
		pr.Add("name", "The name must be at most 100 characters.")
	}
	// With no title there is nothing to make a slug from: one message is
	// enough.
	if msg := slugProblem(c.Slug); msg != "" && !(c.Slug == "" && c.Name == "") {
		pr.Add("slug", msg)
	}
	if utf8.RuneCountInString(c.Description) > 1000 {
		pr.Add("description", "The description must be at most 1000 characters.")
	}
	checkLine(pr, "name", c.Name)
	checkText(pr, "description", c.Description)
	if c.Position < 0 || c.Position > 1_000_000 {
		pr.Add("position", "Must be between 0 and 1000000.")
	}
	return pr.Err("cms.Category.Validate")
}
