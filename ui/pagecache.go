package ui

import (
	"bytes"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// pageCache keeps the pages that cost far more to build than to send and
// are looked at far more often than the data under them changes: a youth's
// task list and the home page. A page is kept per session, language and
// URL, and is sent again only while the store's data generation and the
// clock minute are the ones it was built in. Any committed write anywhere
// (a claim, an approval, a changed name) raises the data generation; only
// sessions and login throttles, which no page shows, are quiet writes
// (store.Quieter). So a kept page is the page a fresh render would give, except
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
	// gz and br are body compressed, made the first time a client asks
	// for that encoding: compressing on every view would cost more than
	// the kept page saves.
	gz, br []byte
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
	gens, ok := a.generation(c)
	if !ok {
		return build()
	}
	gen := gens.data // sessions and login throttles are not on the page
	key := sid + "\x00" + a.lang(c) + "\x00" + c.OriginalURL()
	minute := a.cfg.Now().Unix() / 60
	pg, hit := a.pages.pages.get(key, gen)
	if hit && pg.minute == minute {
		a.pages.hits.Add(1)
	} else {
		if err := build(); err != nil {
			return err
		}
		if c.Response().StatusCode() != fiber.StatusOK {
			return nil
		}
		pg = cachedPage{minute: minute, ctype: string(c.Response().Header.ContentType()),
			body: bytes.Clone(c.Response().Body())}
		a.pages.pages.put(key, gen, pg)
	}
	c.Response().Header.SetContentType(pg.ctype)
	// The same choice as the compress middleware makes, which then leaves
	// an encoded body alone.
	h := &c.Request().Header
	switch {
	case h.HasAcceptEncoding("br"):
		if pg.br == nil {
			pg.br = fasthttp.AppendBrotliBytesLevel(nil, pg.body, fasthttp.CompressBrotliDefaultCompression)
			a.pages.pages.put(key, gen, pg)
		}
		return sendEncoded(c, "br", pg.br)
	case h.HasAcceptEncoding("gzip"):
		if pg.gz == nil {
			pg.gz = fasthttp.AppendGzipBytesLevel(nil, pg.body, fasthttp.CompressDefaultCompression)
			a.pages.pages.put(key, gen, pg)
		}
		return sendEncoded(c, "gzip", pg.gz)
	}
	return c.Send(pg.body)
}

func sendEncoded(c *fiber.Ctx, encoding string, body []byte) error {
	h := &c.Response().Header
	h.SetContentEncoding(encoding)
	h.SetCanonical(varyHeader[0], varyHeader[1])
	return c.Send(body)
}

var varyHeader = [2][]byte{[]byte(fiber.HeaderVary), []byte(fiber.HeaderAcceptEncoding)}
