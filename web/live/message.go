package live

import "errors"

// Message is a snapshot that the hub numbers and encodes. Every message
// embeds Header, which the hub fills in; the rest is the builder's own
// type, so that the builder decides, by its types, what can be sent.
type Message interface {
	setHeader(topic string, seq uint64)
}

// Header starts every message: the topic and its sequence number, which
// only grows while the server runs (it starts again after a restart).
type Header struct {
	Topic string `json:"topic"`
	Seq   uint64 `json:"seq"`
}

func (h *Header) setHeader(topic string, seq uint64) { h.Topic, h.Seq = topic, seq }

// errorMsg refuses a topic: not public, unknown, or one too many.
type errorMsg struct {
	Header
	Error string `json:"error"`
}

// ErrNoTopic is what Source.Build returns for a topic that does not exist
// or is not public: its subscribers are told "not found" and dropped from
// it.
var ErrNoTopic = errors.New("live: no such public topic")
