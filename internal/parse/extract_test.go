package parse_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/lga-digital/bulletin/internal/model"
	"github.com/lga-digital/bulletin/internal/parse"
)

var (
	ed19 = time.Date(2024, 3, 21, 10, 5, 0, 0, time.UTC)
	ed25 = time.Date(2024, 11, 5, 11, 30, 0, 0, time.UTC)
	ed27 = time.Date(2024, 12, 12, 9, 0, 0, 0, time.UTC)
)

func d(date, text string) model.Date { return model.Date{Date: date, Text: text} }

func TestExtractDates(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		edition   time.Time
		dates     []model.Date
		deadlines []model.Date
	}{
		{"full date with deadline", "Please submit your views by 29 March 2024.", ed19,
			[]model.Date{d("2024-03-29", "29 March 2024")}, []model.Date{d("2024-03-29", "by 29 March 2024")}},
		{"ordinal without year", "took place on 7th March in Manchester", ed19,
			[]model.Date{d("2024-03-07", "7th March")}, nil},
		{"month first with weekday", "will run from Monday, December 2nd, 2024, until March 2025.", ed25,
			[]model.Date{d("2024-12-02", "Monday, December 2nd, 2024")}, nil},
		{"no year", "due to expire on 30 April, has been extended", ed19,
			[]model.Date{d("2024-04-30", "30 April")}, nil},
		{"closes on", "The call for evidence closes on 22 November.", ed25,
			[]model.Date{d("2024-11-22", "22 November")}, []model.Date{d("2024-11-22", "closes on 22 November")}},
		{"open until nth of", "The survey will be open until 8th of November and is designed", ed25,
			[]model.Date{d("2024-11-08", "8th of November")}, []model.Date{d("2024-11-08", "open until 8th of November")}},
		{"registered by the", "Expressions of interest to be registered by the 20 November 2024.", ed25,
			[]model.Date{d("2024-11-20", "20 November 2024")}, []model.Date{d("2024-11-20", "registered by the 20 November 2024")}},
		{"next year when far before the edition", "Join us on 15 January for the launch.", ed27,
			[]model.Date{d("2025-01-15", "15 January")}, nil},
		{"same year when shortly before the edition", "the conference that took place on 15 October", ed25,
			[]model.Date{d("2024-10-15", "15 October")}, nil},
		{"first mention of a date only", "Day 1: 15 April and again on Monday 15 April", ed19,
			[]model.Date{d("2024-04-15", "15 April")}, nil},
		{"abbreviated month", "Deadline: 3 Sept 2024", ed19,
			[]model.Date{d("2024-09-03", "3 Sept 2024")}, []model.Date{d("2024-09-03", "Deadline: 3 Sept 2024")}},
		{"invalid day skipped", "on 31 February and 30 Feb 2023", ed19, nil, nil},
		{"leap day", "on 29 February 2024", ed19, []model.Date{d("2024-02-29", "29 February 2024")}, nil},
		{"month-year and lowercase may are not dates", "in March 2024 we may 5 times", ed19, nil, nil},
		{"no edition: only dates with a year", "on 7 March and 8 March 2024", time.Time{},
			[]model.Date{d("2024-03-08", "8 March 2024")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := parse.Extract("Title", tt.text, tt.edition, nil)
			if !reflect.DeepEqual(x.Dates, tt.dates) {
				t.Errorf("Dates = %+v, want %+v", x.Dates, tt.dates)
			}
			if !reflect.DeepEqual(x.Deadlines, tt.deadlines) {
				t.Errorf("Deadlines = %+v, want %+v", x.Deadlines, tt.deadlines)
			}
		})
	}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestExtractEvents(t *testing.T) {
	tests := []struct {
		name    string
		title   string
		text    string
		edition time.Time
		want    []model.Event
	}{
		{"webinar line with time range (BST)", "Building a connected digital inclusion ecosystem",
			"Webinar, Tuesday 16 April, 5-6pm\n\nThis webinar showcase, hosted by BCS.", ed19,
			[]model.Event{{Title: "Building a connected digital inclusion ecosystem", Start: utc("2024-04-16T16:00:00Z"), End: utc("2024-04-16T17:00:00Z"), Online: true}}},
		{"place before the date", "Crown Commercial Service DDaT Community of Practice Event",
			"20 Cavendish Square, London, Tuesday 16 April, 9am-5pm\n\nOn 16 April, Crown Commercial Service will be hosting the next event.", ed19,
			[]model.Event{{Title: "Crown Commercial Service DDaT Community of Practice Event", Start: utc("2024-04-16T08:00:00Z"), End: utc("2024-04-16T16:00:00Z"), Place: "20 Cavendish Square, London"}}},
		{"date and time in the title (GMT)", "ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am",
			"Join Kate Cooper to hear about the tool.", ed25,
			[]model.Event{{Title: "ONS Local Workshop: data maturity assessments in local government, Thursday 7 November, 9:30-10:30am", Start: utc("2024-11-07T09:30:00Z"), End: utc("2024-11-07T10:30:00Z")}}},
		{"hybrid, all day, place from the text", "Sign up for the LGA Technology Innovation Showcase, Thursday 14 November, Hybrid",
			"The Technology Innovation Showcase is taking place Thursday 14 November in London and online.", ed25,
			[]model.Event{{Title: "Sign up for the LGA Technology Innovation Showcase, Thursday 14 November, Hybrid", Start: utc("2024-11-14T00:00:00Z"), AllDay: true, Place: "London", Online: true}}},
		{"hybrid without a place", "Hybrid conference", "The conference on 3 December 2024 is hybrid.", ed25,
			[]model.Event{{Title: "Hybrid conference", Start: utc("2024-12-03T00:00:00Z"), AllDay: true, Place: "Hybrid", Online: true}}},
		{"start hour takes the end's meridiem unless that inverts", "Seminar", "Seminar on 3 December 2024, 11-1pm.", ed25,
			[]model.Event{{Title: "Seminar", Start: utc("2024-12-03T11:00:00Z"), End: utc("2024-12-03T13:00:00Z")}}},
		{"24-hour range", "Roundtable", "Roundtable, 3 December 2024, 14:00-15:30, virtual.", ed25,
			[]model.Event{{Title: "Roundtable", Start: utc("2024-12-03T14:00:00Z"), End: utc("2024-12-03T15:30:00Z"), Online: true}}},
		{"past event is a report, not an event", "Schools’ workforce policy and employment law conference resources",
			"Resources are now available for the conference that took place on 15 October.", ed25, nil},
		{"'took place' marks a report even when the date reads as future", "Schools’ workforce conference resources",
			"Resources are now available for the conference that took place on 15 October.", time.Date(2023, 6, 15, 9, 0, 0, 0, time.UTC), nil},
		{"deadline date is not the event date", "Survey", "Complete the survey by 22 November 2024.", ed25, nil},
		{"no event word", "Microsoft MOU negotiations", "The current MOU, due to expire on 30 April, 9am.", ed19, nil},
		{"event word without a date", "AI@Cam", "public dialogue workshops in Liverpool and Cambridge", ed25, nil},
		{"days of a programme, titled by the heading above them", "LGA Bespoke Cyber Support – Volunteer Opportunity",
			"Below are the details of the next Cyber 360:\n\nLondon Borough Cyber 360 (Virtual)\n\nDay 1: 15 April\nDay 2: 16 April\n\nIf you are interested, please email us.", ed19,
			[]model.Event{
				{Title: "London Borough Cyber 360 (Virtual) – Day 1", Start: utc("2024-04-14T23:00:00Z"), AllDay: true, Online: true},
				{Title: "London Borough Cyber 360 (Virtual) – Day 2", Start: utc("2024-04-15T23:00:00Z"), AllDay: true, Online: true}}},
		{"timed sessions under a sentence: the item's title", "Training for councillors",
			"The sessions run as follows.\n- Session 1 – Tuesday 3 December 2024, 10am-12pm\n- Session 2 – Wednesday 4 December 2024, 2-4pm", ed25,
			[]model.Event{
				{Title: "Training for councillors – Session 1", Start: utc("2024-12-03T10:00:00Z"), End: utc("2024-12-03T12:00:00Z")},
				{Title: "Training for councillors – Session 2", Start: utc("2024-12-04T14:00:00Z"), End: utc("2024-12-04T16:00:00Z")}}},
		{"a day already past is no event", "Programme", "Day 1: 1 March 2024\nDay 2: 25 March 2024", ed19,
			[]model.Event{{Title: "Programme – Day 2", Start: utc("2024-03-25T00:00:00Z"), AllDay: true}}},
		{"a workshop with days: one event per day, none twice", "Data workshop",
			"Workshop programme\nDay 1: 3 December 2024, 10am-4pm\nDay 2: 4 December 2024, 10am-4pm", ed25,
			[]model.Event{
				{Title: "Workshop programme – Day 1", Start: utc("2024-12-03T10:00:00Z"), End: utc("2024-12-03T16:00:00Z")},
				{Title: "Workshop programme – Day 2", Start: utc("2024-12-04T10:00:00Z"), End: utc("2024-12-04T16:00:00Z")}}},
		{"a day word in a sentence is not a programme", "Update", "Day 1 of the strike was 15 April.", ed19, nil},
		{"days on one line, after the programme's name", "Volunteer opportunity",
			"London Borough Cyber 360 (Virtual): Day 1: 13 June, Day 2: 14 June", ed19,
			[]model.Event{
				{Title: "London Borough Cyber 360 (Virtual) – Day 1", Start: utc("2024-06-12T23:00:00Z"), AllDay: true, Online: true},
				{Title: "London Borough Cyber 360 (Virtual) – Day 2", Start: utc("2024-06-13T23:00:00Z"), AllDay: true, Online: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := parse.Extract(tt.title, tt.text, tt.edition, nil)
			if !reflect.DeepEqual(x.Events, tt.want) {
				t.Errorf("Events = %+v\nwant     %+v", x.Events, tt.want)
			}
		})
	}
}

func TestExtractOrgs(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"CCS (Crown Commercial Service) is negotiating with Microsoft, apart from the NHS.", []string{"CCS", "Microsoft", "NHS"}},
		{"Crown Commercial Services (CCS) has negotiated", []string{"CCS"}},
		{"the Department for Science, Innovation and Technology's response; Alongside Solace and Socitm", []string{"DSIT", "Solace", "Socitm"}},
		{"National Cyber Security Centre (NCSC) Publish", []string{"NCSC"}},
		{"the LGA’s research into GDS’s Service Standard", []string{"LGA", "GDS"}},
		{"techUK's website and Ofcom's strategy", []string{"techUK", "Ofcom"}},
		{"Department for Education (DfE) call; ONS Local", []string{"DfE", "ONS"}},
		{"DLUHC, now MHCLG, and the Cabinet Office", []string{"MHCLG", "Cabinet Office"}},
		{"hosted by BCS, The Chartered Institute for IT", []string{"BCS"}},
		{"Good Things Foundation and the Ada Lovelace Institute", []string{"Good Things Foundation", "Ada Lovelace Institute"}},
		{"SUCCSESS, LGAs, NCSCs, ofcom, solace in grief", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := parse.Extract("", tt.text, ed19, nil).Orgs; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Orgs = %q, want %q", got, tt.want)
			}
		})
	}
	custom := []parse.Org{{Name: "iNet", Aliases: []string{"iNetwork"}}, {Name: ""}}
	if got := parse.Extract("", "the iNetwork awards and the NCSC", ed19, custom).Orgs; !reflect.DeepEqual(got, []string{"iNet"}) {
		t.Errorf("custom orgs: %q", got)
	}
}

func TestExtractContacts(t *testing.T) {
	x := parse.Extract("", "Email Cyberanddigital@local.gov.uk. Or sarah.slate@local.gov.uk, or cyberanddigital@LOCAL.gov.uk.", ed19, nil)
	want := []string{"cyberanddigital@local.gov.uk", "sarah.slate@local.gov.uk"}
	if !reflect.DeepEqual(x.Contacts, want) {
		t.Errorf("Contacts = %q, want %q", x.Contacts, want)
	}
}

func BenchmarkExtract(b *testing.B) {
	text := "20 Cavendish Square, London, Tuesday 16 April, 9am-5pm\n\nOn 16 April, Crown Commercial Service will be hosting the next Digital Data and Technology Community of Practice event for public sector DDaT colleagues. CCS hope you will be able to join. Please register by 10 April 2024 via cyberanddigital@local.gov.uk."
	orgs := parse.DefaultOrgs()
	b.ReportAllocs()
	for b.Loop() {
		parse.Extract("Crown Commercial Service DDaT Community of Practice Event", text, ed19, orgs)
	}
}
