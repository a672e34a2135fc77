package db

// int oursay_walvfs_register(void);
// void oursay_walvfs_check_syncs(int on, long *checked, long *shortSyncs);
// long oursay_walvfs_gathered(void);
// int oursay_walvfs_fail_flush(const char *path, int nth, int rc);
// #include <stdlib.h>
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// walVFS names the VFS (walvfs.c) that the writer connection opens the
// database with. It is SQLite's unix VFS but for one thing: SQLite writes
// each WAL frame as two pwrite calls, its 24-byte header and its page, so
// a group commit of a dozen votes, which changes some 50 pages, made about
// 100 system calls before its fsync. The VFS gathers a WAL file's writes
// while each continues the one before and hands them to the file as one
// write of up to 124 KiB when SQLite next does anything else with that file
// (read, size, sync, truncate, close), publishes frames to other
// connections (the shared-memory barrier before the WAL index's header) or
// gives up an exclusive lock. What reaches the disk, and when it is synced,
// is unchanged: the bytes are written before the commit's fsync, as
// before, so a crash loses what it lost before. If writing gathered bytes
// fails, the transaction that wrote them fails, as it would have without
// the VFS, even when the failure came while another connection published
// its frames. It needs synchronous=FULL, which DB.open checks, and gathers
// nothing for a database opened without powersafe overwrite (psow=0),
// whose commits write after their sync.
//
// Measured by alternating 8-second runs of oursay-load against the same
// build without it; see the commit message.
const walVFS = "oursay-wal"

var (
	walVFSOnce sync.Once
	walVFSErr  error
)

// registerWALVFS registers walVFS with SQLite, once per process.
func registerWALVFS() error {
	walVFSOnce.Do(func() {
		if rc := C.oursay_walvfs_register(); rc != 0 {
			walVFSErr = fmt.Errorf("register the %s VFS: SQLite error %d", walVFS, int(rc))
		}
	})
	return walVFSErr
}

// checkWALSyncs turns on or off a check, made at each WAL sync of walVFS,
// that the file then holds every byte SQLite has written to it since the
// sync before; it returns how many syncs were checked and how many found
// the file short since the check was last turned on. For tests: it costs
// an fstat a sync.
func checkWALSyncs(on bool) (checked, short int64) {
	var c, s C.long
	flag := C.int(0)
	if on {
		flag = 1
	}
	C.oursay_walvfs_check_syncs(flag, &c, &s)
	return int64(c), int64(s)
}

// walGathered returns how many WAL writes walVFS has gathered in a buffer
// since the process started. For tests.
func walGathered() int64 { return int64(C.oursay_walvfs_gathered()) }

// failWALFlush makes the nth flush from now of the WAL file at walPath fail
// with the SQLite error code rc, writing nothing, as a full disk or an I/O
// error would; nth 0 cancels it. It returns how many flushes the previous
// call was still waiting for: 0 once its failure has happened. For tests.
func failWALFlush(walPath string, nth, rc int) (left int) {
	p := C.CString(walPath)
	defer C.free(unsafe.Pointer(p))
	return int(C.oursay_walvfs_fail_flush(p, C.int(nth), C.int(rc)))
}
