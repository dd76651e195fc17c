package testsite

// Paths of the HBCUK topic feed and of its account's bulletins.
const (
	TopicFeedPath  = "/accounts/HBCUK/topics/HBCUK_12/feed.rss"
	topicPagesPath = "/accounts/HBCUK/bulletins/"
)

// TopicEditions returns the bulletins of the topic feed at TopicFeedPath,
// newest first, as gen/topic.py writes them. The feed items whose
// description holds the whole bulletin (FeedBody) have no archive page on
// the site: a crawler must take them from the feed. The item with a summary
// leads to its page. Items lists the article headings (h2) of each.
func TopicEditions() []Fixture {
	return []Fixture{
		{ID: "3a0c1f2", Path: topicPagesPath + "3a0c1f2", Title: "March 4, 2025 Council Meeting Highlights", Series: true,
			Published: date("2025-03-04T23:45:00Z"), InFeed: true, FeedBody: true,
			Items: []string{"Harbour wall repairs", "Library opening hours"}},
		{ID: "3a0b9e4", Path: topicPagesPath + "3a0b9e4", Title: "Spring clean volunteers wanted", Series: true,
			Published: date("2025-02-28T14:00:00Z"), InFeed: true,
			Items: []string{"Beach clean on Saturday", "Parks clean on Sunday"}},
		{ID: "3a0a771", Path: topicPagesPath + "3a0a771", Title: "Harbourside Green News - February 2025", Series: true,
			Published: date("2025-02-19T15:30:00Z"), InFeed: true, FeedBody: true,
			Items: []string{"Tool library opens at the depot", "Cycle routes survey", "Meet the team"}},
		{ID: "3a09d10", Path: topicPagesPath + "3a09d10", Title: "February 11, 2025 Council Meeting Highlights", Series: true,
			Published: date("2025-02-12T00:05:00Z"), InFeed: true, FeedBody: true,
			Items: []string{"New bus shelters on the coast road", "Allotment waiting list"}},
	}
}
