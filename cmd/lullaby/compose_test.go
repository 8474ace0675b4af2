package main

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
)

// mustLoadCompose loads docker-compose.yml the way `docker compose config`
// does (the Compose specification's schema, interpolation, merge keys,
// !reset), with .env.example as its .env and profiles enabled.
func mustLoadCompose(tb testing.TB, profiles ...string) map[string]composeService {
	tb.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		tb.Fatal(err)
	}
	env, err := dotenv.Read(filepath.Join(root, ".env.example"))
	if err != nil {
		tb.Fatal(err)
	}
	var list []string
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithName("lullaby"), cli.WithWorkingDirectory(root), cli.WithEnv(list), cli.WithProfiles(profiles))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		tb.Fatalf("docker-compose.yml does not load: %v", err)
	}
	out := map[string]composeService{}
	for name, s := range p.Services {
		cs := composeService{image: s.Image, build: s.Build != nil, env: map[string]string{}}
		for k, v := range s.Environment {
			if v != nil {
				cs.env[k] = *v
			}
		}
		for _, port := range s.Ports {
			cs.ports = append(cs.ports, port.Published+":"+strconvU32(port.Target))
		}
		for _, c := range s.Configs {
			cs.configs = append(cs.configs, c.Target)
			if conf, ok := p.Configs[c.Source]; ok {
				cs.configText += conf.Content
			}
		}
		out[name] = cs
	}
	return out
}

type composeService struct {
	image      string
	build      bool
	env        map[string]string
	ports      []string
	configs    []string
	configText string
}

func strconvU32(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

func TestComposeFile(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("../../docker-compose.yml"); err != nil {
		t.Fatal(err)
	}
	// Without a profile: MongoDB and one instance, as before.
	plain := mustLoadCompose(t)
	if got := slices.Sorted(maps.Keys(plain)); !slices.Equal(got, []string{"lullaby", "mongo"}) {
		t.Fatalf("services without a profile = %v, want lullaby and mongo", got)
	}

	// The scale profile: a second instance of the same image and settings,
	// without a host port, behind a proxy that knows both.
	scale := mustLoadCompose(t, "scale")
	if got := slices.Sorted(maps.Keys(scale)); !slices.Equal(got, []string{"lullaby", "lullaby-2", "mongo", "proxy"}) {
		t.Fatalf("services of the scale profile = %v", got)
	}
	one, two, proxy := scale["lullaby"], scale["lullaby-2"], scale["proxy"]
	if !maps.Equal(one.env, two.env) || one.image != two.image || one.image == "" {
		t.Errorf("the instances differ: %+v and %+v", one, two)
	}
	if !strings.Contains(one.env["LULLABY_MONGODB_URI"], "replicaSet=rs0") || one.env["LULLABY_JWT_SECRET"] == "" {
		t.Errorf("instance settings = %v, want the replica set and a shared session secret", one.env)
	}
	if !one.build || two.build || len(two.ports) != 0 {
		t.Errorf("lullaby-2 builds (%v) or publishes ports (%v): it runs the image lullaby builds", two.build, two.ports)
	}
	if !slices.Equal(proxy.ports, []string{"8088:8080"}) || !slices.Equal(proxy.configs, []string{"/etc/caddy/Caddyfile"}) {
		t.Errorf("proxy ports %v, configs %v", proxy.ports, proxy.configs)
	}
	for _, want := range []string{"reverse_proxy lullaby:8080 lullaby-2:8080", "health_uri /healthz"} {
		if !strings.Contains(proxy.configText, want) {
			t.Errorf("the proxy's Caddyfile lacks %q:\n%s", want, proxy.configText)
		}
	}
}
