package consult_test

import (
	"testing"

	"github.com/oursay/oursay/consult"
)

// TestTasks: a draft may leave its record wholly blank, not half done; the
// task statuses follow what is filled in; publishing waits for the rest.
func TestTasks(t *testing.T) {
	c := &consult.Consultation{Slug: "bins", Title: "Bins", Summary: "About bins", Audience: consult.AudienceAnyone, Status: consult.StatusDraft}
	if err := c.ValidateDraft(); err != nil {
		t.Errorf("a draft with its record not started: %v", err)
	}
	if c.Validate() == nil {
		t.Error("Validate should still want the record")
	}
	statuses := func() (out []string) {
		for _, task := range c.Tasks() {
			out = append(out, task.Status)
		}
		return out
	}
	want := []string{consult.TaskCompleted, consult.TaskIncomplete, consult.TaskIncomplete, consult.TaskCompleted, consult.TaskCannotStart}
	if got := statuses(); len(got) != 5 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] || got[4] != want[4] {
		t.Errorf("statuses %v, want %v", got, want)
	}
	c.Record.Service = "Bins"
	if c.ValidateDraft() == nil {
		t.Error("a record half filled in should be refused")
	}
	c.Record = consult.Record{Service: "Bins", Proposal: consult.ProposalInHouse, InHouseBid: "The waste team", SocialValueWeight: 20}
	c.Questions = []consult.Question{{Kind: consult.KindText, Prompt: "Anything else?"}}
	if got := statuses(); got[1] != consult.TaskCompleted || got[2] != consult.TaskCompleted || got[4] != consult.TaskIncomplete {
		t.Errorf("all done: %v", got)
	}
	c.Status = consult.StatusOpen
	if got := statuses(); got[4] != consult.TaskCompleted {
		t.Errorf("published: %v", got)
	}
}
