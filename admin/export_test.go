package admin

import "time"

// HoldImport makes a's import runner busy importing "held.xml" until the
// returned release is called, so that tests can see a second upload
// refused without racing a real import.
func HoldImport(a *Admin) (release func()) {
	r := a.imports
	r.mu.Lock()
	if r.job != nil {
		r.drop(r.job)
	}
	r.job = &importJob{ID: "held", Filename: "held.xml", Phase: phaseImporting, Started: time.Now()}
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		r.job = nil
		r.mu.Unlock()
	}
}
