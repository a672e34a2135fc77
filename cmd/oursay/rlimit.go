//go:build unix

package main

import (
	"log/slog"
	"syscall"
)

// wantOpenFiles is the open-file limit serve asks for: every live websocket
// and every keep-alive connection is a descriptor, and the live hub alone
// admits 20,000 connections by default.
const wantOpenFiles = 1 << 20

// raiseFileLimit lifts the open-file limit before serving. Go already moves
// the soft limit up to the hard one; this also lifts the hard limit where
// the process is allowed to (root, or CAP_SYS_RESOURCE), and says in the
// log what the limit is, so an operator sees why connections are refused.
func raiseFileLimit(log *slog.Logger) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	for _, n := range []uint64{max(lim.Max, wantOpenFiles), lim.Max} {
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: n, Max: max(n, lim.Max)}) == nil {
			lim.Cur = n
			break
		}
	}
	if lim.Cur < 2*20_000 {
		log.Warn("open-file limit is low for live connections; raise it with ulimit -n", "limit", lim.Cur)
		return
	}
	log.Info("open-file limit", "limit", lim.Cur)
}
