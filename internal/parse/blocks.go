package parse

import (
	"iter"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A GovDelivery bulletin is an e-mail laid out in nested tables, with no
// markup per article. The walker flattens the body into a sequence of
// blocks in reading order — paragraphs, headings, lists, data tables,
// dividers — which the profiles then cut into editorial and items.

type blockKind int

const (
	kindPara    blockKind = iota // a run of inline content: a paragraph, a cell's text
	kindHeading                  // h1–h6, or a short paragraph wholly bold or large
	kindList                     // ul / ol
	kindTable                    // a data table inside an article
	kindDivider                  // hr, an empty table row, an empty bordered box
	kindImage                    // inline content with images and no text
	kindFooter                   // div#mail_footer: everything from here is footer
	kindDate                     // a line that is only a date ("September 18, 2023")
)

// block is one unit of content in reading order.
type block struct {
	kind  blockKind
	nodes []*html.Node // para/heading: inline sibling nodes; list/table: the element
	text  string       // plain text; lines separated by "\n"
	rank  int          // heading rank: 1 (h1) … 6; lower is more prominent
	elem  string       // element that holds a para (p, td, div, …), for rendering
	// weak marks a heading that is only bold text (no heading element, no
	// larger type): it must pass the checks of demoteWeak to stay one.
	weak bool
	// header marks content of a template's header cell (td#main-header,
	// td#header-bg, td#gd_ab_header): masthead, never article text.
	header bool
	// lead is set on a paragraph, and on each item of a list, that opens
	// with a bold run ending in a colon ("<strong>TITLE:</strong> text"):
	// when that pattern repeats, each is an article (see articles).
	lead  *lead
	leads []*lead // a list's items, one per <li>, lead or not
}

// lead is a paragraph or list item split at its bold opening run.
type lead struct {
	title string       // the bold run, without the colon; "" when the item has none
	head  []*html.Node // the bold run
	rest  []*html.Node // what follows the colon
	text  string       // text of rest
}

// lines returns the block's text lines.
func (b *block) lines() []string { return strings.Split(b.text, "\n") }

// lineSeq is lines as an iterator, for a loop that needs no slice.
func (b *block) lineSeq() iter.Seq[string] { return strings.SplitSeq(b.text, "\n") }

// fieldCount is len(strings.Fields(s)), without the slice.
func fieldCount(s string) int {
	n := 0
	for range strings.FieldsSeq(s) {
		n++
	}
	return n
}

// walker flattens a subtree into blocks.
type walker struct {
	blocks []*block
}

func flatten(root *html.Node) []*block {
	w := &walker{}
	w.container(root)
	return w.blocks
}

var inlineAtoms = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Big: true,
	atom.Br: true, atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Img: true, atom.Kbd: true, atom.Label: true, atom.Mark: true,
	atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strike: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true, atom.Nobr: true,
}

var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Head: true, atom.Title: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Template: true,
	atom.Select: true, atom.Button: true, atom.Input: true, atom.Textarea: true, atom.Map: true,
	atom.Audio: true, atom.Video: true, atom.Canvas: true, atom.Meta: true, atom.Link: true,
}

// isInline reports whether n can be part of a paragraph run: text, or an
// inline element with no block-level content inside (mail HTML often wraps
// whole tables in <font> or <a>).
func isInline(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		return true
	case html.ElementNode:
		if !inlineAtoms[n.DataAtom] {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && !isInline(c) && !skipAtoms[c.DataAtom] {
				return false
			}
		}
		return true
	}
	return false
}

// container walks the children of n, gathering runs of inline children into
// paragraph blocks and descending into block children.
func (w *walker) container(n *html.Node) {
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			w.run(run, n)
			run = nil
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && (skipAtoms[c.DataAtom] || skipped(c) || preheader(c) || footerBox(c)):
			continue
		case c.Type == html.ElementNode && attr(c, "id") == "mail_footer":
			flush()
			w.blocks = append(w.blocks, &block{kind: kindFooter})
			continue
		case isInline(c): // not hidden: skipped said so
			run = append(run, c)
			continue
		case c.Type != html.ElementNode:
			continue
		}
		flush()
		w.element(c)
	}
	flush()
}

