package public_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestOpenAPILint runs Redocly's linter (pinned in testdata/npm) over both
// OpenAPI documents, the public API's and the admin API's, with its
// recommended rules: no errors and no warnings.
func TestOpenAPILint(t *testing.T) {
	t.Parallel()
	redocly := cmstest.NodeTool(t, "redocly")
	for name, file := range map[string]string{"Public": "openapi.json", "Admin": "../admin/openapi.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, redocly, "lint", "--extends=recommended", "--max-problems=50", file)
			cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("redocly lint %s: %v\n%s", file, err, out)
			}
			// Warnings do not fail the command; the document must have none.
			if !strings.Contains(string(out), "Your API description is valid") || strings.Contains(string(out), "You have ") { // "You have N warnings."
				t.Fatalf("redocly lint found problems in %s:\n%s", file, out)
			}
		})
	}
}
