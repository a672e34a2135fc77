package ballot

import "strconv"

// Publisher is told that something the public can watch live has changed,
// so open pages can be updated. Stores call Changed only after the change's
// transaction has committed, never inside it: a rolled-back signature must
// not move anyone's count. Changed must not block; the receiver reads the
// new state from the stores itself, so the topic is all it is given.
type Publisher interface {
	Changed(topic string)
}

// PetitionTopic is the live topic of a petition's status and count.
func PetitionTopic(id int64) string { return "petition:" + strconv.FormatInt(id, 10) }

// BallotTopic is the live topic of a recall ballot's status and turnout.
func BallotTopic(id int64) string { return "ballot:" + strconv.FormatInt(id, 10) }
