package cms

// SetCrash makes every later save of s that features a post stop at the
// step for which crash returns true, as if the process had died there
// ("marked": the list is marked, the post not saved; "committed": the
// post is saved, the list not yet settled). The save returns ErrCrashed.
func SetCrash(s *Service, crash func(step string) bool) { s.crash = crash }

// ErrCrashed is what a save stopped by SetCrash returns.
var ErrCrashed = errCrashed