// element handles one block-level element.
func (w *walker) element(n *html.Node) {
	switch n.DataAtom {
	case atom.Hr:
		w.divider()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		text := inlineText(childNodes(n))
		if text == "" {
			return
		}
		line := joinLines(text)
		if w.marker(line) {
			return
		}
		w.blocks = append(w.blocks, &block{kind: kindHeading, nodes: childNodes(n), text: line,
			rank: int(n.Data[1] - '0'), elem: n.Data})
	case atom.Ul, atom.Ol:
		if t := listText(n); t != "" {
			w.blocks = append(w.blocks, &block{kind: kindList, nodes: []*html.Node{n}, text: t, elem: n.Data, leads: listLeads(n)})
		}
	case atom.Table:
		if isDataTable(n) {
			w.blocks = append(w.blocks, &block{kind: kindTable, nodes: []*html.Node{n}, text: tableText(n), elem: "table"})
			return
		}
		w.layoutTable(n)
	case atom.Tr:
		w.row(n)
	default:
		if isEmptyBox(n) {
			if bordered(n) {
				w.divider()
			}
			return
		}
		if hasClass(n, "govd_header") {
			// The block editor's heading style, on an element that is no h1–h6.
			if text := joinLines(inlineText(childNodes(n))); text != "" && runesAtMost(text, maxHeadingRunes) {
				w.blocks = append(w.blocks, &block{kind: kindHeading, nodes: childNodes(n), text: text, rank: 1, elem: "h1"})
				return
			}
		}
		w.cell(n)
	}
}

// cell walks the children of n, marking what a template's header cell
// holds as header.
func (w *walker) cell(n *html.Node) {
	start := len(w.blocks)
	w.container(n)
	if headerIDs[strings.ToLower(attr(n, "id"))] {
		for _, b := range w.blocks[start:] {
			b.header = true
		}
	}
}

// layoutTable descends a layout table row by row.
func (w *walker) layoutTable(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || skipped(c) {
			continue
		}
		switch c.DataAtom {
		case atom.Tbody, atom.Thead, atom.Tfoot:
			w.layoutTable(c)
		case atom.Tr:
			w.row(c)
		case atom.Caption:
			w.container(c)
		default:
			w.element(c)
		}
	}
}

// row walks the cells of a layout row; a row whose cells are all empty is a
// divider (GovDelivery draws its rules with such rows).
func (w *walker) row(tr *html.Node) {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && !skipped(c) {
			if preheader(c) || footerBox(c) {
				continue
			}
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return
	}
	empty := true
	for _, c := range cells {
		if !isEmptyBox(c) {
			empty = false
			break
		}
	}
	if empty {
		if len(cells) > 0 {
			w.divider()
		}
		return
	}
	for _, c := range cells {
		w.cell(c)
	}
}

func (w *walker) divider() {
	if n := len(w.blocks); n > 0 && w.blocks[n-1].kind == kindDivider {
		return
	}
	w.blocks = append(w.blocks, &block{kind: kindDivider})
}

// run turns a run of inline nodes into a paragraph (or image, or heading)
// block, splitting off a bold first line ("<strong>Title</strong><br>text").
func (w *walker) run(nodes []*html.Node, parent *html.Node) {
	text := inlineText(nodes)
	elem := "p"
	if parent != nil && parent.Type == html.ElementNode && parent.DataAtom == atom.Td {
		elem = "td"
	}
	if text == "" {
		if hasImage(nodes) {
			w.blocks = append(w.blocks, &block{kind: kindImage, nodes: nodes, elem: elem})
		}
		return
	}
	line := joinLines(text)
	if w.marker(line) {
		return
	}
	if isDateLine(line) {
		w.blocks = append(w.blocks, &block{kind: kindDate, nodes: nodes, text: line, elem: elem})
		return
	}
	if rank, ok := headingRun(nodes, parent, line); ok {
		w.blocks = append(w.blocks, &block{kind: kindHeading, nodes: nodes, text: line, rank: rank, elem: elem, weak: rank == weakRank})
		return
	}
	if l := splitLead(nodes, parent); l != nil {
		w.blocks = append(w.blocks, &block{kind: kindPara, nodes: nodes, text: text, elem: elem, lead: l})
		return
	}
	// A bold first line followed by a line break and ordinary text.
	if i := firstBreak(nodes); i > 0 && i < len(nodes)-1 {
		head, rest := nodes[:i], nodes[i+1:]
		headLine := joinLines(inlineText(head))
		if rank, ok := headingRun(head, parent, headLine); ok {
			if rt := inlineText(rest); rt != "" {
				w.blocks = append(w.blocks,
					&block{kind: kindHeading, nodes: head, text: headLine, rank: rank, elem: elem, weak: rank == weakRank},
					&block{kind: kindPara, nodes: rest, text: rt, elem: elem})
				return
			}
		}
	}
	w.blocks = append(w.blocks, &block{kind: kindPara, nodes: nodes, text: text, elem: elem})
}

