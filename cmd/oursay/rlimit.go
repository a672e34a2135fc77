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
// log what the limit is. It warns only when the limit is below need, what
// --live-max-conns asks for, so an operator sees why connections would be
// refused.
func raiseFileLimit(log *slog.Logger, need uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	for _, n := range []uint64{max(lim.Max, wantOpenFiles, need), lim.Max} {
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: n, Max: max(n, lim.Max)}) == nil {
			lim.Cur = n
			break
		}
	}
	logFileLimit(log, lim.Cur, need)
}

// logFileLimit says what the open-file limit is, as a warning when it is
// below need.
func logFileLimit(log *slog.Logger, limit, need uint64) {
	if limit < need {
		log.Warn("open-file limit is below what --live-max-conns needs: raise it (ulimit -n, or LimitNOFILE= in a systemd unit) or lower --live-max-conns",
			"limit", limit, "need", need)
		return
	}
	log.Info("open-file limit", "limit", limit)
}
