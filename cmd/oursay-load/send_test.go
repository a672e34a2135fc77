package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
)

// TestSend: send reads a page it does not keep to the end, so the next
// request reuses the connection, and a wrong status is an error that names
// the request, both statuses and the start of the answer.
func TestSend(t *testing.T) {
	page := strings.Repeat("<p>consultation</p>\n", 2000) // 40 KB, more than one read
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.Error(w, "There is no consultation at this address", http.StatusNotFound)
			return
		}
		w.Write([]byte(page))
	}))
	defer srv.Close()
	e := &env{base: srv.URL, client: newClient(1)}

	reused := make([]bool, 0, 3)
	for range 3 {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL+"/page", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.send(req, http.StatusOK); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	if len(reused) != 3 || reused[0] || !reused[1] || !reused[2] {
		t.Errorf("connections reused = %v, want [false true true]: a body not read to the end closes the connection", reused)
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/missing", nil)
	err := e.send(req, http.StatusOK)
	if err == nil {
		t.Fatal("send of a 404 with want 200: no error")
	}
	for _, want := range []string{"GET /missing", "404, want 200", "There is no consultation at this address"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