// firstBreak returns the index of the first top-level <br> in nodes that has
// text before it, or -1.
func firstBreak(nodes []*html.Node) int {
	for i, n := range nodes {
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			if inlineText(nodes[:i]) != "" {
				return i
			}
		}
	}
	return -1
}

// Heading detection for runs of inline content.
const maxHeadingRunes = 200

// weakRank is the rank of a heading that is only bold text.
const weakRank = 4

// headingRun reports whether an inline run, whose text is line (its
// inlineText on one line), reads as a heading: short, and all its text bold
// (strong, b, or font-weight) or set larger by inline CSS. The rank says how
// prominent it is: 2 for ≥ 24px, 3 for ≥ 18px, 4 for bold.
func headingRun(nodes []*html.Node, parent *html.Node, line string) (int, bool) {
	if line == "" || !runesAtMost(line, maxHeadingRunes) || strings.HasSuffix(line, ":") || !hasLetter(line) {
		return 0, false
	}
	return emphasised(nodes, parent)
}

// emphasised reports whether all the text of an inline run is bold or set
// larger, and how prominent the least prominent part is (see headingRun).
func emphasised(nodes []*html.Node, parent *html.Node) (int, bool) {
	// The style of the holding cell or paragraph applies to the whole run.
	inherited := style{}
	if parent != nil && parent.Type == html.ElementNode {
		inherited = styleOf(parent)
	}
	rank := 0
	ok := true
	var visit func(n *html.Node, st style)
	visit = func(n *html.Node, st style) {
		if !ok {
			return
		}
		switch n.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) == "" {
				return
			}
			r := st.rank()
			if r == 0 {
				ok = false
				return
			}
			if rank == 0 || r > rank {
				rank = r // the least prominent part decides
			}
		case html.ElementNode:
			st = st.merge(styleOf(n))
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c, st)
			}
		}
	}
	for _, n := range nodes {
		visit(n, inherited)
	}
	if !ok || rank == 0 {
		return 0, false
	}
	return rank, true
}

// style is the part of an element's presentation that marks headings.
type style struct {
	bold bool
	px   float64 // font size in CSS pixels, 0 when not set
}

func (s style) merge(t style) style {
	if t.bold {
		s.bold = true
	}
	if t.px > 0 {
		s.px = t.px
	}
	return s
}

// The font sizes from which a styled run ranks as a heading: the sizes at
// which the templates set their h2 and h3 (24px and 18px; 18pt and 13.5pt).
const (
	h2Px = 24
	h3Px = 18
)

// rank is the heading rank a style gives a run: 2 or 3 by its font size,
// 4 when it is only bold, 0 when it is no heading.
func (s style) rank() int {
	switch {
	case s.px >= h2Px:
		return 2
	case s.px >= h3Px:
		return 3
	case s.bold:
		return 4
	}
	return 0
}

var (
	// Style attributes are matched with the property names as keywords.
	fontWeightRe = keyed(`(?i)font-weight\s*:\s*(bold|bolder|[6-9]00)`, "font-weight")
	fontSizeRe   = keyed(`(?i)font-size\s*:\s*([0-9.]+)\s*(px|pt|em|rem)`, "font-size")
	displayNone  = keyed(`(?i)display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0`, "display", "visibility", "max-height").and("none", "hidden", "max-height")
	borderRe     = keyed(`(?i)border(-top|-bottom)?\s*:\s*[^;]*\b(solid|dashed|dotted|double)|border-(top|bottom)-style\s*:\s*(solid|dashed|dotted|double)`, "border")
)

