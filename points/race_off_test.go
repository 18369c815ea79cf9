//go:build !race

package points

// raceOn is true in builds with the race detector, which slows the
// single-goroutine property test about sevenfold.
const raceOn = false
