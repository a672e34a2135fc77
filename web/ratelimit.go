package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is at most N requests per Per from one client, as a token bucket:
// a burst of N, refilled evenly over Per. The zero Rate is no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Off reports whether r sets no limit.
func (r Rate) Off() bool { return r.N <= 0 || r.Per <= 0 }

// String writes r as ParseRate reads it: "30/m", or "off".
func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	for _, u := range rateUnits {
		if r.Per == u.per {
			return strconv.Itoa(r.N) + "/" + u.name
		}
	}
	return strconv.Itoa(r.N) + "/" + r.Per.String()
}

// Set parses s into r, so a *Rate is a flag.Value.
func (r *Rate) Set(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

var rateUnits = []struct {
	name string
	per  time.Duration
}{{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}

// maxRateN bounds N: beyond it a per-client limit means nothing anyway.
const maxRateN = 1_000_000

// ParseRate reads a limit as an operator types it: "30/m" (per minute),
// "5/s", "600/h", "100/10m" (any Go duration after the slash), a bare
// "30" (per minute), or "0" or "off" for no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "off" || s == "0" {
		return Rate{}, nil
	}
	num, unit, hasUnit := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 || n > maxRateN {
		return Rate{}, fmt.Errorf("rate %q: give a count such as 30/m, 5/s or 600/h, or off", s)
	}
	if n == 0 {
		return Rate{}, nil
	}
	per := time.Minute
	if hasUnit {
		if per, err = parseRateUnit(strings.TrimSpace(unit)); err != nil {
			return Rate{}, fmt.Errorf("rate %q: %w", s, err)
		}
	}
	return Rate{N: n, Per: per}, nil
}

func parseRateUnit(u string) (time.Duration, error) {
	for _, ru := range rateUnits {
		if u == ru.name {
			return ru.per, nil
		}
	}
	d, err := time.ParseDuration(u)
	if err != nil || d < time.Second || d > 24*time.Hour {
		return 0, errors.New("the period after / is s, m, h or a duration from 1s to 24h")
	}
	return d, nil
}

// RateLimits are the per-client limits on the routes people could script.
// A zero field means no limit; the zero RateLimits limits nothing.
type RateLimits struct {
	Sign    Rate // signing a petition (form and JSON)
	Confirm Rate // following links from email: confirm, withdraw, campaigner confirmation
	Respond Rate // consultation responses (form and JSON)
	Create  Rate // starting a petition
	Vote    Rate // votes (form and JSON) and voter code look-ups; wrong codes have their own limit
	Signin  Rate // staff sign-in attempts; failures also lock an account out
	Print   Rate // QR codes, posters, paper forms, signature sheets and voter letters
}

// DefaultRateLimits allow far more than one person needs, while a shared
// connection (a library, an office) still has room: a script meets them
// within a second.
var DefaultRateLimits = RateLimits{
	Sign:    Rate{20, time.Minute},
	Confirm: Rate{30, time.Minute},
	Respond: Rate{20, time.Minute},
	Create:  Rate{5, time.Hour},
	Vote:    Rate{20, time.Minute},
	Signin:  Rate{10, time.Minute},
	Print:   Rate{60, time.Minute}, // a page with its QR code, a poster and its PDF take three
}

// limitClass is one limited kind of request.
type limitClass struct {
	name string // names the limit in logs and tests
	what string // what was sent too often, for the 429 message
	rate func(RateLimits) Rate
}

var (
	classSign    = &limitClass{"sign", "signatures", func(l RateLimits) Rate { return l.Sign }}
	classConfirm = &limitClass{"confirm", "email links", func(l RateLimits) Rate { return l.Confirm }}
	classRespond = &limitClass{"respond", "responses", func(l RateLimits) Rate { return l.Respond }}
	classCreate  = &limitClass{"create", "new petitions", func(l RateLimits) Rate { return l.Create }}
	classVote    = &limitClass{"vote", "votes and voter codes", func(l RateLimits) Rate { return l.Vote }}
	classSignin  = &limitClass{"signin", "sign-in attempts", func(l RateLimits) Rate { return l.Signin }}
	classPrint   = &limitClass{"print", "QR codes, posters and printouts", func(l RateLimits) Rate { return l.Print }}
	// Information requests and follows share the signing rate, in buckets
	// of their own.
	classAsk = &limitClass{"ask", "information requests", func(l RateLimits) Rate { return l.Sign }}
)