func styleOf(n *html.Node) style {
	var s style
	switch n.DataAtom {
	case atom.Strong, atom.B:
		s.bold = true
	case atom.Th:
		s.bold = true
	}
	css := attr(n, "style")
	if css == "" {
		return s
	}
	if boldWeight(css) {
		s.bold = true
	}
	if num, unit, ok := fontSize(css); ok {
		v, err := strconv.ParseFloat(num, 64)
		if err == nil {
			switch strings.ToLower(unit) {
			case "px":
				s.px = v
			case "pt":
				s.px = v * 4 / 3
			case "em", "rem":
				s.px = v * 16
			}
		}
	}
	return s
}

// skipped reports elements whose content never belongs to the bulletin text:
// hidden elements and share boxes.
func skipped(n *html.Node) bool {
	if hidden(n) {
		return true
	}
	id, class := strings.ToLower(attr(n, "id")), strings.ToLower(attr(n, "class"))
	return strings.Contains(id, "share") || strings.Contains(class, "share")
}

func hidden(n *html.Node) bool {
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	return hiddenStyle(attr(n, "style"))
}

func bordered(n *html.Node) bool { return borderRe.MatchString(attr(n, "style")) }

// isEmptyBox reports an element with no text and no images other than
// tracking pixels and spacers.
func isEmptyBox(n *html.Node) bool {
	empty := true
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if !empty {
			return
		}
		switch n.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) != "" {
				empty = false
			}
		case html.ElementNode:
			if skipAtoms[n.DataAtom] || hidden(n) {
				return
			}
			if n.DataAtom == atom.Img && !isPixel(n) {
				empty = false
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		visit(c)
	}
	return empty
}

// isPixel reports tracking pixels and spacer images.
func isPixel(n *html.Node) bool {
	w, h := attr(n, "width"), attr(n, "height")
	if (w == "1" || w == "0") && (h == "1" || h == "0") || w == "0" || h == "0" || hidden(n) {
		return true
	}
	src := strings.ToLower(attr(n, "src"))
	return strings.Contains(src, "/track") || strings.Contains(src, "spacer") || strings.Contains(src, "pixel")
}

func hasImage(nodes []*html.Node) bool {
	found := false
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img && !isPixel(n) {
			found = true
		}
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return found
}

// minTableRows, minTableCells and minTableTexts are the least a data table
// has: a grid (two rows, a row of two cells) with text in two cells; a
// single row or column is layout, however it is marked.
const (
	minTableRows  = 2
	minTableCells = 2
	minTableTexts = 2
)

// isDataTable tells an article's own table (rows of short cells) from the
// layout tables that hold the e-mail together.
func isDataTable(t *html.Node) bool {
	class := strings.ToLower(attr(t, "class"))
	if strings.Contains(class, "gd_") || strings.Contains(class, "main-table") || attr(t, "role") == "presentation" {
		return false
	}
	rows, maxCells, textCells := 0, 0, 0
	ok := true
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if !ok {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tbody, atom.Thead, atom.Tfoot:
				visit(c)
			case atom.Tr:
				rows++
				cells := 0
				for d := c.FirstChild; d != nil; d = d.NextSibling {
					if d.Type != html.ElementNode || (d.DataAtom != atom.Td && d.DataAtom != atom.Th) {
						continue
					}
					cells++
					for e := d.FirstChild; e != nil; e = e.NextSibling {
						if e.Type == html.ElementNode && !isInline(e) && e.DataAtom != atom.P && !skipAtoms[e.DataAtom] {
							ok = false // cells holding tables, lists, headings: layout
						}
					}
					if inlineText(childNodes(d)) != "" {
						textCells++
					}
				}
				if cells > maxCells {
					maxCells = cells
				}
			}
		}
	}
	visit(t)
	return ok && rows >= minTableRows && maxCells >= minTableCells && textCells >= minTableTexts
}

func childNodes(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
	}
	return out
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// attrOK returns the value of n's attribute key (lower case) and whether
// it has one. The HTML parser lower-cases attribute names (it camel-cases
// a few of SVG's and MathML's, none of which are asked for), so the names
// are compared as they are.
func attrOK(n *html.Node, key string) (string, bool) {
	if n == nil || n.Type != html.ElementNode {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && isLetter(r) {
			return true
		}
	}
	return false
}
