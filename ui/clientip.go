package ui

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The client's address matters twice: the login throttle counts guesses per
// address, and a guardian's consent through a link records it. fiber's
// c.IP() with a ProxyHeader returns the left-most X-Forwarded-For value,
// which the client writes itself, so the app finds the address on its own.

// parseTrustedProxies reads the configured proxy addresses (10.0.0.1,
// 2001:db8::1) and networks (10.0.0.0/8, 2001:db8::/48) once, so that a
// typo stops the start instead of silently trusting nobody, or the wrong
// host.
func parseTrustedProxies(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, raw := range list {
		s := strings.TrimSpace(raw)
		var p netip.Prefix
		if strings.Contains(s, "/") {
			q, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("ui: trusted proxy %q: not an IP address or network (such as 10.0.0.1 or 10.0.0.0/8)", raw)
			}
			if a := q.Addr(); a.Is4In6() && q.Bits() >= 96 {
				q = netip.PrefixFrom(a.Unmap(), q.Bits()-96)
			}
			p = q.Masked()
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("ui: trusted proxy %q: not an IP address or network (such as 10.0.0.1 or 10.0.0.0/8)", raw)
			}
			a = a.WithZone("").Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

// fiberProxies writes the trusted proxies in the form fiber compares with
// the peer's address (single addresses as net.IP prints them), for the
// X-Forwarded-Proto and X-Forwarded-Host fiber reads in c.Protocol() and
// c.Hostname() (the CSRF origin check, the CV's verification link).
func fiberProxies(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		if p.IsSingleIP() {
			out[i] = p.Addr().String()
		} else {
			out[i] = p.String()
		}
	}
	return out
}

// trustedProxy reports whether addr is one of the configured proxies.
func (a *App) trustedProxy(addr netip.Addr) bool {
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// clientIP returns the address of the client that sent the request.
//
// Without trusted proxies, or when the TCP peer is not one of them, it is
// the peer's address and X-Forwarded-For is ignored entirely. When the peer
// is a trusted proxy, X-Forwarded-For (all its header lines, in order) is
// read from the right: each proxy appends the address it saw, so the
// right-most entry that is not itself a trusted proxy is the client as the
// outermost trusted proxy saw it; everything left of it was written by that
// client and is ignored.
//
// An entry that is not an IP address (garbage, "unknown", an empty item)
// stops the walk: the client behind it is unknown, and the answer is the
// nearest valid hop, the trusted proxy that reported it (the peer itself
// when it is the right-most entry). That is the secure choice: it never
// lets a value the client controls become the address, and at worst counts
// the clients of a misbehaving proxy together. When every entry is a
// trusted proxy the farthest of them is the answer.
//
// Entries may carry a port (203.0.113.7:51000, [2001:db8::7]:443),
// brackets or an IPv6 zone, which are dropped; IPv4-mapped IPv6 addresses
// become IPv4. The result is in netip's canonical form.
func (a *App) clientIP(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	hop := peer.Unmap()
	if !a.trustedProxy(hop) {
		return hop.String()
	}
	lines := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for {
			j := bytes.LastIndexByte(rest, ',')
			addr, ok := parseHop(rest[j+1:])
			if !ok {
				return hop.String()
			}
			if !a.trustedProxy(addr) {
				return addr.String()
			}
			hop = addr
			if j < 0 {
				break
			}
			rest = rest[:j]
		}
	}
	return hop.String()
}

// parseHop reads one X-Forwarded-For entry: an IPv4 or IPv6 address,
// perhaps with a port, brackets or a zone.
func parseHop(b []byte) (netip.Addr, bool) {
	s := string(bytes.TrimSpace(b))
	var a netip.Addr
	if ap, err := netip.ParseAddrPort(s); err == nil {
		a = ap.Addr()
	} else {
		if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
			s = s[1 : len(s)-1]
		}
		if a, err = netip.ParseAddr(s); err != nil {
			return netip.Addr{}, false
		}
	}
	return a.WithZone("").Unmap(), true
}
