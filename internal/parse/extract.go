package parse

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lga-digital/bulletin/internal/dates"
	"github.com/lga-digital/bulletin/internal/model"
)

// Extracted is what Extract finds in one item.
type Extracted struct {
	Dates     []model.Date  // every calendar date mentioned, first mention of each
	Deadlines []model.Date  // dates introduced as a deadline ("by 29 March 2024")
	Events    []model.Event // the item itself, when it announces a dated event, or each day of a programme ("Day 1: 15 April")
	Orgs      []string      // canonical names, in order of first mention
	Contacts  []string      // e-mail addresses in the text, lowercased, deduplicated
}

// Extract finds dates, deadlines, an event, organisations and e-mail
// addresses in an item's title and plain text. edition is the edition's send
// time: a date written without a year takes the edition's year, or the next
// year when that would put it more than four months before the edition; when
// edition is zero, such dates are skipped. Times are read as Europe/London and
// returned in UTC. A nil orgs means DefaultOrgs().
func Extract(title, text string, edition time.Time, orgs []Org) Extracted {
	if orgs == nil {
		orgs = DefaultOrgs()
	}
	title = model.CleanText(title)
	return extract(title, title+"\n"+model.CleanText(text), edition, newOrgFinder(orgs))
}

// extract is Extract of a title and all, the title, a line break and the
// text, clean already (model.CleanText), with the organisations prepared
// once for many items.
func extract(title, all string, edition time.Time, orgs *orgFinder) Extracted {
	var x Extracted
	mentions := findDates(all, edition)
	seen := map[string]bool{}
	seenDeadline := map[string]bool{}
	for _, m := range mentions {
		if !seen[m.date] {
			seen[m.date] = true
			x.Dates = append(x.Dates, model.Date{Date: m.date, Text: m.text})
		}
		if m.cue != "" && !seenDeadline[m.date] {
			seenDeadline[m.date] = true
			x.Deadlines = append(x.Deadlines, model.Date{Date: m.date, Text: m.cue + m.text})
		}
	}
	x.Events = findDayEvents(title, all, mentions, edition)
	if ev, ok := findEvent(title, all, mentions, edition); ok && !sameDay(x.Events, ev) {
		x.Events = append([]model.Event{ev}, x.Events...)
	}
	x.Orgs = orgs.find(all)
	x.Contacts = findEmails(all)
	return x
}

// mention is one date found in a text.
type mention struct {
	start, end int    // byte offsets of the date phrase
	text       string // the date phrase as written
	date       string // YYYY-MM-DD
	day        time.Time
	cue        string // the deadline words before it, e.g. "by ", or ""
}

// cueReach is how many bytes before a date its deadline words are looked
// for: the longest cue ("no later than the", "closing date is") and more.
const cueReach = 40

const (
	weekdayPat = `(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?`
	monthPat   = `(` + dates.Months + `)\.?`
)

// cuePat is deadline words ending a text: "by ", "closing date is ".
const cuePat = `(by|before|no later than|deadline(?:\s+(?:is|of))?:?|closing date(?:\s+(?:is|of))?:?|closes(?:\s+on)?|closing on|ends\s+on|(?:open|available)\s+until|due(?:\s+(?:on|by))?|submit(?:ted)?\s+by|registered\s+by)\s+(?:the\s+)?(?:on\s+)?$`

