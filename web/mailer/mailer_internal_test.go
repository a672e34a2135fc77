package mailer

import (
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempt   int
		permanent bool
		jitter    float64
		want      time.Duration
	}{
		{1, false, 0, 30 * time.Second},
		{2, false, 0, time.Minute},
		{3, false, 0, 2 * time.Minute},
		{7, false, 0, 32 * time.Minute},
		{8, false, 0, time.Hour},
		{9, false, 0, time.Hour},          // stays capped
		{500, false, 0, time.Hour},        // no overflow
		{1, false, 0.5, 27 * time.Second}, // jitter takes off up to a fifth
		{9, false, 0.75, 51 * time.Minute},
		{1, true, 0, time.Hour}, // refused outright: no point trying soon
	}
	for _, tt := range tests {
		got := retryDelay(tt.attempt, tt.permanent, tt.jitter)
		if got.Round(time.Millisecond) != tt.want.Round(time.Millisecond) {
			t.Errorf("retryDelay(%d, %v, %v) = %v, want %v", tt.attempt, tt.permanent, tt.jitter, got, tt.want)
		}
	}
}

func TestRedactEmails(t *testing.T) {
	got := redactEmails("550 5.1.1 <ann.smith+x@example.org>: Recipient address rejected")
	if want := "550 5.1.1 <[email]>: Recipient address rejected"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
