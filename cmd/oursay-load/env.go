package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// env is the server under load and the clients' shared parts.
type env struct {
	cfg    *config
	base   string // http://127.0.0.1:PORT
	client *http.Client
	mail   *mailbox
	srv    *serverProc // nil with --target
	stderr io.Writer

	// CPU used by the server and by this tool when the scenario began.
	serverCPU0, toolCPU0 time.Duration

	paired *pairing // set by a paired loop (--paired-ceiling)
}

// serverCPUNow is the CPU time the server has used so far, when this tool
// started it.
func (e *env) serverCPUNow() (time.Duration, bool) {
	if e.srv == nil {
		return 0, false
	}
	return e.srv.cpuTime()
}

// markCPU notes the CPU time used so far, so a result reports only what
// the scenario itself used.
func (e *env) markCPU() {
	e.toolCPU0 = toolCPU()
	e.serverCPU0, _ = e.serverCPUNow()
}

// cpuSince returns the CPU seconds the server (nil when unknown) and this
// tool used since markCPU.
func (e *env) cpuSince() (server *float64, tool float64) {
	tool = round3((toolCPU() - e.toolCPU0).Seconds())
	if t, ok := e.serverCPUNow(); ok {
		v := round3((t - e.serverCPU0).Seconds())
		server = &v
	}
	return server, tool
}

// toolCPU is this process's CPU time so far.
func toolCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// setUp starts the mailbox and, without --target, the server.
func setUp(ctx context.Context, cfg *config, stderr io.Writer) (*env, error) {
	e := &env{cfg: cfg, stderr: stderr, base: cfg.target}
	var err error
	if e.mail, err = startMailbox(cfg.smtpListen); err != nil {
		return nil, fmt.Errorf("smtp listen: %w", err)
	}
	if cfg.target == "" {
		if e.srv, err = startServer(ctx, cfg, cfg.dbPath, e.mail.addr, stderr); err != nil {
			e.mail.close()
			return nil, err
		}
		e.base = "http://" + e.srv.addr
	}
	e.client = newClient(cfg.concurrency + pairedWorkers(cfg))
	return e, nil
}

func (e *env) tearDown() {
	if e.srv != nil {
		e.srv.stop()
	}
	e.mail.close()
	e.client.CloseIdleConnections()
}

// newClient keeps a connection per concurrent client alive between
// requests, as browsers do, so the run measures requests rather than TCP
// handshakes.
func newClient(concurrency int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// describe says what was loaded, for the table.
func (e *env) describe() string {
	if e.srv == nil {
		return e.base + " (given with --target)"
	}
	return fmt.Sprintf("%s (started by this tool in %.0f ms: oursay %s)",
		e.base, float64(e.srv.startUp)/float64(time.Millisecond), strings.Join(e.srv.args, " "))
}

// serverRSS is the server's VmRSS in KiB, when this tool started it.
func (e *env) serverRSS() (int64, bool) {
	if e.srv == nil {
		return 0, false
	}
	return e.srv.rssKiB()
}

// getJSON fetches path into v.
func (e *env) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// petitionInfo is the part of /api/petitions/{id} the scenarios use.
type petitionInfo struct {
	ID             int64      `json:"id"`
	Status         string     `json:"status"`
	SignatureCount *int       `json:"signature_count"`
	ClosesAt       *time.Time `json:"closes_at"`
}

// petition returns --petition, or else the petition that is taking
// signatures, shows a live count and has the most signatures (after a
// prefill, the one at a million).
func (e *env) petition(ctx context.Context) (petitionInfo, error) {
	if e.cfg.petition != 0 {
		var p petitionInfo
		err := e.getJSON(ctx, fmt.Sprintf("/api/petitions/%d", e.cfg.petition), &p)
		return p, err
	}
	var list struct {
		Petitions []petitionInfo `json:"petitions"`
	}
	if err := e.getJSON(ctx, "/api/petitions", &list); err != nil {
		return petitionInfo{}, err
	}
	var best *petitionInfo
	for i, p := range list.Petitions {
		signable := (p.Status == "open" || p.Status == "threshold_met") && p.ClosesAt != nil && p.ClosesAt.After(time.Now())
		if signable && p.SignatureCount != nil && (best == nil || *p.SignatureCount > *best.SignatureCount) {
			best = &list.Petitions[i]
		}
	}
	if best == nil {
		return petitionInfo{}, errors.New("no open petition with a live count; pass --petition")
	}
	return *best, nil
}

// signatureCount reads a petition's public count.
func (e *env) signatureCount(ctx context.Context, id int64) (int, error) {
	var p petitionInfo
	if err := e.getJSON(ctx, fmt.Sprintf("/api/petitions/%d", id), &p); err != nil {
		return 0, err
	}
	if p.SignatureCount == nil {
		return 0, fmt.Errorf("petition %d has no public count", id)
	}
	return *p.SignatureCount, nil
}

// pairedWorkers is how many clients a paired loop's ceiling side runs: 0
// without --paired-ceiling.
func pairedWorkers(cfg *config) int {
	if cfg.pairedSlice > 0 {
		return pairedCeilingWorkers
	}
	return 0
}