var (
	// "Tuesday 16 April", "7th March", "8th of November", "29 March 2024"
	// and "Monday, December 2nd, 2024". Month and day names are matched
	// capitalised only, so that "may" the verb is no date.
	dateRe = regexp.MustCompile(
		`\b(?:` + weekdayPat + `,?\s+(?:the\s+)?)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+` + monthPat + `(?:,?\s+(\d{4}))?\b` +
			`|\b(?:` + weekdayPat + `,?\s+)?` + monthPat + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	// deadlineCueRe finds the deadline words that end a text (the text
	// before a date), in its first group; deadlineCue runs deadlineCueAt.
	deadlineCueRe = keyed(`(?i)\b`+cuePat, "by", "before", "than", "deadline", "clos", "ends", "until", "due")
	deadlineCueAt = anchored(`(?i)^` + cuePat)
	emailRe       = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
)

// deadlineCue is where deadlineCueRe's match in w begins, or -1: in a w
// holding one of its keywords, the first word boundary (\b, with which a
// match begins) from which deadlineCueAt matches the rest of w. The
// anchored regexp runs only from the few word starts its lead set admits,
// where the unanchored one set out from every byte of w: a third off
// findDates (FuzzDeadlineCue holds it to deadlineCueRe).
func deadlineCue(w string) int {
	if !deadlineCueRe.mayMatch(w) {
		return -1
	}
	for i := range len(w) {
		if wordBoundary(w, i) && deadlineCueAt.MatchString(w[i:]) {
			return i
		}
	}
	return -1
}

// farBefore is how far before the edition a year-less date may fall before
// it is taken to mean the next year.
const farBefore = 120 * 24 * time.Hour

func findDates(s string, edition time.Time) []mention {
	var out []mention
	for _, m := range dateMatches(s) {
		var dayS, monS, yearS string
		get := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		if m[2] >= 0 {
			dayS, monS, yearS = get(1), get(2), get(3)
		} else {
			monS, dayS, yearS = get(4), get(5), get(6)
		}
		mon := dates.Month(monS)
		day, _ := strconv.Atoi(dayS)
		if mon == 0 || day < 1 {
			continue
		}
		var year int
		if yearS != "" {
			year, _ = strconv.Atoi(yearS)
			if day > dates.DaysIn(mon, year) {
				continue
			}
		} else {
			if edition.IsZero() {
				continue
			}
			ed := edition.In(dates.London())
			year = ed.Year()
			if day > dates.DaysIn(mon, year) && day > dates.DaysIn(mon, year+1) {
				continue
			}
			d := time.Date(year, mon, min(day, dates.DaysIn(mon, year)), 0, 0, 0, 0, dates.London())
			if d.Before(ed.Add(-farBefore)) {
				year++
			}
			if day > dates.DaysIn(mon, year) {
				continue
			}
		}
		start, end := m[0], m[1]
		t := time.Date(year, mon, day, 0, 0, 0, 0, time.UTC)
		mt := mention{start: start, end: end, text: s[start:end], date: t.Format("2006-01-02"), day: t}
		w := s[max(0, start-cueReach):start]
		if i := deadlineCue(w); i >= 0 {
			mt.cue = w[i:]
		}
		out = append(out, mt)
	}
	return out
}

var (
	// eventWords name a kind of event; pastWords report one as past. Both
	// are matched as word sets (see wordSet) on the text lowered once.
	eventWords  = newWordSet(`(?i)\b(webinars?|workshops?|conferences?|showcases?|events?|seminars?|summits?|masterclass(?:es)?|roundtables?|briefing sessions?|meet-?ups?|hackathons?|drop-in sessions?|training sessions?|information sessions?|expos?|festivals?)\b`)
	pastWords   = newWordSet(`(?i)\b(took place|was held|were held|has taken place|have taken place|happened|was hosted|were hosted)\b`)
	eventWordRe = eventWords.re
	onlineWords = newWordSet(`(?i)\b(online|virtual|virtually|webinar|zoom|microsoft teams|hybrid)\b`)
	hybridWords = newWordSet(`(?i)\b(hybrid)\b`)
	formatRe    = anchored(`(?i)^(webinar|online|virtual|hybrid|in person|in-person|event|workshop|conference|free)$`)
	placeInRe   = regexp.MustCompile(`\b(?:in|at)\s+([A-Z][\w'’.-]+(?:\s+(?:of\s+|upon\s+|on\s+)?[A-Z][\w'’.-]+)*)`)
	// "5-6pm", "9:30-10:30am", "9am-5pm", "14:00-15:30", "at 2pm"
	timeRangeRe = regexp.MustCompile(`(?i)^[\s,–-]*(?:from\s+|at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|noon)?\s*(?:-|–|—|to|until)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b`)
	timeOneRe   = regexp.MustCompile(`(?i)^[\s,–-]*(?:from\s+|at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b`)
)

// findEvent makes the item an event when it names a kind of event (webinar,
// workshop, conference, showcase, event, …) and a date for it that is not a
// deadline and not before the edition nor in a sentence that says it "took
// place" (a report of a past event). The date
// chosen is, in order: one followed by a time, one in the title, one in a
// sentence naming the event.
func findEvent(title, all string, mentions []mention, edition time.Time) (model.Event, bool) {
	var ft foldedText // the text lowered, made when first asked for
	folded := func() foldedText {
		if ft.s == "" {
			ft = foldText(all)
		}
		return ft
	}
	var cands []mention
	for _, m := range mentions {
		if m.cue != "" {
			continue
		}
		if beforeEdition(m, edition) {
			continue
		}
		if folded().has(pastWords, sentenceSpan(all, m.start)) {
			continue
		}
		cands = append(cands, m)
	}
	if len(cands) == 0 {
		return model.Event{}, false
	}
	ft = folded()
	// The event word is looked for last: it scans the whole text, while
	// most items have no date that could be an event's.
	if len(cands) == 0 || !ft.has(eventWords, span{0, len(all)}) {
		return model.Event{}, false
	}
	chosen, when := chooseEventDate(title, all, cands, ft)
	if chosen == nil {
		return model.Event{}, false
	}
	if !ft.has(eventWords, span{0, len(title)}) && !ft.has(eventWords, sentenceSpan(all, chosen.start)) &&
		!ft.has(eventWords, lineSpan(all, chosen.start)) && !when.hasTime {
		return model.Event{}, false
	}

	ev := model.Event{Title: title}
	if when.hasTime {
		ev.Start = dates.At(chosen.day, when.start, nil)
		if when.hasEnd {
			ev.End = dates.At(chosen.day, when.end, nil)
		}
	} else {
		ev.Start = dates.At(chosen.day, 0, nil)
		ev.AllDay = true
	}
	ev.Place, ev.Online = eventPlace(title, all, mentions, chosen)
	return ev, true
}

// clockTimes are the times of day an event's date is followed by, in
// minutes since midnight.
type clockTimes struct {
	start, end      int
	hasTime, hasEnd bool
}

// chooseEventDate picks an event's date among the candidates: the first
// followed by a time (returned too), else the first in the title, else the
// first in a sentence naming the event; nil when none is.
func chooseEventDate(title, all string, cands []mention, ft foldedText) (*mention, clockTimes) {
	for i := range cands {
		if a, b, end, ok := parseTimes(all[cands[i].end:]); ok {
			return &cands[i], clockTimes{start: a, end: b, hasTime: true, hasEnd: end}
		}
	}
	for i := range cands {
		if cands[i].start < len(title) {
			return &cands[i], clockTimes{}
		}
	}
	for i := range cands {
		if ft.has(eventWords, sentenceSpan(all, cands[i].start)) {
			return &cands[i], clockTimes{}
		}
	}
	return nil, clockTimes{}
}

// eventPlace reads where the event on the chosen date is, and whether it
// is online.
func eventPlace(title, all string, mentions []mention, chosen *mention) (place string, online bool) {
	titleEnd := len(title)
	// Where: a short line of the text "<place>, <date>, <time>", else
	// "in <Place>" after the date in its sentence (or, for a date in the title,
	// in the text's sentence that repeats it).
	context := title + "\n" + sentenceAt(all, chosen.start)
	if chosen.start >= titleEnd {
		line := lineAt(all, chosen.start)
		if runesAtMost(line, maxPlaceLineRunes) {
			place = placeBefore(all[lineStart(all, chosen.start):chosen.start])
		}
		if place == "" {
			place = placeIn(all[chosen.end:sentenceEnd(all, chosen.end)])
		}
		context += "\n" + line
	} else {
		for _, m := range mentions {
			if m.start >= titleEnd && m.date == chosen.date {
				place = placeIn(all[m.end:sentenceEnd(all, m.end)])
				context += "\n" + sentenceAt(all, m.start)
				break
			}
		}
	}
	if place == "" && hybridWords.MatchString(context) {
		place = "Hybrid"
	}
	return place, onlineWords.MatchString(context)
}

// dayLabelRe ends the text before a date that dates one day of a
// programme: "Day 1:", "- Session 2 –", "Part 3 -", at the start of a line
// or of a comma-separated part of it ("Day 1: 13 June, Day 2: 14 June").
var dayLabelRe = regexp.MustCompile(`(?:^|[\s:(])((?:Day|Session|Part|Module|Week)\s+\d{1,2})\s*[:–—-]\s*$`)

// dayLabel returns the label ("Day 1") of the day that the date at i dates,
// and the text before the first label of its line ("Cyber 360:" in
// "Cyber 360: Day 1: 13 June, Day 2: 14 June"), or "" when the date is not
// one day of a programme.
func dayLabel(s string, i int) (label, lead string) {
	ls := lineStart(s, i)
	seg := s[ls:i]
	if c := strings.LastIndexAny(seg, ",;"); c >= 0 {
		seg = seg[c+1:]
	}
	if !labelEnd(seg) {
		return "", ""
	}
	m := dayLabelRe.FindStringSubmatchIndex(seg)
	if m == nil {
		return "", ""
	}
	label = seg[m[2]:m[3]]
	line := s[ls:i]
	if first := programmeDayRe.FindStringIndex(line); first != nil {
		lead = strings.Trim(line[:first[0]], "-•*:–—( \t")
	}
	if strings.ContainsAny(lead, ",;") {
		lead = ""
	}
	return label, lead
}

// labelEnd reports whether s ends as dayLabelRe's matches do: a colon or
// a dash, then only the white space of \s. Most text before a date does
// not, and is not given to the regexp.
func labelEnd(s string) bool {
	s = strings.TrimRightFunc(s, perlSpaceRune)
	return strings.HasSuffix(s, ":") || strings.HasSuffix(s, "-") || strings.HasSuffix(s, "–") || strings.HasSuffix(s, "—")
}

// programmeDayRe finds the first day label of a line.
var programmeDayRe = regexp.MustCompile(`\b(?:Day|Session|Part|Module|Week)\s+\d{1,2}\s*[:–—-]`)

// findDayEvents makes an event of each date that dates one day of a
// programme ("Day 1: 15 April", "Session 2 – Tuesday 16 April, 10am-12pm",
// "Day 1: 13 June, Day 2: 14 June"), a date a reader would put in a
// calendar though no event word names it. The event is titled by what the
// line says before its first day, else the line above the programme (when
// it reads as a heading: short, not a sentence ending in ":" or "."), else
// the item's title, followed by the day's label: "London Borough Cyber 360
// (Virtual) – Day 1". Deadlines and days before the edition are not events.
func findDayEvents(title, all string, mentions []mention, edition time.Time) []model.Event {
	var out []model.Event
	for _, m := range mentions {
		label, name := dayLabel(all, m.start)
		if label == "" || m.cue != "" || beforeEdition(m, edition) {
			continue
		}
		if name == "" {
			name = programmeName(all, lineStart(all, m.start))
		}
		if name == "" {
			name = title
		}
		ev := model.Event{Title: strings.TrimSpace(name) + " – " + label}
		if a, b, hasEnd, ok := parseTimes(all[m.end:]); ok {
			ev.Start = dates.At(m.day, a, nil)
			if hasEnd {
				ev.End = dates.At(m.day, b, nil)
			}
		} else {
			ev.Start = dates.At(m.day, 0, nil)
			ev.AllDay = true
		}
		ev.Online = onlineWords.MatchString(name + "\n" + lineAt(all, m.start))
		out = append(out, ev)
	}
	return out
}

// maxPlaceLineRunes: a line that gives an event's place before its date
// ("20 Cavendish Square, London, 5 March, 10am") is short; in a longer line
// the words before the date are a sentence, not a place.
const maxPlaceLineRunes = 120

// maxProgrammeNameRunes: a programme's heading is a title; a longer line
// above its days is a sentence introducing them.
const maxProgrammeNameRunes = 100

// programmeName is the heading of the programme whose line starts at ls:
// the nearest line above that is not another day of it, when that line
// reads as a heading (at most maxProgrammeNameRunes, not ending in ":" or
// ".").
func programmeName(all string, ls int) string {
	for end := ls - 1; end > 0; {
		start := lineStart(all, end)
		line := strings.TrimSpace(all[start:end])
		end = start - 1
		if line == "" || isDayLine(line) {
			continue
		}
		if !runesAtMost(line, maxProgrammeNameRunes) || strings.HasSuffix(line, ":") || strings.HasSuffix(line, ".") {
			return ""
		}
		return line
	}
	return ""
}

// isDayLine reports a line that dates a day of a programme.
func isDayLine(line string) bool {
	for _, m := range dateMatches(line) {
		if l, _ := dayLabel(line, m[0]); l != "" {
			return true
		}
	}
	return false
}

// beforeEdition reports a date before the edition's own day.
func beforeEdition(m mention, edition time.Time) bool {
	if edition.IsZero() {
		return false
	}
	ed := edition.In(dates.London())
	return m.day.Before(time.Date(ed.Year(), ed.Month(), ed.Day(), 0, 0, 0, 0, time.UTC))
}

// sameDay reports whether one of evs starts on ev's day.
func sameDay(evs []model.Event, ev model.Event) bool {
	for _, e := range evs {
		if e.Start.In(dates.London()).Format("2006-01-02") == ev.Start.In(dates.London()).Format("2006-01-02") {
			return true
		}
	}
	return false
}

// timeReach is how many bytes after a date its time is looked for: room
// for ", from 10:30am to 12:30pm" and the like.
const timeReach = 40

// parseTimes reads a time or time range at the start of s (after a comma or
// dash). Minutes since midnight are returned.
func parseTimes(s string) (start, end int, hasEnd, ok bool) {
	if len(s) > timeReach {
		s = s[:timeReach]
	}
	if m := timeRangeRe.FindStringSubmatch(s); m != nil && (m[3] != "" || m[6] != "" || (m[2] != "" && m[5] != "")) {
		h1, _ := strconv.Atoi(m[1])
		m1, _ := strconv.Atoi(m[2])
		h2, _ := strconv.Atoi(m[4])
		m2, _ := strconv.Atoi(m[5])
		mer1, mer2 := strings.ToLower(m[3]), strings.ToLower(m[6])
		if mer1 == "noon" {
			mer1, h1, m1 = "pm", 12, 0
		}
		b, okB := dates.Clock(h2, m2, mer2)
		if mer1 == "" && mer2 != "" {
			mer1 = mer2
			if a, okA := dates.Clock(h1, m1, mer1); okA && okB && a > b {
				// "11-1pm": the start is in the morning
				mer1 = map[string]string{"am": "pm", "pm": "am"}[mer2]
			}
		}
		a, okA := dates.Clock(h1, m1, mer1)
		if !okA || !okB || b <= a {
			return 0, 0, false, false
		}
		return a, b, true, true
	}
	if m := timeOneRe.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		a, ok := dates.Clock(h, mm, m[3])
		if !ok {
			return 0, 0, false, false
		}
		return a, 0, false, true
	}
	return 0, 0, false, false
}

