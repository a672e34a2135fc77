package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestCookieSealer: a sealed cookie opens only under its own name, unaltered,
// before its time runs out, and with the key that sealed it.
func TestCookieSealer(t *testing.T) {
	now := time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
	c := newCookieSealer([]byte("key one"), "", func() time.Time { return now })
	rec := httptest.NewRecorder()
	c.set(rec, "a", voteReceipt{Ballot: 7, Receipt: "ABCD-EFGH-JKLM"}, time.Hour)
	ck := rec.Result().Cookies()[0]
	open := func(s *cookieSealer, name, value string) (voteReceipt, bool) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: name, Value: value})
		var v voteReceipt
		ok := s.get(r, name, &v)
		return v, ok
	}
	if v, ok := open(c, "a", ck.Value); !ok || v.Receipt != "ABCD-EFGH-JKLM" || v.Ballot != 7 {
		t.Fatalf("got %+v, %v, want the receipt back", v, ok)
	}
	if _, ok := open(c, "b", ck.Value); ok {
		t.Errorf("a cookie opened under another name")
	}
	bad := []byte(ck.Value)
	bad[len(bad)/2] ^= 1
	if _, ok := open(c, "a", string(bad)); ok {
		t.Errorf("an altered cookie opened")
	}
	other := newCookieSealer([]byte("key two"), "", c.now)
	if _, ok := open(other, "a", ck.Value); ok {
		t.Errorf("a cookie opened with another key")
	}
	now = now.Add(time.Hour)
	if _, ok := open(c, "a", ck.Value); ok {
		t.Errorf("a cookie opened after its time ran out")
	}
	if s := newCookieSealer(nil, "https://say.example", c.now); s.cookie("a", "", 1).Name != "__Host-a" || !s.cookie("a", "", 1).Secure {
		t.Errorf("over https a cookie must be Secure with a __Host- name")
	}
}
