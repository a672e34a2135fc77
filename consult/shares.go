package consult

// Percents returns each count's share of total in whole per cent, by the
// largest remainder method: every share is first rounded down, then the
// per cents still missing from the rounded total go one each to the shares
// that lost most in rounding (ties to the earlier count). When the counts
// add up to total the shares add up to exactly 100, where rounding each
// share on its own, half up, can show 99 (1, 1 and 1 of 3: 33+33+33) or
// 101 (3, 3 and 2 of 8: 38+38+25). A zero or negative total gives zeros.
func Percents(counts []int, total int) []int {
	out := make([]int, len(counts))
	if total <= 0 {
		return out
	}
	sum, given := 0, 0
	for i, n := range counts {
		sum += n
		out[i] = n * 100 / total
		given += out[i]
	}
	// The per cents the whole should show: the counts' sum as a share of
	// total, rounded half up (100 when they add up to total).
	missing := (sum*100+total/2)/total - given
	for ; missing > 0; missing-- {
		best, bestRem := -1, -1
		for i, n := range counts {
			rem := n*100 - out[i]*total
			if rem > bestRem && out[i]*total < n*100 {
				best, bestRem = i, rem
			}
		}
		if best < 0 {
			break
		}
		out[best]++
	}
	return out
}

// Shares returns the share of those who answered the question that chose
// each option (choice questions) or scale point 1..5, in whole per cent,
// keyed as the tally's counts are. A single-choice or scale question counts
// each answer once, so its shares are by largest remainder (Percents) and
// add up to 100. A multiple-choice question's answers may choose several
// options, so each share is rounded on its own, half up, and the shares may
// add up to more than 100.
func (q *Question) Shares(qt QuestionTally) map[int64]int {
	var keys []int64
	switch q.Kind {
	case KindScale:
		keys = []int64{1, 2, 3, 4, 5}
	case KindSingle, KindMultiple:
		for _, o := range q.Options {
			keys = append(keys, o.ID)
		}
	default:
		return map[int64]int{}
	}
	out := make(map[int64]int, len(keys))
	if q.Kind == KindMultiple {
		for _, k := range keys {
			if qt.Answered > 0 {
				out[k] = (qt.Counts[k]*100 + qt.Answered/2) / qt.Answered
			} else {
				out[k] = 0
			}
		}
		return out
	}
	counts := make([]int, len(keys))
	for i, k := range keys {
		counts[i] = qt.Counts[k]
	}
	for i, p := range Percents(counts, qt.Answered) {
		out[keys[i]] = p
	}
	return out
}
