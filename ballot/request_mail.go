package ballot

import "time"

// Mail about information requests. As with petitions, each opens with the
// council's own words and quotes what the asker typed after them.

// requestSite opens every mail about a request.
const requestSite = "This is the council's site OurSay, where residents ask about the council's contracts."

// Request is a request's public page.
func (l Links) Request(id int64) string { return l.Base + "/requests/" + itoa64(id) }

// AdminRequest is where staff moderate and answer a request.
func (l Links) AdminRequest(id int64) string { return l.Base + "/admin/requests/" + itoa64(id) }

// ConfirmRequest is the link that confirms an asker's email.
func (l Links) ConfirmRequest(token string) string {
	return l.Base + "/requests/confirm?token=" + token
}

// ConfirmFollow is the link that confirms a follower's email.
func (l Links) ConfirmFollow(token string) string {
	return l.Base + "/requests/follow/confirm?token=" + token
}

// StopFollowing is the link in a follower's mail that stops them.
func (l Links) StopFollowing(token string) string {
	return l.Base + "/requests/follow/stop?token=" + token
}

// FollowerMail is the mail about a change (RequestChangeMail) as a
// follower gets it: with a link to stop.
func FollowerMail(subject, body, stopURL string) (string, string) {
	return subject, body + lines("", "You get this email because you follow this request. To stop, open this link and press the button on the page:", stopURL)
}

// dueLine says when an answer is due, or nothing when no date can be given.
func dueLine(r *InfoRequest) string {
	if r.DueOn.IsZero() {
		return "The council must answer within 20 working days of receiving it."
	}
	return "The council must answer by " + r.DueOn.Format("2 January 2006") + " (20 working days, not counting weekends and bank holidays)."
}

// RequestConfirmMail asks an asker to confirm their email: the request is
// received, and the clock starts, only then.
func RequestConfirmMail(r *InfoRequest, contractTitle, confirmURL string) (subject, body string) {
	return "Confirm your information request: " + r.Title, lines(
		requestSite+" This email address was used to ask the council about the contract",
		"  "+quote(contractTitle),
		"Title of the request: "+quote(r.Title),
		"Name given: "+quote(r.Name),
		"",
		"The council receives your request only once you confirm your email address: open this link, then press the Confirm button on the page.",
		confirmURL,
		"",
		"If you did not ask this, ignore this email and nothing will be sent to the council.")
}

// FollowConfirmMail asks someone who wants to follow a request to confirm
// their email.
func FollowConfirmMail(r *InfoRequest, confirmURL, stopURL string) (subject, body string) {
	return "Confirm you want to follow: " + r.Title, lines(
		requestSite+" This email address was given to follow the information request",
		"  "+quote(r.Title),
		"",
		"To be emailed when the council answers or refuses it, open this link, then press the Confirm button on the page.",
		confirmURL,
		"",
		"If this was not you, ignore this email and you will not be emailed again.",
		"To stop following later, open this link and press the button on the page:",
		stopURL)
}

// RequestModerationMail tells council staff a request awaits moderation.
func RequestModerationMail(r *InfoRequest, adminURL string) (subject, body string) {
	return "Information request waiting for moderation: " + r.Title, lines(
		"A resident has asked about a contract and confirmed their email address:",
		"  "+r.Title,
		"",
		dueLine(r),
		"Publish it, or reject it with a reason, here:",
		adminURL)
}

// RequestChangeMail tells the asker (and, once published, its followers)
// what has happened to a request: it was published, answered, refused or
// rejected. It returns empty strings for any other state.
func RequestChangeMail(r *InfoRequest, pageURL string) (subject, body string) {
	switch r.State {
	case RequestAwaiting:
		return "Your information request is published: " + r.Title, lines(
			requestSite+" The council has published the information request",
			"  "+quote(r.Title),
			"",
			dueLine(r),
			"See it here:",
			pageURL)
	case RequestAnswered:
		return "Information request answered: " + r.Title, lines(
			requestSite+" The council has answered the information request",
			"  "+quote(r.Title),
			"",
			"Read the answer here:",
			pageURL)
	case RequestRefused:
		return "Information request refused: " + r.Title, lines(
			requestSite+" The council has refused the information request",
			"  "+quote(r.Title),
			"",
			"The exemption it relies on: "+ExemptionLabel(r.Exemption)+".",
			"Read its explanation here:",
			pageURL,
			"",
			"You can ask the council for an internal review, and then complain to the Information Commissioner's Office.")
	case RequestRejected:
		return "Your information request was not published: " + r.Title, lines(
			requestSite+" The council has checked your information request and has not published it:",
			"  "+quote(r.Title),
			"",
			"The reason given:",
			"",
			r.Rejection)
	}
	return "", ""
}

// DueText is a due date as the page says it: "Due by 14 January 2027".
func DueText(due time.Time) string {
	if due.IsZero() {
		return ""
	}
	return "Due by " + due.Format("2 January 2006")
}
