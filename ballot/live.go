package ballot

import (
	"strconv"

	"github.com/oursay/oursay/consult"
)

// Publisher is told, after commit, that something the public can watch live
// has changed: a rolled-back signature must not move anyone's count. It is
// consult.Publisher.
type Publisher = consult.Publisher

// PetitionTopic is the live topic of a petition's status and count.
func PetitionTopic(id int64) string { return "petition:" + strconv.FormatInt(id, 10) }

// BallotTopic is the live topic of a recall ballot's status and turnout.
func BallotTopic(id int64) string { return "ballot:" + strconv.FormatInt(id, 10) }
