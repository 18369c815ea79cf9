package pdf

import "github.com/jung-kurt/gofpdf"

type painter struct {
	pdf   *gofpdf.Fpdf
	fs    *fontSet
	st    style
	stSet bool
}

func (pt *painter) style(st style) {
	if pt.stSet && pt.st == st {
		return
	}
	def := styles[st]
	family, bold := "dejavu", ""
	if pt.fs.core {
		family = "Helvetica"
	}
	if def.bold {
		bold = "B"
	}
	pt.pdf.SetFont(family, bold, def.size)
	pt.pdf.SetTextColor(def.rgb[0], def.rgb[1], def.rgb[2])
	pt.st, pt.stSet = st, true
}

// line draws ln with its top at y, starting at x.
func (pt *painter) line(ln line, x, y float64) {
	base := y + 1.03*ln.size
	for _, sp := range visual(ln.spans) {
		if sp.s == "" {
			continue
		}
		pt.style(sp.st)
		pt.pdf.Text(x, base, sp.s)
		x += pt.fs.width(sp.st, sp.s)
	}
}

func (pt *painter) block(b *block, x, y float64) {
	top := y + b.pad
	pt.line(b.line, x, top)
	if b.mark {
		pt.line(line{spans: []span{{stMark, pt.fs.fix("✓")}}, size: b.line.size}, x-markGap, top)
	}
	if b.right.s != "" {
		rw := pt.fs.width(b.right.st, b.right.s)
		pt.line(line{spans: []span{b.right}, size: b.line.size}, x+b.w-rw, top+0.1)
	}
	if b.rule {
		ry := top + b.line.height() + 0.5
		pt.pdf.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
		pt.pdf.SetLineWidth(0.25)
		pt.pdf.Line(x, ry, x+b.w, ry)
	}
}

// footer draws the verification footer at the bottom of the page: a rule,
// the text (a link to the verification page) and the QR code.
func (pt *painter) footer(l *layout) {
	c := l.c
	x, w := l.mainX()
	y := pageBottom - l.footH
	pt.pdf.SetDrawColor(ruleRGB[0], ruleRGB[1], ruleRGB[2])
	pt.pdf.SetLineWidth(0.25)
	pt.pdf.Line(x, y+1.5, x+w, y+1.5)
	y += 4
	ty := y
	for _, ln := range l.footLines {
		pt.line(ln, x, ty)
		ty += ln.height()
	}
	if c.link != "" {
		pt.pdf.LinkString(x, y, w, ty-y, c.link)
	}
	if len(c.qr) == 0 {
		return
	}
	qx := x + w - qrSize
	pt.qr(c.qr, qx, y)
	if c.link != "" {
		pt.pdf.LinkString(qx, y, qrSize, qrSize, c.link)
	}
}

// qr draws the QR code bm with its top left corner at x, y, qrSize wide, as
// filled rectangles, one per horizontal run of dark modules.
func (pt *painter) qr(bm [][]bool, x, y float64) {
	m := qrSize / float64(len(bm))
	pt.pdf.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for i := 0; i < len(row); {
			if !row[i] {
				i++
				continue
			}
			j := i
			for j < len(row) && row[j] {
				j++
			}
			pt.pdf.Rect(x+float64(i)*m, y+float64(r)*m, float64(j-i)*m, m+0.02, "F")
			i = j
		}
	}
}

// page adds page p (from 0) of plan and draws it: the compact template's
// sidebar background, both columns, and on the last page the footer.
func (pt *painter) page(l *layout, plan pagePlan, p int) {
	pt.pdf.AddPage()
	pt.stSet = false
	if l.c.compact {
		pt.pdf.SetFillColor(sideRGB[0], sideRGB[1], sideRGB[2])
		pt.pdf.Rect(0, 0, sideW, pageH, "F")
	}
	mx, _ := l.mainX()
	pt.column(plan.side, p, sideX)
	pt.column(plan.main, p, mx)
	if p == plan.pages-1 && l.footH > 0 {
		pt.footer(l)
	}
}

// column draws a column's blocks on page p, at x.
func (pt *painter) column(pages [][]placed, p int, x float64) {
	if p >= len(pages) {
		return
	}
	for _, pl := range pages[p] {
		pt.block(pl.b, x, pageTop+pl.y)
	}
}
