package cms

import "time"

// The public API's JSON shapes. The read model renders them once per
// content change; public handlers only copy the bytes out.

// PublicSite is GET /api/v1/site.
type PublicSite struct {
	Title        string        `json:"title"`
	URL          string        `json:"url"`
	Description  string        `json:"description"`
	Author       AuthorProfile `json:"author"`
	CallToAction CallToAction  `json:"callToAction"`
}

// PublicCategoryRef names a category on a post.
type PublicCategoryRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// PublicAuthor is the post's byline.
type PublicAuthor struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Bio      string `json:"bio,omitempty"`
	PhotoURL string `json:"photoUrl,omitempty"`
}

// PublicPostSummary is one post in a list: everything but the body.
type PublicPostSummary struct {
	ID          string              `json:"id"`
	Slug        string              `json:"slug"`
	Title       string              `json:"title"`
	Excerpt     string              `json:"excerpt"`
	PublishedAt time.Time           `json:"publishedAt"`
	UpdatedAt   time.Time           `json:"updatedAt"`
	ReadingTime int                 `json:"readingTime"`
	WordCount   int                 `json:"wordCount"`
	Categories  []PublicCategoryRef `json:"categories"`
	Tags        []string            `json:"tags"`
	Author      PublicAuthor        `json:"author"`
}

// PublicPost is GET /api/v1/posts/{slug}: the summary plus the rendered
// body and SEO fields.
type PublicPost struct {
	PublicPostSummary
	HTML string    `json:"html"`
	SEO  PublicSEO `json:"seo"`
}

// PublicSEO carries the fields a frontend puts in <head>; empty ones fall
// back to the post's title, excerpt and URL.
type PublicSEO struct {
	Title        string `json:"title"`
	Description  string `json:"description"`
	CanonicalURL string `json:"canonicalUrl"`
}

// PublicCategory is one category with its number of published posts.
type PublicCategory struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Position    int    `json:"position"`
	PostCount   int    `json:"postCount"`
}

// PublicCategoryPage is GET /api/v1/categories/{slug}: the category and a
// page of its posts.
type PublicCategoryPage struct {
	PublicCategory
	Posts []PublicPostSummary `json:"posts"`
}

// Pagination is the meta.pagination block of every list.
type Pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}
