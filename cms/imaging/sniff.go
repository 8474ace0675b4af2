package imaging

import (
	"bytes"
	"mime"
	"net/http"
)

// Sniff returns the MIME type of data from its magic numbers: only JPEG,
// PNG, GIF and WebP are recognised; anything else is "".
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return "image/webp"
	}
	return ""
}

// Error is an image refused for what it is: not an accepted type, over
// the limits, damaged. Field names the input at fault and Error is a
// message for people, safe to show; Unwrap gives the decoder's error, if
// any, for logs.
type Error struct {
	field, msg string
	err        error
}

// fileError is the *Error naming the "file" input.
func fileError(msg string, err error) *Error { return &Error{field: "file", msg: msg, err: err} }

// Error returns the message for people.
func (e *Error) Error() string { return e.msg }

// Field names the input at fault: "file".
func (e *Error) Field() string { return e.field }

// Unwrap returns the decoder's error, or nil.
func (e *Error) Unwrap() error { return e.err }

// describeType names what data looks like, for the refusal message.
func describeType(data []byte) string {
	head := bytes.TrimLeft(data[:min(len(data), 512)], " \t\r\n\xEF\xBB\xBF")
	switch {
	case len(data) == 0:
		return "empty"
	case bytes.Contains(bytes.ToLower(head), []byte("<svg")):
		return "an SVG image, which can carry scripts"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "a TIFF image"
	case bytes.HasPrefix(data, []byte("BM")):
		return "a BMP image"
	}
	return "of type " + httpDetect(data)
}

// httpDetect returns the media type http.DetectContentType gives data.
func httpDetect(data []byte) string {
	ct := http.DetectContentType(data)
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}
