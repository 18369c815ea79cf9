package ui

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/store"
)

// ctxGen holds the store's generations as read at the start of a request.
const ctxGen = "fj.gen"

// generations are the store's two counters (see store.Quieter): all counts
// every committed write, data leaves out quiet writes (sessions, login
// throttles). What is derived from sessions is kept under all; pages and
// areas under data.
type generations struct{ all, data uint64 }

// generation returns the store's generations, read once per request before
// any handler reads data. ok is false when the store cannot tell; then
// nothing may be served from a genCache.
func (a *App) generation(c *fiber.Ctx) (gen generations, ok bool) {
	if g, ok := c.Locals(ctxGen).(generations); ok {
		return g, true
	}
	gs, ok := a.db.(store.Generationer)
	if !ok {
		return generations{}, false
	}
	var err error
	if gen.all, gen.data, err = store.Generations(gs); err != nil {
		return generations{}, false
	}
	c.Locals(ctxGen, gen)
	return gen, true
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
