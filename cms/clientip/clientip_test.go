package clientip_test

import (
	"net"
	"testing"

	"github.com/lullabycms/lullaby/cms/clientip"
)

func TestClient(t *testing.T) {
	t.Parallel()
	proxy := net.ParseIP("10.0.0.5")
	for _, tt := range []struct {
		name   string
		r      *clientip.Resolver
		peer   net.IP
		header string
		want   string
	}{
		{"NoProxyHeader", clientip.New("", false, nil), proxy, "203.0.113.9", "10.0.0.5"},
		{"UntrustedPeer", clientip.New("X-Forwarded-For", true, []string{"10.0.0.0/8"}), net.ParseIP("198.51.100.1"), "203.0.113.9", "198.51.100.1"},
		{"TrustedPeer", clientip.New("X-Forwarded-For", true, []string{"10.0.0.0/8"}), proxy, "203.0.113.9", "203.0.113.9"},
		{"ForgedLeftmost", clientip.New("X-Forwarded-For", true, []string{"10.0.0.0/8"}), proxy, "1.2.3.4, 203.0.113.9", "203.0.113.9"},
		{"ChainOfProxies", clientip.New("X-Forwarded-For", true, []string{"10.0.0.0/8", "192.0.2.7"}), proxy, "1.2.3.4, 203.0.113.9, 192.0.2.7, 10.1.1.1", "203.0.113.9"},
		{"Garbage", clientip.New("X-Forwarded-For", true, []string{"10.0.0.5"}), proxy, "1.2.3.4, not-an-ip", "not-an-ip"},
		{"OnlyProxies", clientip.New("X-Forwarded-For", true, []string{"10.0.0.0/8"}), proxy, "10.2.2.2", "10.0.0.5"},
		{"AnyPeerBelieved", clientip.New("X-Forwarded-For", false, nil), net.ParseIP("198.51.100.1"), "1.2.3.4, 203.0.113.9", "203.0.113.9"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Client(tt.peer, tt.header); got != tt.want {
				t.Errorf("Client(%s, %q) = %q, want %q", tt.peer, tt.header, got, tt.want)
			}
		})
	}
}
