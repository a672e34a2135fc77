package ballot

import (
	"sort"
	"time"
)

// PipelineEntry is one contract's next end point on the pipeline page,
// with the review held at it (nil when none has been opened yet).
type PipelineEntry struct {
	Contract *Contract
	Point    EndPoint
	Review   *ContractReview
}

// ReviewStatus is the review's status, or "" when none has been opened.
func (e PipelineEntry) ReviewStatus() ReviewStatus {
	if e.Review == nil {
		return ""
	}
	return e.Review.Status
}

// Pipeline lists every contract's next end, break or review date within
// months of now, or a termination whose review is open, soonest first
// (then by contract title), each with its review.
func Pipeline(contracts []*Contract, reviews []*ContractReview, now time.Time, months int) []PipelineEntry {
	byPoint := map[int64]map[EndPoint]*ContractReview{}
	for _, r := range reviews {
		if byPoint[r.ContractID] == nil {
			byPoint[r.ContractID] = map[EndPoint]*ContractReview{}
		}
		byPoint[r.ContractID][r.Point] = r
	}
	today := now.UTC().Truncate(24 * time.Hour)
	horizon := now.AddDate(0, months, 0)
	var out []PipelineEntry
	for _, c := range contracts {
		p, ok := c.NextEndPoint(now, months)
		for pt := range byPoint[c.ID] {
			if pt.Kind == PointTermination && !pt.On.Before(today) && !pt.On.After(horizon) && (!ok || pt.On.Before(p.On)) {
				p, ok = pt, true
			}
		}
		if ok {
			out = append(out, PipelineEntry{Contract: c, Point: p, Review: byPoint[c.ID][p]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Point.On.Equal(out[j].Point.On) {
			return out[i].Point.On.Before(out[j].Point.On)
		}
		return out[i].Contract.Title < out[j].Contract.Title
	})
	return out
}
