package answers

import (
	"encoding/json"
	"testing"
)

func TestFor(t *testing.T) {
	var qs []Question
	if err := json.Unmarshal([]byte(`[
		{"id": 1, "kind": "single", "options": [{"id": 11}, {"id": 12}]},
		{"id": 2, "kind": "multiple", "options": [{"id": 21}, {"id": 22}, {"id": 23}]},
		{"id": 3, "kind": "scale"},
		{"id": 4, "kind": "text"}]`), &qs); err != nil {
		t.Fatal(err)
	}
	got, err := For(qs, "Keep it in house")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"1":11,"2":[23],"3":4,"4":"Keep it in house"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	if _, err := For([]Question{{ID: 5, Kind: "single"}}, ""); err == nil {
		t.Error("a choice question with no options: got nil error")
	}
}
