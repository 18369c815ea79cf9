package ui

import (
	"bytes"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
)

// pageCache keeps the pages that cost far more to build than to send and
// are looked at far more often than the data under them changes: a youth's
// task list and the home page. A page is kept per session, language and
// URL, and is sent again only while the store's generation and the clock
// minute are the ones it was built in. Any committed write anywhere (a
// claim, an approval, a changed name, a saved session) raises the
// generation, so a kept page is the page a fresh render would give, except
// that a time limit falling inside a minute shows at the next minute; the
// actions behind the page check the time again when they are used.
type pageCache struct {
	pages *genCache[cachedPage]
	hits  atomic.Int64
}

type cachedPage struct {
	minute int64
	ctype  string
	body   []byte
}

func newPageCache(max int) *pageCache {
	return &pageCache{pages: newGenCache[cachedPage](max)}
}

// servePage sends the kept page for this request when it is still fresh,
// and otherwise calls build and keeps what it rendered. Only logged-in GETs
// without a query string are kept.
func (a *App) servePage(c *fiber.Ctx, build func() error) error {
	sid, _ := c.Locals(ctxSessID).(string)
	if sid == "" || currentUser(c) == nil || c.Method() != fiber.MethodGet ||
		len(c.Request().URI().QueryString()) > 0 {
		return build()
	}
	gen, ok := a.generation(c)
	if !ok {
		return build()
	}
	key := sid + "\x00" + a.lang(c) + "\x00" + c.OriginalURL()
	minute := a.cfg.Now().Unix() / 60
	if pg, ok := a.pages.pages.get(key, gen); ok && pg.minute == minute {
		a.pages.hits.Add(1)
		c.Set(fiber.HeaderContentType, pg.ctype)
		return c.Send(pg.body)
	}
	if err := build(); err != nil {
		return err
	}
	if c.Response().StatusCode() == fiber.StatusOK {
		a.pages.pages.put(key, gen, cachedPage{minute: minute,
			ctype: string(c.Response().Header.ContentType()), body: bytes.Clone(c.Response().Body())})
	}
	return nil
}
