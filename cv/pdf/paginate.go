package pdf

// block is one unbreakable piece of a column: a line of text with what
// goes around it.
type block struct {
	h     float64 // total height in mm
	pad   float64 // space above the text
	keep  bool    // keep on the same page as the next block
	line  line
	mark  bool    // draw the verified check mark in front of the line
	right span    // right-aligned text on the same line
	rule  bool    // draw a thin rule under the line, the column's width
	w     float64 // column width
}

type placed struct {
	b *block
	y float64 // top, relative to the column's top
}

// paginate places blocks on at most len(caps) pages, page i holding
// caps[i] mm. It returns the pages and how many blocks were placed. A chain
// of blocks marked keep moves to the next page with the block after it,
// unless the chain starts the page.
func paginate(bs []block, caps []float64) ([][]placed, int) {
	pages := [][]placed{nil}
	y := 0.0
	for i := 0; i < len(bs); {
		p := len(pages) - 1
		if y+bs[i].h <= caps[p] || len(pages[p]) == 0 {
			pages[p] = append(pages[p], placed{&bs[i], y})
			y += bs[i].h
			i++
			continue
		}
		cur := pages[p]
		j := len(cur)
		for j > 0 && cur[j-1].b.keep {
			j--
		}
		if j > 0 && j < len(cur) {
			i -= len(cur) - j
			pages[p] = cur[:j]
		}
		if len(pages) == len(caps) {
			return pages, i
		}
		pages = append(pages, nil)
		y = 0
	}
	return pages, len(bs)
}
