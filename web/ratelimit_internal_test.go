package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// fakeClock is a settable clock for limiter and form tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock           { return &fakeClock{time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)} }
func req(method, target, remote string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = remote
	return r
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{
		"30/m": {30, time.Minute}, "5/s": {5, time.Second}, "600/h": {600, time.Hour}, " 30 ": {30, time.Minute},
		"100/10m": {100, 10 * time.Minute}, "0": {}, "off": {}, "OFF": {}, "0/m": {},
	} {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q): got %v, %v; want %v", in, got, err, want)
		}
		if back, err := ParseRate(got.String()); err != nil || back != got {
			t.Errorf("ParseRate(%q).String() = %q reads back as %v, %v", in, got.String(), back, err)
		}
	}
	for _, bad := range []string{"", "x", "-1/m", "30/fortnight", "30/0s", "30/1ms", "1/48h", "99999999999/m", "3/m/s"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q): got nil error", bad)
		}
	}
}

func TestKeyedLimiter(t *testing.T) {
	t.Run("BurstThenRefill", func(t *testing.T) {
		c := newFakeClock()
		l := newKeyedLimiter(Rate{3, time.Minute}, c.now, 100)
		for i := range 3 {
			if ok, _ := l.allow("a"); !ok {
				t.Fatalf("request %d refused within the burst", i+1)
			}
		}
		ok, wait := l.allow("a")
		if ok || wait <= 0 || wait > 20*time.Second {
			t.Fatalf("over the burst: got %v, wait %v; want refused, wait ≤ 20s", ok, wait)
		}
		if ok, _ := l.allow("b"); !ok {
			t.Errorf("another client was refused")
		}
		c.add(wait)
		if ok, _ := l.allow("a"); !ok {
			t.Errorf("refused after waiting the wait it was given")
		}
	})
	t.Run("BlockedTakesNothing", func(t *testing.T) {
		c := newFakeClock()
		l := newKeyedLimiter(Rate{2, time.Minute}, c.now, 100)
		if blocked, _ := l.blocked("a"); blocked {
			t.Fatal("a new client is blocked")
		}
		l.take("a")
		l.take("a")
		if blocked, wait := l.blocked("a"); !blocked || wait != 30*time.Second {
			t.Errorf("after two failures: got %v, %v; want blocked for 30s", blocked, wait)
		}
	})
	t.Run("SweepKeepsActive", func(t *testing.T) {
		// 3 a minute: a token every 20s. A client that spends its burst and
		// keeps sending has had exactly one token back per 20s when the
		// minute's sweep runs; forgetting it would hand it a fresh burst.
		c := newFakeClock()
		l := newKeyedLimiter(Rate{3, time.Minute}, c.now, 100)
		for i := range 3 {
			if ok, _ := l.allow("a"); !ok {
				t.Fatalf("request %d refused within the burst", i+1)
			}
		}
		c.add(50 * time.Second) // 2.5 tokens back
		for i := range 2 {
			if ok, _ := l.allow("a"); !ok {
				t.Fatalf("at 50s, request %d refused", i+1)
			}
		}
		c.add(10 * time.Second) // 1 token; the sweep is due now
		if ok, _ := l.allow("a"); !ok {
			t.Fatal("at 60s, the one token back was refused")
		}
		if ok, _ := l.allow("a"); ok {
			t.Error("at 60s, a second request was allowed: the sweep forgot an active client")
		}
	})
	t.Run("EvictsIdleAndCaps", func(t *testing.T) {
		c := newFakeClock()
		l := newKeyedLimiter(Rate{5, time.Minute}, c.now, 100)
		for i := range 50 {
			l.allow(fmt.Sprint("idle", i))
		}
		c.add(time.Minute)
		l.allow("fresh")
		if n := l.size(); n != 1 {
			t.Errorf("after a period: got %d clients, want only the fresh one", n)
		}
		for i := range 1000 { // a flood of addresses within one period
			l.allow(fmt.Sprint("flood", i))
			if n := l.size(); n > 100 {
				t.Fatalf("the map grew to %d clients, over its cap of 100", n)
			}
		}
	})
}

func TestRateLimiter_Matches(t *testing.T) {
	rl := newRateLimiter(RateLimits{Sign: Rate{1, time.Minute}}, time.Now)
	cases := []struct {
		method, path string
		want         *limitClass
	}{
		{"POST", "/petitions/7/signatures", classSign},
		{"POST", "/api/petitions/7/signatures", classSign},
		{"GET", "/petitions/7", nil},
		{"POST", "/consultations/x/responses", nil}, // respond limit is off here
		{"POST", "/petitions/7/signatures/extra", nil},
	}
	for _, tc := range cases {
		if got := rl.class(req(tc.method, tc.path, "192.0.2.1:1")); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

// TestLimitedRoutes_AreRealRoutes: every limited pattern is one the server
// serves, so a renamed route cannot silently lose its limit.
func TestLimitedRoutes_AreRealRoutes(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.mount(mux)
	for pattern := range limitedRoutes {
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.NewReplacer("{id}", "1", "{slug}", "x").Replace(path)
		if _, got := mux.Handler(req(method, path, "192.0.2.1:1")); got != pattern {
			t.Errorf("%s: the server routes it to %q", pattern, got)
		}
	}
}

func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.1:5000":              "192.0.2.1",
		"[::ffff:192.0.2.1]:5000":     "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:5000": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ff::1]:5000":   "2001:db8:1:2::/64",
		"@":                           "@",
	} {
		if got := clientKey(req("GET", "/", remote)); got != want {
			t.Errorf("%s: got %q, want %q", remote, got, want)
		}
	}
}