// limitedRoutes are the routes with a per-client limit, by their ServeMux
// pattern. A route that changes state for the public belongs here.
var limitedRoutes = map[string]*limitClass{
	"POST /petitions/{id}/signatures":               classSign,
	"POST /api/petitions/{id}/signatures":           classSign,
	"GET /signatures/confirm":                       classConfirm,
	"POST /signatures/confirm":                      classConfirm,
	"POST /signatures/withdraw":                     classConfirm,
	"GET /petitions/confirm":                        classConfirm,
	"POST /petitions/confirm":                       classConfirm,
	"POST /consultations/{slug}/responses":          classRespond,
	"POST /api/consultations/{slug}/responses":      classRespond,
	"POST /petitions":                               classCreate,
	"POST /ballots/{id}/votes":                      classVote,
	"POST /api/ballots/{id}/votes":                  classVote,
	"GET /vote":                                     classVote,
	"POST /admin/signin":                            classSignin,
	"POST /contracts/{id}/requests":                 classAsk,
	"POST /api/contracts/{id}/requests":             classAsk,
	"POST /requests/{id}/followers":                 classAsk,
	"GET /requests/confirm":                         classConfirm,
	"POST /requests/confirm":                        classConfirm,
	"GET /requests/follow/confirm":                  classConfirm,
	"POST /requests/follow/confirm":                 classConfirm,
	"GET /requests/follow/stop":                     classConfirm,
	"POST /requests/follow/stop":                    classConfirm,
	"POST /contracts/{id}/reviews/{rid}/objections": classAsk,
	"GET /reviews/objections/confirm":               classConfirm,
	"POST /reviews/objections/confirm":              classConfirm,
	// Drawing is costly (a poster PDF ~11 ms of CPU, a QR code up to a
	// few MiB while drawn): each print route is limited, cache or not.
	"GET /consultations/{slug}/qr.png":                classPrint,
	"GET /consultations/{slug}/qr.svg":                classPrint,
	"GET /consultations/{slug}/poster":                classPrint,
	"GET /consultations/{slug}/poster.pdf":            classPrint,
	"GET /petitions/{id}/qr.png":                      classPrint,
	"GET /petitions/{id}/qr.svg":                      classPrint,
	"GET /petitions/{id}/poster":                      classPrint,
	"GET /petitions/{id}/poster.pdf":                  classPrint,
	"GET /ballots/{id}/qr.png":                        classPrint,
	"GET /ballots/{id}/qr.svg":                        classPrint,
	"GET /ballots/{id}/poster":                        classPrint,
	"GET /ballots/{id}/poster.pdf":                    classPrint,
	"GET /admin/consultations/{slug}/paper-forms.pdf": classPrint,
	"GET /admin/petitions/{id}/sheets.pdf":            classPrint,
	"POST /admin/ballots/{id}/codes":                  classPrint, // voter letters (PDF) or codes (CSV)
}

// rateLimiter matches requests to limitedRoutes with a ServeMux of its own,
// so the patterns mean exactly what they mean to the real one.
type rateLimiter struct {
	match   *http.ServeMux
	buckets map[*limitClass]*keyedLimiter
}

func newRateLimiter(limits RateLimits, now func() time.Time) *rateLimiter {
	rl := &rateLimiter{match: http.NewServeMux(), buckets: map[*limitClass]*keyedLimiter{}}
	for pattern, c := range limitedRoutes {
		if r := c.rate(limits); !r.Off() {
			rl.match.Handle(pattern, http.NotFoundHandler())
			rl.buckets[c] = newKeyedLimiter(r, now, limiterMaxKeys)
		}
	}
	return rl
}

// class returns the limit a request falls under, or nil.
func (rl *rateLimiter) class(r *http.Request) *limitClass {
	if len(rl.buckets) == 0 {
		return nil
	}
	_, pattern := rl.match.Handler(r)
	return limitedRoutes[pattern]
}

