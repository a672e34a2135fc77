package consult

import (
	"slices"
	"strings"
	"time"
)

// auditActionNames are the audit log's actions as staff read them. An
// action missing here is shown by its code, and TestAuditActionNames fails
// when code writes one that is not listed.
var auditActionNames = map[string]string{
	"ballot.response":              "Recorded the council's response to a ballot",
	"question.edit":                "Changed a question",
	"question.move":                "Moved a question",
	"consultation.closing_date":    "Changed a closing date",
	"consultation.wording":         "Corrected a consultation's wording",
	"consultation.tag_answers":     "Tagged answers with themes",
	"consultation.theme_create":    "Created a theme",
	"consultation.theme_delete":    "Deleted a theme",
	"consultation.theme_rename":    "Renamed a theme",
	"request.answer":               "Answered an information request",
	"request.publish":              "Published an information request",
	"request.refuse":               "Refused an information request",
	"request.reject":               "Rejected an information request",
	"ballot.close":                 "Closed a ballot",
	"ballot.codes":                 "Generated voter codes",
	"ballot.create":                "Set up a ballot",
	"ballot.note":                  "Noted a ballot",
	"ballot.open":                  "Opened a ballot",
	"ballot.result":                "Published a ballot result",
	"blocklist.add":                "Blocked an email domain",
	"blocklist.remove":             "Unblocked an email domain",
	"consultation.close":           "Closed a consultation",
	"consultation.codes":           "Generated consultation codes",
	"consultation.create":          "Created a consultation",
	"consultation.export_csv":      "Downloaded the responses as CSV",
	"consultation.decision":        "Recorded a decision",
	"consultation.decision_revise": "Revised a decision",
	"consultation.open":            "Opened a consultation",
	"consultation.outcome":         "Published an outcome",
	"consultation.outcome_revise":  "Revised an outcome",
	"consultation.paper_response":  "Entered a paper response",
	"consultation.update":          "Changed a consultation",
	"contract.create":              "Added a contract",
	"contract.update":              "Changed a contract",
	"council.electorate":           "Recorded the electorate",
	"council.postcodes_import":     "Replaced the postcode list",
	"council.settings_change":      "Changed the council settings",
	"document.add":                 "Published a contract document",
	"document.remove":              "Removed a contract document",
	"person.erase":                 "Erased a person's data",
	"person.export":                "Exported a person's data",
	"person.find":                  "Searched for a person's data",
	"petition.invalidate":          "Invalidated signatures",
	"petition.milestone":           "A petition reached a milestone",
	"petition.paper_signature":     "Entered a paper signature",
	"petition.publish":             "Published a petition",
	"petition.reject":              "Rejected a petition",
	"petition.threshold_met":       "A petition met its threshold",
	"question.add":                 "Added a question",
	"question.delete":              "Removed a question",
	"retention.run":                "Removed personal data past its retention period",
	"signature.approve":            "Approved a held signature",
	"signature.reject":             "Rejected a held signature",
	"spending.assign":              "Assigned a payment to a contract",
	"spending.import":              "Imported a spending file",
	"staff.signin":                 "Signed in",
	"staff.signout":                "Signed out",
	"user.create":                  "Created a staff account",
	"user.disable":                 "Disabled a staff account",
	"user.enable":                  "Re-enabled a staff account",
	"user.invite":                  "Invited a staff member",
	"user.password_change":         "Changed their password",
	"user.password_reset":          "Reset a password",
	"user.password_set":            "Set a password",
	"user.reset_request":           "Asked for a password reset",
	"user.role":                    "Changed a staff role",
	"user.unlock":                  "Unlocked a staff account",
	"contract.review_open":         "Opened a contract review",
	"contract.review_save":         "Saved a contract review",
	"contract.review_publish":      "Published a contract review",
}

// AuditActionName is an action as staff read it: "Signed in" for
// staff.signin. An unknown action is shown as its code.
func AuditActionName(code string) string {
	if n, ok := auditActionNames[code]; ok {
		return n
	}
	return code
}

// AuditActionKnown reports whether an action has a readable name.
func AuditActionKnown(code string) bool {
	_, ok := auditActionNames[code]
	return ok
}

// AuditAction is an action code with its readable name.
type AuditAction struct{ Code, Name string }

// AuditActions lists every named action, by name, for a filter.
func AuditActions() []AuditAction {
	out := make([]AuditAction, 0, len(auditActionNames))
	for c, n := range auditActionNames {
		out = append(out, AuditAction{c, n})
	}
	// Names are unique (TestAuditActions), so the order is stable.
	slices.SortFunc(out, func(a, b AuditAction) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// AuditQuery filters the audit log: each field left empty matches all.
type AuditQuery struct {
	// Action is an action code, matched exactly.
	Action string
	// Actor and Subject match any entry that contains them, ignoring case.
	Actor, Subject string
	// From and To are days, both included.
	From, To time.Time
	// Offset and Limit page the result, newest first.
	Offset, Limit int
}

// Validate names what is wrong with a filter, by field.
func (q AuditQuery) Validate() error {
	ve := &ValidationError{}
	if q.Action != "" && !AuditActionKnown(q.Action) {
		ve.Add("action", "Select an action from the list")
	}
	ve.Max("actor", "Who", q.Actor, 200)
	ve.Max("subject", "Subject", q.Subject, 200)
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		ve.Add("to", "The end date must be the same as or after the start date")
	}
	return ve.Err()
}

// Like is s as a LIKE pattern matching any text that contains it, with
// the pattern's own wildcards escaped by a backslash.
func Like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}