func TestRealClient_TrustedProxy(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.9")
	if err != nil || len(proxies) != 2 {
		t.Fatalf("got %v, %v", proxies, err)
	}
	s := &Server{cfg: Config{TrustedProxies: proxies}}
	var seen string
	h := s.realClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = clientIP(r) }))
	cases := []struct{ remote, xff, want string }{
		{"10.1.2.3:80", "203.0.113.7", "203.0.113.7"},
		{"10.1.2.3:80", "198.51.100.1, 203.0.113.7, 192.0.2.9", "203.0.113.7"}, // rightmost untrusted
		{"198.51.100.1:80", "203.0.113.7", "198.51.100.1"},                     // not a proxy: ignored
		{"10.1.2.3:80", "", "10.1.2.3"},
		{"10.1.2.3:80", "not-an-address", "10.1.2.3"},
	}
	for _, tc := range cases {
		r := req("GET", "/", tc.remote)
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if seen != tc.want {
			t.Errorf("%s via %q: got %s, want %s", tc.remote, tc.xff, seen, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/99"); err == nil {
		t.Errorf("a bad prefix: got nil error")
	}
}

func TestFormClock(t *testing.T) {
	c := newFakeClock()
	fc := newFormClock([]byte("0123456789abcdef0123456789abcdef"), c.now, 3*time.Second)
	stamp, stamp2, stamp3 := fc.stamp(), fc.stamp(), fc.stamp() // each is good once
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	if got := fc.check(form(startedField, stamp)); got != ballot.ReviewTooFast {
		t.Errorf("at once: got %q, want fast", got)
	}
	c.add(3 * time.Second)
	if got := fc.check(form(startedField, stamp2)); got != ballot.ReviewNone {
		t.Errorf("after 3s: got %q, want none", got)
	}
	ms, mac, _ := strings.Cut(stamp, ".")
	other := newFormClock([]byte("another key, another key, anothe"), c.now, 3*time.Second)
	for name, tok := range map[string]string{
		"missing": "", "no mac": ms, "earlier time, same mac": "1" + ms[1:] + "." + mac,
		"other key": other.stamp(), "junk": "zzzz.zzzz",
	} {
		if got := fc.check(form(startedField, tok)); got != ballot.ReviewTiming {
			t.Errorf("%s: got %q, want timing", name, got)
		}
	}
	if got := fc.check(form(startedField, stamp, honeypotField, "http://spam.example")); got != ballot.ReviewHoneypot {
		t.Errorf("honeypot: got %q", got)
	}
	c.add(-time.Hour)
	if got := fc.check(form(startedField, fc.stamp())); got != ballot.ReviewTooFast {
		t.Errorf("a fresh stamp: got %q, want fast", got)
	}
	off := newFormClock(nil, c.now, 0)
	if got := off.check(form()); got != ballot.ReviewNone {
		t.Errorf("timing off, no stamp: got %q, want none", got)
	}
	if got := fc.keepStamp(form(startedField, stamp3)); got != stamp3 {
		t.Errorf("keepStamp dropped a genuine stamp")
	}
	if got := fc.keepStamp(form(startedField, "1.forged")); got == "1.forged" {
		t.Errorf("keepStamp kept a forged stamp")
	}
}

// TestFormClock_LifetimeAndSingleUse: a stamp is good for two hours and
// for one sign form; a second use, or a stale one, is held for review like
// a missing stamp (issue 16 item 16). Two forms shown in the same
// millisecond get different stamps, so neither is taken for a reuse.
func TestFormClock_LifetimeAndSingleUse(t *testing.T) {
	c := newFakeClock()
	fc := newFormClock([]byte("0123456789abcdef0123456789abcdef"), c.now, 3*time.Second)
	form := func(stamp string) url.Values { return url.Values{startedField: {stamp}} }
	a, b := fc.stamp(), fc.stamp()
	if a == b {
		t.Fatalf("two forms shown at once got one stamp %q", a)
	}
	c.add(10 * time.Second)
	if got := fc.check(form(a)); got != ballot.ReviewNone {
		t.Fatalf("first use: got %q, want none", got)
	}
	if got := fc.check(form(b)); got != ballot.ReviewNone {
		t.Errorf("the other form shown at the same moment: got %q, want none", got)
	}
	if got := fc.check(form(a)); got != ballot.ReviewTiming {
		t.Errorf("second use of a stamp: got %q, want timing", got)
	}
	if got := fc.keepStamp(form(a)); got == a {
		t.Errorf("keepStamp put a used stamp back in the form")
	}
	old := fc.stamp()
	c.add(2*time.Hour + time.Second)
	if got := fc.check(form(old)); got != ballot.ReviewTiming {
		t.Errorf("a stamp 2h1s old: got %q, want timing", got)
	}
	fresh := fc.stamp()
	c.add(2*time.Hour - time.Second)
	if got := fc.check(form(fresh)); got != ballot.ReviewNone {
		t.Errorf("a stamp 1h59m59s old: got %q, want none", got)
	}
}

func TestMarkBursts(t *testing.T) {
	hours := make([]ballot.HourCount, 48)
	for i := range hours {
		hours[i].Made = 4
	}
	hours[10].Made, hours[20].Made, hours[30].Made = 13, 12, 9
	got := markBursts(hours)
	for i, b := range got {
		if want := i == 10; b != want {
			t.Errorf("hour %d (%d made): burst %v, want %v", i, hours[i].Made, b, want)
		}
	}
	quiet := []ballot.HourCount{{Made: 0}, {Made: 0}, {Made: 10}}
	if got := markBursts(quiet); !got[2] {
		t.Errorf("10 in an otherwise empty window is a burst")
	}
}

// size is, for the tests, how many clients the limiter remembers.
func (l *keyedLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
