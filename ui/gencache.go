package ui

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/store"
)

// ctxGen holds the store's generation as read at the start of a request.
const ctxGen = "fj.gen"

// generation returns the store's generation, read once per request before
// any handler reads data (see store.Generationer). ok is false when the
// store cannot tell; then nothing may be served from a genCache.
func (a *App) generation(c *fiber.Ctx) (gen uint64, ok bool) {
	if g, ok := c.Locals(ctxGen).(uint64); ok {
		return g, true
	}
	gs, ok := a.db.(store.Generationer)
	if !ok {
		return 0, false
	}
	g, err := gs.Generation()
	if err != nil {
		return 0, false
	}
	c.Locals(ctxGen, g)
	return g, true
}

// genCache keeps values derived from the store. Each is valid only while
// the store's generation is the one it was derived at: any committed write
// makes every value older than it unreachable. It holds at most max values.
type genCache[V any] struct {
	max int
	mu  sync.Mutex
	m   map[string]genEntry[V]
}

type genEntry[V any] struct {
	gen uint64
	v   V
}

func newGenCache[V any](max int) *genCache[V] {
	return &genCache[V]{max: max, m: map[string]genEntry[V]{}}
}

// get returns the value kept under key if it was derived at gen.
func (g *genCache[V]) get(key string, gen uint64) (V, bool) {
	g.mu.Lock()
	e, ok := g.m[key]
	g.mu.Unlock()
	if !ok || e.gen != gen {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put keeps v under key as derived at gen. When full, it first drops the
// values of other generations (they can never be used again), then
// arbitrary ones.
func (g *genCache[V]) put(key string, gen uint64, v V) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.m[key]; !ok && len(g.m) >= g.max {
		for k, e := range g.m {
			if e.gen != gen {
				delete(g.m, k)
			}
		}
		for k := range g.m {
			if len(g.m) < g.max {
				break
			}
			delete(g.m, k)
		}
	}
	g.m[key] = genEntry[V]{gen: gen, v: v}
}
