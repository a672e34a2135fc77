package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// signPostcodes are in the demo council's list (cmd/oursay/demodata), one
// per ward, so signatures spread over the ward counters.
var signPostcodes = []string{"AB1 2CD", "AB2 4GH", "AB3 1AD"}

// signer submits signatures to one petition and confirms each through the
// link in the mail the server sends, as a resident would.
type signer struct {
	e        *env
	petition int64
	run      string // in every address, so a rerun never collides
	errs     *errLog

	submitted   sync.Map // address → time its 202 arrived
	accepted    atomic.Int64
	confirmSent atomic.Int64 // confirmation requests sent
	confirmed   atomic.Int64
	stale       atomic.Int64 // mails for another run's signers
	lastAck     atomic.Int64 // UnixNano of the latest confirmation acknowledged

	confirmLat, mailDelay, endToEnd merged
	// onAck, when set, hears of each confirmation acknowledged: at most
	// base+sentBefore signatures were counted when it committed, and
	// exactly shown if its page showed the count (-1 if it did not).
	onAck func(sentBefore, shown int64, at time.Time)

	stop chan struct{}
	wg   sync.WaitGroup
}

func newSigner(e *env, petition int64) *signer {
	return &signer{e: e, petition: petition, run: strings.ToLower(rand.Text()[:8]),
		errs: &errLog{w: e.stderr}, stop: make(chan struct{})}
}

// submit posts signature i and records when the server acknowledged it.
func (s *signer) submit(ctx context.Context, i int64) error {
	addr := fmt.Sprintf("r%s-%d@%s", s.run, i, loadDomain)
	body := fmt.Sprintf(`{"name":"Load Signer %s %d","email":%q,"postcode":%q,"resident":true}`,
		s.run, i, addr, signPostcodes[i%int64(len(signPostcodes))])
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		fmt.Sprintf("%s/api/petitions/%d/signatures", s.e.base, s.petition), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if err := s.e.send(req, http.StatusAccepted); err != nil {
		s.errs.add("sign: %v", err)
		return err
	}
	s.submitted.Store(addr, time.Now())
	s.accepted.Add(1)
	return nil
}

// startConfirmers starts n clients that open confirmation links as mail
// arrives, until stopConfirmers.
func (s *signer) startConfirmers(ctx context.Context, n int) {
	for range n {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			var lat samples
			defer func() { s.confirmLat.addAll(lat) }()
			for {
				select {
				case m := <-s.e.mail.tokens:
					if d, ok := s.confirm(ctx, m); ok {
						lat.add(d)
					}
				case <-s.stop:
					return
				case <-ctx.Done():
					return
				}
			}
		}()
	}
}

// confirm opens one link and returns how long the server took.
func (s *signer) confirm(ctx context.Context, m confirmMail) (time.Duration, bool) {
	v, ok := s.submitted.Load(m.to)
	if !ok && !strings.HasPrefix(m.to, "r"+s.run+"-") {
		s.stale.Add(1) // not this run's: leave it
		return 0, false
	}
	// The mail can beat the 202 to this tool: the server commits, answers
	// and mails at once. Wait for the submitter to record its answer.
	for deadline := time.Now().Add(5 * time.Second); !ok && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		v, ok = s.submitted.Load(m.to)
	}
	if !ok {
		s.errs.add("mail for %s came, but its submission was never acknowledged", m.to)
		return 0, false
	}
	// As a person does: the link opens a page with a Confirm button
	// (opening it changes nothing), and the button POSTs the token. The
	// latency is the POST's, the acknowledgement of the confirmation.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.e.base+"/signatures/confirm?token="+m.token, nil)
	if err != nil {
		return 0, false
	}
	if err := s.e.send(req, http.StatusOK); err != nil {
		s.errs.add("confirm page: %v", err)
		return 0, false
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, s.e.base+"/signatures/confirm",
		strings.NewReader(url.Values{"token": {m.token}}.Encode()))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	s.confirmSent.Add(1)
	t := time.Now()
	body, err := s.e.do(req, http.StatusOK)
	if err != nil {
		s.errs.add("confirm: %v", err)
		return 0, false
	}
	now := time.Now()
	if s.onAck != nil {
		s.onAck(s.confirmSent.Load(), shownCount(body), now)
	}
	s.confirmed.Add(1)
	s.lastAck.Store(now.UnixNano())
	acked := v.(time.Time)
	s.mailDelay.add(m.at.Sub(acked))
	s.endToEnd.add(now.Sub(acked))
	return now.Sub(t), true
}

