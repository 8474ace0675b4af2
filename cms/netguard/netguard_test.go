package netguard_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/netguard"
)

// server is a real HTTP server on 127.0.0.1 counting its requests.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

func hello(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("hello")) }

func TestFetchAllowedServer(t *testing.T) {
	s, hits := server(t, hello)
	g := netguard.New(netguard.Options{AllowPrivate: true})
	got, err := g.Fetch(context.Background(), s.URL+"/x.jpg")
	if err != nil || string(got) != "hello" || hits.Load() != 1 {
		t.Fatalf("Fetch = %q, %v (hits %d), want hello", got, err, hits.Load())
	}
}

func TestRefused(t *testing.T) {
	s, hits := server(t, hello)
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	g := netguard.New(netguard.Options{Timeout: 5 * time.Second})
	for name, u := range map[string]string{
		"Loopback":       s.URL,
		"LoopbackByName": "http://localhost" + port + "/", // resolved, then refused when dialed
		"Metadata":       "http://169.254.169.254/latest/meta-data/",
		"Private":        "http://10.0.0.7/x.jpg",
		"CGNAT":          "http://100.64.1.1/",
		"Unspecified":    "http://0.0.0.0" + port + "/",
		"IPv6Loopback":   "http://[::1]" + port + "/",
		"IPv6ULA":        "http://[fd00::1]/",
		"IPv6LinkLocal":  "http://[fe80::1]/",
		"IPv4MappedIPv6": "http://[::ffff:127.0.0.1]" + port + "/",
		"File":           "file:///etc/passwd",
		"FTP":            "ftp://example.com/x.jpg",
		"Relative":       "/wp-content/uploads/x.jpg",
		"Credentials":    "http://user:pw@example.com/",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := g.Fetch(context.Background(), u)
			if !errors.Is(err, netguard.ErrBlocked) {
				t.Fatalf("Fetch(%s) = %v, want ErrBlocked", u, err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server was reached %d times", n)
	}
}

func TestRedirectToPrivateRefused(t *testing.T) {
	target, targetHits := server(t, hello)
	port := target.URL[strings.LastIndex(target.URL, ":"):]
	for name, to := range map[string]string{
		"Metadata":       "http://169.254.169.254/latest/meta-data/",
		"IPv6Loopback":   "http://[::1]" + port + "/",
		"Private":        "http://192.168.1.1/",
		"File":           "file:///etc/passwd",
		"LoopbackByName": "http://localhost" + port + "/",
	} {
		t.Run(name, func(t *testing.T) {
			from, _ := server(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) })
			// The first server is allowed by its exact address; nothing else is.
			g := netguard.New(netguard.Options{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, Timeout: 5 * time.Second})
			if name == "LoopbackByName" {
				// localhost may resolve to 127.0.0.1, which this guard allows:
				// a guard without allowances must refuse the redirect at dial.
				g = netguard.New(netguard.Options{Timeout: 5 * time.Second})
				if _, err := g.Client().Get(from.URL); !errors.Is(err, netguard.ErrBlocked) {
					t.Fatalf("Get = %v, want ErrBlocked", err)
				}
				return
			}
			if _, err := g.Fetch(context.Background(), from.URL); !errors.Is(err, netguard.ErrBlocked) {
				t.Fatalf("Fetch via redirect to %s = %v, want ErrBlocked", to, err)
			}
		})
	}
	if n := targetHits.Load(); n != 0 {
		t.Fatalf("the redirect target was reached %d times", n)
	}
}

func TestRedirectFollowedWhenAllowed(t *testing.T) {
	target, _ := server(t, hello)
	from, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/y", http.StatusMovedPermanently)
	})
	g := netguard.New(netguard.Options{AllowPrivate: true})
	if got, err := g.Fetch(context.Background(), from.URL); err != nil || string(got) != "hello" {
		t.Fatalf("Fetch = %q, %v", got, err)
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("x", 2048)
	for name, h := range map[string]http.HandlerFunc{
		"ContentLength": func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(big)) },
		"Chunked": func(w http.ResponseWriter, _ *http.Request) {
			for range 4 {
				w.Write([]byte(big[:512]))
				w.(http.Flusher).Flush()
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, _ := server(t, h)
			g := netguard.New(netguard.Options{AllowPrivate: true, MaxBytes: 1000})
			if _, err := g.Fetch(context.Background(), s.URL); !errors.Is(err, netguard.ErrTooLarge) {
				t.Fatalf("Fetch = %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestStatusAndTimeout(t *testing.T) {
	s, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		http.NotFound(w, r)
	})
	g := netguard.New(netguard.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	if _, err := g.Fetch(context.Background(), s.URL+"/gone.jpg"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("Fetch of a missing file = %v, want an error naming 404", err)
	}
	start := time.Now()
	if _, err := g.Fetch(context.Background(), s.URL+"/slow"); err == nil {
		t.Fatal("Fetch of a slow answer succeeded")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the timeout took %v", d)
	}
}

func TestBlocked(t *testing.T) {
	for ip, blocked := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.0.1": true, "169.254.169.254": true,
		"100.100.100.200": true, "0.0.0.0": true, "255.255.255.255": true, "224.0.0.1": true, "::1": true,
		"::": true, "fc00::1": true, "fe80::1": true, "::ffff:10.0.0.1": true, "64:ff9b::a00:1": true,
		"93.184.215.14": false, "2606:4700::1111": false, "8.8.8.8": false, "172.32.0.1": false,
	} {
		if got := netguard.Blocked(netip.MustParseAddr(ip)) != ""; got != blocked {
			t.Errorf("Blocked(%s) = %v, want %v", ip, got, blocked)
		}
	}
}
