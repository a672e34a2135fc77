//go:build pprof

package main

import (
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
	"os"
)

// A binary built with -tags pprof serves the Go profiler on the loopback
// address in OURSAY_PPROF_ADDR (e.g. 127.0.0.1:6060), for measuring with
// cmd/oursay-load. Release builds have no such listener.
func init() {
	addr := os.Getenv("OURSAY_PPROF_ADDR")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return
	}
	go http.ListenAndServe(addr, nil)
}
