package ballot

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validRequest() *InfoRequest {
	return &InfoRequest{ContractID: 1, Title: "Missed bin collections", Body: "How many bins were missed in 2026?",
		Name: "Ann Asker", Email: "ann@example.org", State: RequestUnconfirmed}
}

func TestInfoRequest_Validate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if err := validRequest().Validate(); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
	cases := []struct {
		name, field, want string
		edit              func(r *InfoRequest)
	}{
		{"NoTitle", "title", "Enter a title for your request", func(r *InfoRequest) { r.Title = " " }},
		{"LongTitle", "title", "Title must be 200 characters or fewer", func(r *InfoRequest) { r.Title = strings.Repeat("a", 201) }},
		{"TitleTwoLines", "title", "Title must be one line of text", func(r *InfoRequest) { r.Title = "a\nb" }},
		{"NoBody", "body", "Enter the information you are asking for", func(r *InfoRequest) { r.Body = "" }},
		{"LongBody", "body", "Your request must be 5,000 characters or fewer", func(r *InfoRequest) { r.Body = strings.Repeat("a", 5001) }},
		{"NoName", "name", "Enter your full name", func(r *InfoRequest) { r.Name = "" }},
		{"NoEmail", "email", "Enter an email address", func(r *InfoRequest) { r.Email = "" }},
		{"BadEmail", "email", "Enter an email address in the correct format", func(r *InfoRequest) { r.Email = "ann" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := validRequest()
			tc.edit(r)
			var ve *ValidationError
			if err := r.Validate(); !errors.As(err, &ve) || !strings.HasPrefix(ve.Fields[tc.field], tc.want) {
				t.Fatalf("got %v, want %s: %q", err, tc.field, tc.want)
			}
		})
	}
}

// received is a Friday in December 2026: its twentieth working day falls
// after Christmas Day, the Boxing Day substitute and New Year's Day.
var received = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)

func TestInfoRequest_Lifecycle(t *testing.T) {
	r := validRequest()
	if err := r.Publish(received); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("publish unconfirmed: got %v, want ErrBadTransition", err)
	}
	if err := r.Confirm(received); err != nil {
		t.Fatal(err)
	}
	if r.State != RequestModeration || !r.ReceivedAt.Equal(received) {
		t.Fatalf("got %s received %v, want moderation at %v", r.State, r.ReceivedAt, received)
	}
	if want := date(2027, 1, 6); !r.DueOn.Equal(want) {
		t.Fatalf("due %v, want %v", r.DueOn, want)
	}
	if DueText(r.DueOn) != "Due by 6 January 2027" {
		t.Fatalf("got %q", DueText(r.DueOn))
	}
	if err := r.Confirm(received); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("confirm twice: got %v, want ErrBadTransition", err)
	}
	if r.Public() {
		t.Fatal("public before moderation")
	}
	if err := r.AnswerWith("42", received); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("answer before publishing: got %v, want ErrBadTransition", err)
	}
	if err := r.Publish(received); err != nil || !r.Public() || r.State != RequestAwaiting {
		t.Fatalf("publish: %v, state %s", err, r.State)
	}
	if err := r.Reject("spam"); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("reject published: got %v, want ErrBadTransition", err)
	}
	var ve *ValidationError
	if err := r.Refuse("s99", "", received); !errors.As(err, &ve) || ve.Fields["exemption"] == "" || ve.Fields["explanation"] == "" {
		t.Fatalf("refuse without exemption: got %v", err)
	}
	if err := r.AnswerWith(" ", received); !errors.As(err, &ve) || ve.Fields["answer"] != "Enter the council's answer" {
		t.Fatalf("blank answer: got %v", err)
	}
	if err := r.AnswerWith("1,204 bins", received); err != nil || r.State != RequestAnswered {
		t.Fatalf("answer: %v, state %s", err, r.State)
	}
	if err := r.Refuse("s43", "Commercial", received); !errors.Is(err, ErrBadTransition) {
		t.Fatalf("refuse answered: got %v, want ErrBadTransition", err)
	}

	t.Run("Rejected", func(t *testing.T) {
		r := validRequest()
		must(t, r.Confirm(received))
		if err := r.Reject(""); !errors.As(err, &ve) || ve.Fields["reason"] == "" {
			t.Fatalf("reject without reason: got %v", err)
		}
		if err := r.Reject("Not about this contract"); err != nil || r.State != RequestRejected || r.Public() {
			t.Fatalf("reject: %v, state %s", err, r.State)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		r := validRequest()
		must(t, r.Confirm(received))
		must(t, r.Publish(received))
		if err := r.Refuse("s43", "It would harm the provider", received); err != nil || r.Status(received) != StatusRefused {
			t.Fatalf("refuse: %v, status %s", err, r.Status(received))
		}
		if ExemptionLabel(r.Exemption) != "Section 43: commercial interests" {
			t.Fatalf("got %q", ExemptionLabel(r.Exemption))
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestInfoRequest_Status(t *testing.T) {
	r := validRequest()
	must(t, r.Confirm(received))
	must(t, r.Publish(received))
	london := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, RequestZone) }
	cases := []struct {
		now  time.Time
		want RequestStatus
	}{
		{london(2026, 12, 24, 12), StatusAwaitingResponse},
		{london(2027, 1, 6, 23), StatusAwaitingResponse}, // the due day itself
		{london(2027, 1, 7, 0), StatusOverdue},
	}
	for _, tc := range cases {
		if got := r.Status(tc.now); got != tc.want {
			t.Errorf("at %v: got %s, want %s", tc.now, got, tc.want)
		}
	}
}

func TestTallyRequests(t *testing.T) {
	now := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	mk := func(state RequestState, answered time.Time) *InfoRequest {
		r := validRequest()
		must(t, r.Confirm(received))
		r.State, r.AnsweredAt = state, answered
		return r
	}
	rs := []*InfoRequest{
		mk(RequestAnswered, time.Date(2027, 1, 6, 16, 0, 0, 0, time.UTC)), // on the due day
		mk(RequestAnswered, time.Date(2027, 1, 7, 9, 0, 0, 0, time.UTC)),  // a day late
		mk(RequestRefused, time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC)),
		mk(RequestAwaiting, time.Time{}), // overdue at now
		mk(RequestModeration, time.Time{}),
	}
	want := RequestTally{OnTime: 1, Late: 1, Refused: 1, Overdue: 1}
	if got := TallyRequests(rs, now); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestRequestChangeMail(t *testing.T) {
	r := validRequest()
	must(t, r.Confirm(received))
	must(t, r.Publish(received))
	if subj, body := RequestChangeMail(r, "http://x/requests/1"); !strings.Contains(subj, "published") || !strings.Contains(body, "6 January 2027") {
		t.Fatalf("published mail: %q %q", subj, body)
	}
	must(t, r.Refuse("s43", "Harm", received))
	if _, body := RequestChangeMail(r, "http://x/requests/1"); !strings.Contains(body, "Section 43: commercial interests") {
		t.Fatalf("refused mail: %q", body)
	}
	_, body := RequestConfirmMail(r, "Bins", "http://x/requests/confirm?token=T")
	if !strings.Contains(body, "http://x/requests/confirm?token=T") || strings.Contains(body, r.Email) {
		t.Fatalf("confirm mail: %q", body)
	}
}
