package db

import (
	"slices"
	"sync"

	"github.com/oursay/oursay/ballot"
)

// contractCache keeps contracts as read, for the pages that show one
// beside every petition (the confirmation page of each signature among
// them): reading a contract is four statements, which under a viral
// petition was 9% of the server's CPU. Contracts change only through
// CreateContract and UpdateContract, which call forget after committing.
//
// gen guards against a reader caching what it read before a change: it
// keeps its copy only if no change was forgotten since it began to read.
type contractCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[int64]*ballot.Contract
}

// start returns the generation a read begins in.
func (cc *contractCache) start() uint64 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.gen
}

// get returns a copy of contract id, if cached.
func (cc *contractCache) get(id int64) (*ballot.Contract, bool) {
	cc.mu.Lock()
	c, ok := cc.m[id]
	cc.mu.Unlock()
	if !ok {
		return nil, false
	}
	return copyContract(c), true
}

// put keeps a copy of c if nothing changed since gen.
func (cc *contractCache) put(gen uint64, c *ballot.Contract) {
	c = copyContract(c)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if gen != cc.gen {
		return
	}
	if cc.m == nil {
		cc.m = map[int64]*ballot.Contract{}
	}
	cc.m[c.ID] = c
}

// forget drops every contract: one has changed.
func (cc *contractCache) forget() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.gen++
	clear(cc.m)
}

// copyContract copies c so no caller shares the cached one's slices.
func copyContract(c *ballot.Contract) *ballot.Contract {
	cp := *c
	cp.BreakClauses = slices.Clone(c.BreakClauses)
	cp.KPIs = slices.Clone(c.KPIs)
	return &cp
}
