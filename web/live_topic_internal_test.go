package web

import "testing"

func TestValidTopic(t *testing.T) {
	for topic, want := range map[string]bool{
		"petition:7": true, "ballot:12": true, "consultation:parks-2026": true,
		"petition:07": false, "petition:0": false, "petition:-1": false, "petition:x": false,
		"ballot:": false, "consultation:Parks": false, "consultation:a b": false, "contract:1": false,
		"petition": false, "": false,
	} {
		if got := validTopic(topic); got != want {
			t.Errorf("validTopic(%q): got %v, want %v", topic, got, want)
		}
	}
}
