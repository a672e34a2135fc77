package consult

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// ComputeHash returns the hash an entry must carry: SHA-256 over its id,
// time, actor, action, subject, detail and the previous entry's hash, each
// length-prefixed so no two different entries share an input.
func (e AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f)) + ":" + f + ";"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