// drain waits for the mail of every accepted signature to be confirmed,
// giving up after quiet with no progress or after limit, then stops the
// confirmers. It returns how many stayed unconfirmed.
func (s *signer) drain(ctx context.Context, quiet, limit time.Duration) int64 {
	deadline := time.Now().Add(limit)
	last, lastAt := int64(-1), time.Now()
	for ctx.Err() == nil && time.Now().Before(deadline) {
		done := s.confirmed.Load() + s.errs.n.Load()
		if done >= s.accepted.Load() {
			break
		}
		if done != last {
			last, lastAt = done, time.Now()
		} else if time.Since(lastAt) > quiet {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(s.stop)
	s.wg.Wait()
	return max(0, s.accepted.Load()-s.confirmed.Load())
}

// runSign has --concurrency clients submit signatures back to back while as
// many again confirm them from their mail. An operation is a signature
// submitted and confirmed; its latencies are the two acknowledgements.
func runSign(ctx context.Context, e *env) (*result, error) {
	p, err := e.petition(ctx)
	if err != nil {
		return nil, err
	}
	before, err := e.signatureCount(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	s := newSigner(e, p.ID)
	s.startConfirmers(ctx, e.cfg.concurrency)
	start := time.Now()
	submitLat, submitFor := closedLoop(ctx, e.cfg.concurrency, newBudget(e.cfg), s.submit)
	unconfirmed := s.drain(ctx, 10*time.Second, 30*time.Second+e.cfg.duration)
	return s.result("sign", p.ID, before, start, submitLat, submitFor, unconfirmed), nil
}

// result reads the count again and fills in what every signing run reports.
func (s *signer) result(name string, id int64, before int, start time.Time, submitLat samples, submitFor time.Duration, unconfirmed int64) *result {
	elapsed := submitFor
	if last := s.lastAck.Load(); last > 0 {
		elapsed = time.Unix(0, last).Sub(start)
	}
	confirmLat := s.confirmLat.get()
	r := &result{scenario: name, ops: s.confirmed.Load(), errors: s.errs.n.Load(), elapsed: elapsed,
		main: append(append(samples{}, submitLat...), confirmLat...),
		table: []series{{"submit (POST → 202)", submitLat}, {"confirm (GET link → 200)", confirmLat},
			{"mail (202 → mail here)", s.mailDelay.get()}, {"signature (202 → confirmed)", s.endToEnd.get()}}}
	after, err := s.e.signatureCount(context.Background(), id)
	r.set("petition", id)
	r.set("signatures_before", before)
	r.set("submitted", s.accepted.Load())
	r.set("submitted_per_s", rate(s.accepted.Load(), submitFor))
	r.set("unconfirmed", unconfirmed)
	if err == nil {
		r.set("count_delta", after-before)
		if int64(after-before) != s.confirmed.Load() {
			r.note("the count moved by %d but %d confirmations were acknowledged", after-before, s.confirmed.Load())
		}
	}
	if n := s.stale.Load(); n > 0 {
		r.note("%d mails for signers of an earlier run were left alone", n)
	}
	if unconfirmed > 0 {
		r.note("%d signatures accepted but not confirmed by the end: their mail had not arrived", unconfirmed)
	}
	r.set("concurrency", s.e.cfg.concurrency)
	return r
}

// shownCountRE finds the live count on a confirmation page: the petition's
// count in the transaction that counted this signature.
var shownCountRE = regexp.MustCompile(`data-live="signature_count">([0-9,]+)<`)

// shownCount returns the count a confirmation page shows, or -1.
func shownCount(page []byte) int64 {
	m := shownCountRE.FindSubmatch(page)
	if m == nil {
		return -1
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(string(m[1]), ",", ""), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
