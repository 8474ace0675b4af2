package readmodel_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestMain(m *testing.M) { cmstest.Main(m) }
