package wordpress

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrEntities is returned for a document that declares a DOCTYPE or XML
// entities. WordPress never writes either; refusing them stops entity
// bombs ("billion laughs") and external entities before any is parsed.
var ErrEntities = errors.New("the file declares a DOCTYPE or XML entities, which a WordPress export never does: refused")

// errTagTooLong is returned for a single tag longer than maxTag bytes:
// WXR tags are short, and the decoder buffers a whole tag.
var errTagTooLong = errors.New("an XML tag is longer than 64 KB: not a WordPress export")

const maxTag = 64 << 10

// lexer states of the scrubber.
const (
	inText = iota
	inTag
	inCDATA
	inComment
)

// scrubber sits between the export and encoding/xml. It replaces what
// XML 1.0 forbids (C0 control bytes other than tab, LF and CR, U+FFFE,
// U+FFFF, invalid UTF-8) so one stray byte cannot stop the decode, refuses
// DOCTYPE and ENTITY declarations, and bounds every run of character data:
// past max bytes the rest of the run is dropped (keeping the CDATA or
// comment terminator so the decoder stays in step) and cuts counts it.
//
// It is an io.ByteReader, so encoding/xml reads it byte by byte without a
// buffer of its own: when the decoder returns a token, the scrubber has
// read exactly up to it, and cuts belongs to the element being read.
type scrubber struct {
	src   io.Reader
	raw   []byte
	buf   []byte
	pos   int
	carry int // incomplete UTF-8 sequence kept at the start of raw
	eof   bool
	err   error

	max      int64
	off      int64 // bytes delivered to the decoder
	stripped int   // control bytes and non-characters removed
	replaced int   // invalid UTF-8 sequences replaced by U+FFFD
	cuts     int   // character-data runs cut at max

	state    int
	run      int64
	tag      []byte // the first bytes of the current tag, to recognise it
	tagLen   int
	quote    byte
	tail     [3]byte // last bytes seen in CDATA or a comment
	entity   int     // bytes since an unterminated '&' in text, or -1
	dropping bool
	pending  []byte
}

func newScrubber(r io.Reader, max int64) *scrubber {
	return &scrubber{src: r, raw: make([]byte, 32<<10), buf: make([]byte, 0, 32<<10), max: max, entity: -1}
}

// fill reads the next chunk from the source and cleans it into buf.
func (s *scrubber) fill() error {
	if s.eof {
		return io.EOF
	}
	n, err := s.src.Read(s.raw[s.carry:])
	data := s.raw[:s.carry+n]
	if err == io.EOF {
		s.eof = true
	} else if err != nil {
		return err
	}
	out := s.buf[:0]
	i := 0
	for i < len(data) {
		b := data[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				s.stripped++
			} else {
				out = append(out, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			if !s.eof && !utf8.FullRune(data[i:]) {
				break // the rest of this rune comes with the next read
			}
			out = append(out, "\uFFFD"...)
			s.replaced++
			i++
			continue
		}
		if r == 0xFFFE || r == 0xFFFF {
			s.stripped++
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	s.carry = copy(s.raw, data[i:])
	s.buf, s.pos = out, 0
	if len(out) == 0 && s.eof {
		return io.EOF
	}
	return nil
}

// ReadByte gives the decoder the next clean byte.
func (s *scrubber) ReadByte() (byte, error) {
	for {
		if s.err != nil {
			return 0, s.err
		}
		if len(s.pending) > 0 {
			b := s.pending[0]
			s.pending = s.pending[1:]
			s.off++
			return b, nil
		}
		if s.pos >= len(s.buf) {
			if err := s.fill(); err != nil {
				s.err = err
				return 0, err
			}
			continue
		}
		b := s.buf[s.pos]
		s.pos++
		keep, err := s.lex(b)
		if err != nil {
			s.err = fmt.Errorf("at byte %d: %w", s.off, err)
			return 0, s.err
		}
		if keep {
			s.off++
			return b, nil
		}
	}
}

// Read lets the scrubber stand where an io.Reader is wanted.
func (s *scrubber) Read(p []byte) (int, error) {
	for i := range p {
		b, err := s.ReadByte()
		if err != nil {
			return i, err
		}
		p[i] = b
	}
	return len(p), nil
}

// lex follows the document's shape closely enough to know where character
// data runs and to bound it; it reports whether b goes to the decoder.
func (s *scrubber) lex(b byte) (bool, error) {
	switch s.state {
	case inTag:
		s.tagLen++
		if s.tagLen > maxTag {
			return false, errTagTooLong
		}
		if len(s.tag) < 9 {
			s.tag = append(s.tag, b)
			switch string(s.tag) {
			case "<![CDATA[":
				s.enter(inCDATA)
				return true, nil
			case "<!--":
				s.enter(inComment)
				return true, nil
			case "<!DOCTYPE", "<!ENTITY":
				return false, ErrEntities
			}
		}
		switch {
		case s.quote != 0:
			if b == s.quote {
				s.quote = 0
			}
		case b == '"' || b == '\'':
			s.quote = b
		case b == '>':
			s.enter(inText)
		}
		return true, nil
	case inCDATA, inComment:
		s.tail[0], s.tail[1], s.tail[2] = s.tail[1], s.tail[2], b
		end := "]]>"
		if s.state == inComment {
			end = "-->"
		}
		if string(s.tail[:]) == end {
			s.enter(inText)
			if s.dropping {
				// The terminator's first bytes were dropped with the run.
				s.dropping = false
				s.pending = append(s.pending[:0], end...)
				return false, nil
			}
			return true, nil
		}
		return s.count(), nil
	default: // inText
		if b == '<' {
			s.state, s.tag, s.tagLen, s.quote = inTag, append(s.tag[:0], b), 1, 0
			s.dropping, s.entity = false, -1
			return true, nil
		}
		if b == '&' {
			s.entity = 0
		} else if b == ';' {
			s.entity = -1
		} else if s.entity >= 0 {
			s.entity++
		}
		if s.dropping {
			return false, nil
		}
		if s.entity >= 0 && s.entity < 32 {
			s.run++
			return true, nil // finish the entity before cutting
		}
		return s.count(), nil
	}
}

// enter starts a new lexer state with a fresh run.
func (s *scrubber) enter(state int) {
	s.state, s.run, s.tail, s.entity = state, 0, [3]byte{}, -1
}

// count adds one byte to the current run and reports whether it is kept.
func (s *scrubber) count() bool {
	if s.dropping {
		return false
	}
	s.run++
	if s.run > s.max {
		s.dropping = true
		s.cuts++
		return false
	}
	return true
}
