package db

import "github.com/oursay/oursay/consult"

// publish tells p that topic has changed, for the live pages. Stores call
// it only once their transaction has committed: an event sent from inside
// the transaction could announce a change that then rolls back, and a
// subscriber reading the state at once would not yet see it. A nil p (no
// live hub, as in most tests and the command-line tools) is fine.
func publish(p consult.Publisher, topic string) {
	if p != nil {
		p.Changed(topic)
	}
}
