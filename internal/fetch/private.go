package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// Ranges outside the stdlib's IsPrivate/IsLoopback/IsLinkLocal helpers that a
// crawler must not reach either.
var extraBlocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network"
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// isPrivateAddr reports whether a is private, loopback, link-local,
// unspecified or multicast, or in one of extraBlocked.
func isPrivateAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return true
	}
	for _, p := range extraBlocked {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// isPrivateHost reports whether host is an IP literal in a refused range.
// Names are checked after resolution, by dialControl.
func isPrivateHost(host string) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return isPrivateAddr(a)
}

// dialControl runs after name resolution with the address about to be
// dialled, and refuses private ones.
func dialControl(_ context.Context, _, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if isPrivateAddr(a) {
		return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
	}
	return nil
}
