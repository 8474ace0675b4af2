package cms

import (
	"context"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Media is an uploaded image: the metadata of the stored, re-encoded
// variants. The uploaded bytes themselves are never stored (they may carry
// EXIF GPS positions); every variant, "original" included, is a
// metadata-free re-encoding.
type Media struct {
	ID          string         `json:"id"`
	Filename    string         `json:"filename"`    // sanitised base name, no path parts
	Alt         string         `json:"alt"`         // alternative text; may be empty (the library flags it)
	ContentType string         `json:"contentType"` // the sniffed type of the upload
	Width       int            `json:"width"`       // after EXIF orientation
	Height      int            `json:"height"`      // after EXIF orientation
	Bytes       int64          `json:"bytes"`       // size of the upload
	Hash        string         `json:"hash"`        // sha256 hex of the uploaded bytes
	Variants    []MediaVariant `json:"variants"`
	UploadedBy  string         `json:"uploadedBy"` // user id
	Version     int            `json:"version"`
	CreatedAt   time.Time      `json:"createdAt"`
	UpdatedAt   time.Time      `json:"updatedAt"`
}

// MediaVariant is one stored rendition of a Media.
type MediaVariant struct {
	Name        string `json:"name"` // thumb, w640, w1024, w1600, pin, social, original
	ContentType string `json:"contentType"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Bytes       int64  `json:"bytes"`
	ETag        string `json:"etag"` // strong, quoted: a hash of the variant's bytes
}

// Variant returns the named variant, or false.
func (m *Media) Variant(name string) (MediaVariant, bool) {
	for _, v := range m.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return MediaVariant{}, false
}

// MediaInput carries an edit of a Media: only the alt text can change.
type MediaInput struct {
	Alt     *string `json:"alt"`
	Version *int    `json:"version"`
}

// MediaFilter selects one page of the media library.
type MediaFilter struct {
	Query      string // case-insensitive substring of the filename or alt text
	MissingAlt bool   // only images whose alt text is empty
	Page       int    // from 1
	Limit      int    // 1..100
}

// normalise applies the defaults and bounds.
func (f *MediaFilter) normalise() {
	f.Query = strings.TrimSpace(f.Query)
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Limit < 1 {
		f.Limit = 20
	}
	f.Limit = min(f.Limit, 100)
}

// ImageProcessor checks uploaded images and renders the variants stored
// for them. The domain declares it in plain types so that it links no
// image codec; cmd/lullaby wires cms/imaging's Processor.
type ImageProcessor interface {
	// ProcessImage checks data (its sniffed type, its size before any
	// pixel is decoded), renders every variant and passes each, in the
	// order they are stored, to add. It returns the sniffed MIME type and
	// the size after EXIF orientation. An image it refuses is an error
	// with a Field method naming the input at fault, whose Error is the
	// message for people; a ctx that ends while it waits for other
	// uploads is ctx's error, wrapped. Any other error is internal.
	ProcessImage(ctx context.Context, data []byte, add func(name, contentType string, width, height int, data []byte)) (contentType string, width, height int, err error)
}

// Limits on media metadata.
const (
	MaxAltLength      = 1000
	MaxFilenameLength = 200
)

// Validate checks the fields people edit.
func (m *Media) Validate() error {
	pr := Problems{}
	if utf8.RuneCountInString(m.Alt) > MaxAltLength {
		pr.Add("alt", "The alt text must be at most 1000 characters.")
	}
	if !utf8.ValidString(m.Alt) {
		pr.Add("alt", "The alt text must be valid UTF-8.")
	}
	checkLine(pr, "alt", m.Alt)
	return pr.Err("cms.Media.Validate")
}

// SanitizeFilename returns the base name of an uploaded file's name: any
// directory part (either slash), "..", control and format characters
// removed, at most MaxFilenameLength characters; "image" when nothing is
// left.
func SanitizeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "."))
	if name == "" || name == "/" {
		return "image"
	}
	if utf8.RuneCountInString(name) > MaxFilenameLength {
		r := []rune(name)
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		keep := MaxFilenameLength - utf8.RuneCountInString(ext)
		name = string(r[:keep]) + ext
	}
	return name
}
