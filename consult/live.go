package consult

// Publisher is told that something the public can watch live has changed,
// so open pages can be updated. Stores call Changed only after the change's
// transaction has committed, never inside it: a rolled-back change must not
// reach anyone's screen. Changed must not block; the receiver reads the new
// state from the stores itself, so the topic is all it is given.
type Publisher interface {
	Changed(topic string)
}

// ConsultationTopic is the live topic of a consultation's status and tallies.
func ConsultationTopic(slug string) string { return "consultation:" + slug }