// placeBefore reads the place from the part of a line before the date:
// "20 Cavendish Square, London, " → "20 Cavendish Square, London"; format
// words ("Webinar") are not places.
func placeBefore(s string) string {
	// The date must open a comma-separated part of the line.
	if t := strings.TrimRight(s, " \t"); t != "" && !strings.HasSuffix(t, ",") && !strings.HasSuffix(t, "|") && !strings.HasSuffix(t, "–") {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(s, ",") {
		p = strings.Trim(strings.TrimSpace(p), "–-:|")
		p = strings.TrimSpace(p)
		if p == "" || formatRe.MatchString(p) || eventWordRe.FindString(p) == p {
			continue
		}
		if !placeLike(p) {
			return ""
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 || len(strings.Join(parts, ", ")) > 80 {
		return ""
	}
	place := strings.Join(parts, ", ")
	if !startsUpperOrDigit(place) {
		return ""
	}
	return place
}

// placeLike reports text that reads as a place name or address: every word
// capitalised or a number, bar a few connectives ("Stratford upon Avon").
func placeLike(s string) bool {
	for w := range strings.FieldsSeq(s) {
		switch w {
		case "of", "the", "and", "upon", "on", "de", "&":
			continue
		}
		if !startsUpperOrDigit(w) {
			return false
		}
	}
	return true
}

func placeIn(s string) string {
	m := placeInRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return strings.TrimRight(m[1], ".")
}

func startsUpperOrDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// lineStart returns the offset of the start of the line holding offset i.
func lineStart(s string, i int) int {
	return strings.LastIndexByte(s[:i], '\n') + 1
}

func lineAt(s string, i int) string {
	sp := lineSpan(s, i)
	return s[sp.start:sp.end]
}

// span is a part of a text, by byte offsets.
type span struct{ start, end int }

// lineSpan returns the line holding offset i.
func lineSpan(s string, i int) span {
	start := lineStart(s, i)
	if e := strings.IndexByte(s[i:], '\n'); e >= 0 {
		return span{start, i + e}
	}
	return span{start, len(s)}
}

// Sentences end at "." "!" or "?" before white space or at the end of
// the text, and at line breaks: what `[.!?](\s|$)|\n` matches.

// sentenceAt returns the sentence holding offset i.
func sentenceAt(s string, i int) string {
	sp := sentenceSpan(s, i)
	return s[sp.start:sp.end]
}

// sentenceSpan returns the sentence holding offset i: from the end of the last sentence end in s[:i] (a stop at i
// itself counts, as the end of s[:i]) to the next sentence end from i.
func sentenceSpan(s string, i int) span {
	start := 0
	for e := i; e > 0; e-- {
		if c := s[e-1]; c == '\n' || e == i && sentenceStop(c) || e >= 2 && sentenceStop(s[e-2]) && perlSpace(c) {
			start = e
			break
		}
	}
	return span{start, sentenceEnd(s, i)}
}

// sentenceEnd returns the offset of the first sentence end at or after i,
// or len(s).
func sentenceEnd(s string, i int) int {
	for p := i; p < len(s); p++ {
		if c := s[p]; c == '\n' || sentenceStop(c) && (p+1 == len(s) || perlSpace(s[p+1])) {
			return p
		}
	}
	return len(s)
}

func sentenceStop(c byte) bool { return c == '.' || c == '!' || c == '?' }

// perlSpace reports \s of Go's regexp syntax: [\t\n\f\r ].
func perlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// perlSpaceRune is perlSpace for the runes of strings.TrimFunc and its kin.
func perlSpaceRune(r rune) bool { return r < utf8.RuneSelf && perlSpace(byte(r)) }

// orgFinder finds the organisations of a list in a text in one pass over
// it: their names and aliases (each trimmed), by first byte.
type orgFinder struct {
	// begins is byFirst's non-empty entries as a table of 256 bytes: the
	// scan tests every byte of every item against it, a tenth faster than
	// against byFirst's slice headers.
	begins  [256]bool
	byFirst [256][]orgPattern
	// pairs holds the first two bytes of each pattern, a bit for each
	// second byte of each first (every second byte for a one-byte
	// pattern): most words that begin with a name's first byte ("the" as
	// techUK, "in" as iNetwork) differ from every name in their second.
	pairs [256][4]uint64
	names []string // by position in the list; "" for one without a name
	named int      // how many entries have a name
}

// orgPattern is one name or alias of the organisation at org in the list.
type orgPattern struct {
	pat string
	org int
}

func newOrgFinder(orgs []Org) *orgFinder {
	f := &orgFinder{names: make([]string, len(orgs))}
	for i, o := range orgs {
		if f.names[i] = strings.TrimSpace(o.Name); f.names[i] == "" {
			continue
		}
		f.named++
		for _, pat := range append([]string{o.Name}, o.Aliases...) {
			if pat = strings.TrimSpace(pat); pat != "" {
				f.byFirst[pat[0]] = append(f.byFirst[pat[0]], orgPattern{pat: pat, org: i})
				f.begins[pat[0]] = true
				if len(pat) == 1 {
					f.pairs[pat[0]] = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
				} else {
					f.pairs[pat[0]][pat[1]/64] |= 1 << (pat[1] % 64)
				}
			}
		}
	}
	return f
}

// find returns the canonical names of the organisations mentioned in s, in
// order of first mention (ties in list order). Names and aliases match
// case-sensitively where they stand as whole words ("CCS" in "CCS’s", not
// in "SUCCSESS"). Of two entries with one name, the first that s mentions
// places it.
func (f *orgFinder) find(s string) []string {
	first := make([]int, len(f.names)) // 1 + the position of the first mention; 0 for none
	left := f.named
	for i := 0; i < len(s) && left > 0; i++ {
		if !f.begins[s[i]] || i > 0 && isASCIIAlnum(s[i-1]) {
			continue // no name begins so, or not at the start of a word
		}
		if i+1 < len(s) && f.pairs[s[i]][s[i+1]/64]&(1<<(s[i+1]%64)) == 0 {
			continue // nor goes on so
		}
		for _, p := range f.byFirst[s[i]] {
			if first[p.org] > 0 || !strings.HasPrefix(s[i:], p.pat) {
				continue
			}
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+len(p.pat):])
			if !wordRune(before) && !wordRune(after) {
				first[p.org] = i + 1
				left--
			}
		}
	}
	type hit struct{ pos, org int }
	var hits []hit
	seen := map[string]bool{}
	for i, n := range f.names {
		if first[i] > 0 && !seen[n] {
			seen[n] = true
			hits = append(hits, hit{first[i], i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].pos < hits[b].pos })
	var out []string
	for _, h := range hits {
		out = append(out, f.names[h.org])
	}
	return out
}

// isASCIIAlnum reports the ASCII letters and digits: the ASCII bytes
// that wordRune admits.
func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// findEmails returns the e-mail addresses in s, lowercased, deduplicated.
func findEmails(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range emailMatches(s) {
		e = strings.ToLower(strings.TrimRight(e, ".-"))
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}