// rateLimit refuses a request over its client's limit with 429, a
// Retry-After header and a page (or JSON) saying when to come back.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.limits.class(r)
		if c == nil {
			next.ServeHTTP(w, r)
			return
		}
		if ok, wait, first := s.limits.buckets[c].allowNoting(clientKey(r)); !ok {
			if first { // one line per run of refusals: a flood must not flood the log too
				s.log.Warn("rate limited", "limit", c.name, "path", r.URL.Path)
			}
			s.tooManyRequests(w, r, c, wait)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// printHold is the longest a refused print request is held before its 429.
const printHold = time.Second

// rateLimitedView is the 429 page.
type rateLimitedView struct {
	What, Wait string
}

func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request, c *limitClass, wait time.Duration) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	v := rateLimitedView{What: c.what, Wait: waitWords(secs)}
	if c == classPrint {
		// Images and PDFs: a short text answer, as cheap as can be, since a
		// client over this limit is usually a script asking thousands of
		// times. It comes after up to a second (the time to the next
		// token), so a script that ignores Retry-After gets at most one
		// answer per connection per second and costs no CPU meanwhile.
		hold := time.NewTimer(min(wait, printHold))
		select {
		case <-hold.C:
		case <-r.Context().Done():
			hold.Stop()
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprintf(w, "Too many %s from your connection in a short time, so this one was not sent. Try again in %s.\n", v.What, v.Wait)
		return
	}
	if wantsJSON(r) {
		writeJSONError(w, http.StatusTooManyRequests, fmt.Sprintf("Too many %s from your connection in a short time, "+
			"so this one was not accepted and nothing was saved. Try again in %s.", v.What, v.Wait), nil)
		return
	}
	s.render(w, r, http.StatusTooManyRequests, "rate_limited", &page{Title: "Too many requests", Data: v})
}

// waitWords says a wait in words: "1 second", "40 seconds", "3 minutes".
func waitWords(secs int) string {
	n, unit := secs, "second"
	if secs > 90 {
		n, unit = (secs+59)/60, "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}

// keyedLimiter keeps a token bucket per client. The map forgets a client
// once its bucket has refilled (it is then no different from a new one),
// sweeping at most once per period, and never holds more than max clients.
type keyedLimiter struct {
	mu      sync.Mutex
	rate    Rate
	now     func() time.Time
	max     int
	clients map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim     *rate.Limiter
	seen    time.Time
	refused bool // the last request was refused
}

func newKeyedLimiter(r Rate, now func() time.Time, max int) *keyedLimiter {
	return &keyedLimiter{rate: r, now: now, max: max, clients: map[string]*bucket{}, swept: now()}
}

// allow takes a token for key. Without one it takes nothing and returns
// how long until one is there.
func (l *keyedLimiter) allow(key string) (bool, time.Duration) {
	ok, wait, _ := l.allowNoting(key)
	return ok, wait
}

// allowNoting is allow that also reports whether a refusal is the first
// since key was last allowed.
func (l *keyedLimiter) allowNoting(key string) (ok bool, wait time.Duration, first bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	if b.lim.AllowN(now, 1) {
		b.refused = false
		return true, 0, false
	}
	first, b.refused = !b.refused, true
	return false, l.wait(b, now), first
}

// blocked reports, taking nothing, whether key has no token left and how
// long until it has one.
func (l *keyedLimiter) blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.clients[key]
	if b == nil {
		return false, 0
	}
	now := l.now()
	if b.lim.TokensAt(now) >= 1 {
		return false, 0
	}
	return true, l.wait(b, now)
}

// take uses a token of key's, if it has one: for limits on failures, which
// are counted after the fact.
func (l *keyedLimiter) take(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.bucket(key, now).lim.AllowN(now, 1)
}

func (l *keyedLimiter) wait(b *bucket, now time.Time) time.Duration {
	every := l.rate.Per / time.Duration(l.rate.N)
	return time.Duration((1 - b.lim.TokensAt(now)) * float64(every))
}

func (l *keyedLimiter) bucket(key string, now time.Time) *bucket {
	if now.Sub(l.swept) >= l.rate.Per {
		l.sweep(now)
	}
	b := l.clients[key]
	if b == nil {
		if len(l.clients) >= l.max {
			l.sweep(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.rate.Per/time.Duration(l.rate.N)), l.rate.N)}
		l.clients[key] = b
	}
	b.seen = now
	return b
}

// sweep forgets clients idle for a whole period, and if the map is still
// full (a flood of addresses), any clients down to half of max.
func (l *keyedLimiter) sweep(now time.Time) {
	l.swept = now
	for k, b := range l.clients {
		if now.Sub(b.seen) >= l.rate.Per {
			delete(l.clients, k)
		}
	}
	if len(l.clients) < l.max {
		return
	}
	for k := range l.clients {
		if len(l.clients) < l.max/2 {
			break
		}
		delete(l.clients, k)
	}
}
