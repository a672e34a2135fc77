package consult_test

import (
	"slices"
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestPercents: whole per cents by largest remainder, worked by hand.
func TestPercents(t *testing.T) {
	tests := []struct {
		name   string
		counts []int
		total  int
		want   []int
	}{
		// Half up each would show 38+38+25 = 101. Floors 37, 37, 25 (99);
		// remainders 4, 4, 0 (eighths of a per cent): the first 4 gets it.
		{"HalfUpWouldShow101", []int{3, 3, 2}, 8, []int{38, 37, 25}},
		// Half up each would show 33+33+33 = 99; equal remainders: first wins.
		{"Thirds", []int{1, 1, 1}, 3, []int{34, 33, 33}},
		// The largest remainder wins, not the earliest: 1/7 = 14.28,
		// 2/7 = 28.57, 4/7 = 57.14; floors 14+28+57 = 99, 2/7 has most left.
		{"Sevenths", []int{1, 2, 4}, 7, []int{14, 29, 57}},
		{"Exact", []int{1, 3}, 4, []int{25, 75}},
		{"OneOfMany", []int{0, 1, 0}, 1, []int{0, 100, 0}},
		// A count of 0 never gets a rounding per cent: 1/6 = 16.67 twice
		// and 4/6 = 66.67; floors 16+16+66 = 98, two to hand out.
		{"ZeroStaysZero", []int{1, 0, 1, 4}, 6, []int{17, 0, 17, 66}},
		{"NoAnswers", []int{0, 0}, 0, []int{0, 0}},
		{"NegativeTotal", []int{1}, -1, []int{0}},
		// Counts short of total (not every answer counted here): the
		// shares add up to the counts' share, 2/3 = 66.67 -> 67.
		{"PartOfTotal", []int{1, 1}, 3, []int{34, 33}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := consult.Percents(tt.counts, tt.total); !slices.Equal(got, tt.want) {
				t.Errorf("Percents(%v, %d) = %v, want %v", tt.counts, tt.total, got, tt.want)
			}
		})
	}
}

// TestQuestion_Shares: single-choice and scale shares add up to 100;
// multiple-choice shares are each rounded half up and may pass 100.
func TestQuestion_Shares(t *testing.T) {
	tests := []struct {
		name string
		q    consult.Question
		qt   consult.QuestionTally
		want map[int64]int
	}{
		{"Single", consult.Question{Kind: consult.KindSingle, Options: opts("A", "B", "C")},
			consult.QuestionTally{Answered: 8, Counts: map[int64]int{1: 3, 2: 3, 3: 2}},
			map[int64]int{1: 38, 2: 37, 3: 25}},
		{"Scale", consult.Question{Kind: consult.KindScale},
			consult.QuestionTally{Answered: 3, Counts: map[int64]int{2: 1, 4: 1, 5: 1}},
			map[int64]int{1: 0, 2: 34, 3: 0, 4: 33, 5: 33}},
		// 3 of 8 chose A and 3 of 8 chose B (37.5 each, half up 38).
		{"Multiple", consult.Question{Kind: consult.KindMultiple, Options: opts("A", "B")},
			consult.QuestionTally{Answered: 8, Counts: map[int64]int{1: 3, 2: 3}},
			map[int64]int{1: 38, 2: 38}},
		{"MultipleNoAnswers", consult.Question{Kind: consult.KindMultiple, Options: opts("A", "B")},
			consult.QuestionTally{}, map[int64]int{1: 0, 2: 0}},
		{"Text", consult.Question{Kind: consult.KindText}, consult.QuestionTally{Answered: 2}, map[int64]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.q.Shares(tt.qt)
			if len(got) != len(tt.want) {
				t.Fatalf("Shares = %v, want %v", got, tt.want)
			}
			for k, w := range tt.want {
				if g, ok := got[k]; !ok || g != w {
					t.Errorf("Shares[%d] = %d (present %v), want %d; all %v", k, g, ok, w, got)
				}
			}
		})
	}
}
