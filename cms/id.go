package cms

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

var (
	idProcess [5]byte
	idCounter atomic.Uint32
)

func init() {
	var seed [4]byte
	_, _ = rand.Read(idProcess[:])
	_, _ = rand.Read(seed[:])
	idCounter.Store(binary.BigEndian.Uint32(seed[:]))
}

// NewID returns a new unique id: 24 hexadecimal digits laid out like a
// MongoDB ObjectID (seconds, a per-process random part, a counter), so ids
// sort roughly by creation time.
func NewID() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(time.Now().Unix()))
	copy(b[4:9], idProcess[:])
	c := idCounter.Add(1)
	b[9], b[10], b[11] = byte(c>>16), byte(c>>8), byte(c)
	return hex.EncodeToString(b[:])
}
