package main

import (
	"go/version"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestPatchedVersions guards the versions that fix known reachable
// vulnerabilities: the Go toolchain that built this test (go.mod's
// toolchain line, honoured with GOTOOLCHAIN=auto) and the modules
// DESIGN.md lists.
func TestPatchedVersions(t *testing.T) {
	if v := runtime.Version(); version.Compare(v, "go1.26.10") < 0 {
		// A machine set to GOTOOLCHAIN=local ignores go.mod's toolchain line.
		msg := "built with " + v + "; go.mod asks for go1.26.10 (export GOTOOLCHAIN=auto)"
		if os.Getenv("FRITIDSJOB_REQUIRE_TOOLS") != "" {
			t.Error(msg)
		} else {
			t.Log(msg) // the module checks below still run
		}
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info")
	}
	minimum := map[string]string{
		"github.com/valyala/fasthttp":   "v1.70.0", // GO-2026-4950
		"github.com/andybalholm/brotli": "v1.2.7",  // GO-2026-6888, if present at all
	}
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		if want, ok := minimum[d.Path]; ok && semverLess(d.Version, want) {
			t.Errorf("%s %s is older than %s", d.Path, d.Version, want)
		}
	}
}

// semverLess compares vMAJOR.MINOR.PATCH versions, ignoring suffixes.
func semverLess(a, b string) bool {
	pa, pb := semverParts(a), semverParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return false
}

func semverParts(v string) [3]int {
	var out [3]int
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}

func TestSemverLess(t *testing.T) {
	cases := []struct {
		a, b string
		less bool
	}{
		{"v1.51.0", "v1.70.0", true},
		{"v1.78.0", "v1.70.0", false},
		{"v1.70.0", "v1.70.0", false},
		{"v1.2.6", "v1.2.7", true},
		{"v1.10.0", "v1.9.9", false},
	}
	for _, c := range cases {
		if got := semverLess(c.a, c.b); got != c.less {
			t.Errorf("semverLess(%s, %s) = %v", c.a, c.b, got)
		}
	}
}
