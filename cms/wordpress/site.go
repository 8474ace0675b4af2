package wordpress

// Site is what an export says about the site, from the channel header.
type Site struct {
	Title       string
	Link        string // the home URL
	Description string // the tagline
	Language    string // e.g. "en-US"
	BaseSiteURL string // wp:base_site_url, where WordPress is installed
	BaseBlogURL string // wp:base_blog_url, the blog's root
	WXRVersion  string // "1.1" or "1.2"
	Authors     []Author
	Categories  []Category
	Tags        []Tag
	Terms       []Term // other taxonomies (nav menus, formats, custom)
}

// Author is a user who wrote items; items name them by Login.
type Author struct {
	ID          int64
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Category is a post category. Parent is the parent's Nicename ("" at
// the top); Path gives the chain from the top.
type Category struct {
	ID          int64
	Nicename    string // the slug
	Parent      string
	Name        string
	Description string
}

// Tag is a post tag.
type Tag struct {
	ID          int64
	Slug        string
	Name        string
	Description string
}

// Term is a term of another taxonomy; Parent is the parent's slug.
type Term struct {
	ID          int64
	Taxonomy    string
	Slug        string
	Parent      string
	Name        string
	Description string
}

// CategoryPath returns the categories from the top of the hierarchy down
// to the one with the given nicename (nil if unknown). A loop in the
// parents, which WordPress does not prevent in an edited export, ends the
// path where it would repeat.
func (s *Site) CategoryPath(nicename string) []Category {
	byName := make(map[string]Category, len(s.Categories))
	for _, c := range s.Categories {
		byName[c.Nicename] = c
	}
	var path []Category
	seen := map[string]bool{}
	for name := nicename; name != "" && !seen[name]; {
		c, ok := byName[name]
		if !ok {
			break
		}
		seen[name] = true
		path = append([]Category{c}, path...)
		name = c.Parent
	}
	return path
}
