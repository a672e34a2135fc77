// The "oursay-wal" VFS: SQLite's own unix VFS, except that a WAL file's
// writes are gathered in memory while they run on from one another and
// reach the file in as few pwrite calls as they fit, when SQLite next does
// anything else with that file (above all its fsync at a commit) or
// publishes new frames to other connections. See walvfs.go for why.
//
// The declarations below are SQLite's public, stable C interface for VFSes
// (https://sqlite.org/c3ref/vfs.html, io_methods.html, file.html), written
// out here under names of our own, because the amalgamation's header lives
// in the go-sqlite3 module, out of reach of this package's cgo flags. The
// functions come from that same module's object code at link time.

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef long long osq_int64;

typedef struct osq_file osq_file;
typedef struct osq_io_methods osq_io_methods;
typedef struct osq_vfs osq_vfs;

struct osq_file {
	const osq_io_methods *pMethods;
};

struct osq_io_methods {
	int iVersion;
	int (*xClose)(osq_file *);
	int (*xRead)(osq_file *, void *, int, osq_int64);
	int (*xWrite)(osq_file *, const void *, int, osq_int64);
	int (*xTruncate)(osq_file *, osq_int64);
	int (*xSync)(osq_file *, int);
	int (*xFileSize)(osq_file *, osq_int64 *);
	int (*xLock)(osq_file *, int);
	int (*xUnlock)(osq_file *, int);
	int (*xCheckReservedLock)(osq_file *, int *);
	int (*xFileControl)(osq_file *, int, void *);
	int (*xSectorSize)(osq_file *);
	int (*xDeviceCharacteristics)(osq_file *);
	// iVersion 2
	int (*xShmMap)(osq_file *, int, int, int, void volatile **);
	int (*xShmLock)(osq_file *, int, int, int);
	void (*xShmBarrier)(osq_file *);
	int (*xShmUnmap)(osq_file *, int);
	// iVersion 3
	int (*xFetch)(osq_file *, osq_int64, int, void **);
	int (*xUnfetch)(osq_file *, osq_int64, void *);
};

struct osq_vfs {
	int iVersion;
	int szOsFile;
	int mxPathname;
	osq_vfs *pNext;
	const char *zName;
	void *pAppData;
	int (*xOpen)(osq_vfs *, const char *, osq_file *, int, int *);
	// The rest (xDelete ... xNextSystemCall) is copied from the unix VFS
	// as it is: none of those use the VFS pointer but for pAppData, which
	// is copied too.
	void *rest[15];
};

extern osq_vfs *sqlite3_vfs_find(const char *);
extern int sqlite3_vfs_register(osq_vfs *, int);
extern osq_file *sqlite3_database_file_object(const char *);

#define OSQ_OK 0
#define OSQ_ERROR 1
#define OSQ_IOERR_WRITE (10 | (3 << 8))
#define OSQ_IOCAP_POWERSAFE_OVERWRITE 0x00001000
#define OSQ_OPEN_WAL 0x00080000
#define OSQ_SHM_UNLOCK 1
#define OSQ_SHM_EXCLUSIVE 8

// unixWrite takes at most 0x1ffff bytes a call; a WAL frame is 24 bytes
// of header and a page, so a buffer of 31 4 KiB pages holds 30 frames.
#define OSQ_BUF_CAP (31 * 4096)

typedef struct walfile walfile;

// walfile is what SQLite holds for a file of this VFS. For a WAL file, buf
// holds n bytes not yet written, which belong at offset off. The real
// file's state follows the struct in the same allocation (szOsFile).
struct walfile {
	osq_file base;
	osq_file *real;
	int wal;
	unsigned char *buf;
	osq_int64 off;
	int n;
	osq_int64 hi;        // the end of the furthest write since the last sync
	int lost;            // a flush failed and SQLite has not been told yet
	const char *name;    // SQLite keeps it valid until xClose
	walfile *prev, *next; // in pending, while n > 0
};

static osq_vfs *unixVfs;
static osq_vfs walVfs;
static osq_io_methods methods[4]; // indexed by the real file's iVersion

// mu guards every WAL file's buffer and the pending list: the files with
// bytes not yet written.
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static walfile *pending;

// With checkSyncs set (by a test), each WAL sync first checks that the
// file holds every byte SQLite has written to it since the sync before,
// and counts the syncs checked and those that found it short.
static int checkSyncs;
static long syncsChecked, syncsShort;

// Test hooks: gathered counts the writes kept in a buffer; failPath, when
// set, makes the failIn-th flush of that WAL file from now fail with
// failRC without writing, as a full disk or an I/O error would.
static long gathered;
static char *failPath;
static int failIn, failRC;

// unpend empties f's buffer and takes it off the pending list; mu is held.
static void unpend(walfile *f) {
	f->n = 0;
	if (f->prev) {
		f->prev->next = f->next;
	} else if (pending == f) {
		pending = f->next;
	}
	if (f->next) {
		f->next->prev = f->prev;
	}
	f->prev = f->next = NULL;
}

// flushLocked writes f's buffered bytes; mu is held. A failed write drops
// them, as a failed pwrite in SQLite's own VFS leaves them unwritten: kept,
// they would be written later, perhaps a failed commit's frames over the
// next transaction's. It marks f lost instead, until SQLite is told.
static int flushLocked(walfile *f) {
	if (f->n == 0) {
		return OSQ_OK;
	}
	int rc;
	if (failPath && failIn > 0 && strcmp(f->name, failPath) == 0 && --failIn == 0) {
		rc = failRC;
	} else {
		rc = f->real->pMethods->xWrite(f->real, f->buf, f->n, f->off);
	}
	unpend(f);
	if (rc != OSQ_OK) {
		f->lost = 1;
	}
	return rc;
}

// flush writes f's buffered bytes before SQLite does anything else with
// the file, so every other method sees the file as SQLite wrote it. Once
// a flush has failed, here or for another connection (flushAll, which
// cannot report it), every method that can return an error returns an I/O
// error until xRead or xSync has returned one (see report). SQLite
// rolls the whole transaction back on an I/O error from a statement, where
// a full disk met by a read would undo that statement alone and let the
// transaction commit over the bytes that were dropped.
static int flush(walfile *f) {
	if (!f->wal) {
		return OSQ_OK;
	}
	pthread_mutex_lock(&mu);
	flushLocked(f);
	int rc = f->lost ? OSQ_IOERR_WRITE : OSQ_OK;
	pthread_mutex_unlock(&mu);
	return rc;
}

// report is flush for xRead and xSync, whose errors SQLite always acts on:
// once one has returned the I/O error, SQLite has been told and f is no
// longer lost. Errors from the other methods may be only logged (a WAL
// truncation that fails, say), so they leave f lost. (A failed flush in
// xWrite is returned as it is, and the rollback that follows reads.)
static int report(walfile *f) {
	int rc = flush(f);
	if (rc != OSQ_OK) {
		pthread_mutex_lock(&mu);
		f->lost = 0;
		pthread_mutex_unlock(&mu);
	}
	return rc;
}

// flushAll writes every WAL file's buffered bytes. SQLite calls
// xShmBarrier on the database file between writing a commit's frames and
// publishing them in the WAL index header, where other connections look
// for frames (the header is only whole again after the barrier): with
// synchronous=FULL the commit's fsync has flushed them by then, but without
// it (NORMAL) this is what puts them in the file before anyone reads them.
// A failure here cannot be returned (xShmBarrier has no result): this VFS
// is for connections with synchronous=FULL, whose commits are flushed and
// synced at xSync, before the barrier (db.open checks the writer's
// setting). The barrier and the unlocks below are the backstop; a file
// whose flush fails here is marked lost (see flush).
static void flushAll(void) {
	pthread_mutex_lock(&mu);
	walfile *f = pending;
	while (f) {
		walfile *next = f->next;
		flushLocked(f);
		f = next;
	}
	pthread_mutex_unlock(&mu);
}

static int walClose(osq_file *pf) {
	walfile *f = (walfile *)pf;
	int rc = flush(f);
	int rc2 = f->real->pMethods->xClose(f->real);
	free(f->buf);
	f->buf = NULL;
	return rc != OSQ_OK ? rc : rc2;
}

static int walRead(osq_file *pf, void *p, int amt, osq_int64 off) {
	walfile *f = (walfile *)pf;
	int rc = report(f);
	if (rc != OSQ_OK) {
		return rc;
	}
	return f->real->pMethods->xRead(f->real, p, amt, off);
}

static int walWrite(osq_file *pf, const void *p, int amt, osq_int64 off) {
	walfile *f = (walfile *)pf;
	if (!f->wal) {
		return f->real->pMethods->xWrite(f->real, p, amt, off);
	}
	pthread_mutex_lock(&mu);
	if (off + amt > f->hi) {
		f->hi = off + amt;
	}
	int rc = OSQ_OK;
	if (f->n > 0 && (off != f->off + f->n || f->n + amt > OSQ_BUF_CAP)) {
		rc = flushLocked(f);
	}
	if (rc == OSQ_OK && amt > OSQ_BUF_CAP) {
		rc = f->real->pMethods->xWrite(f->real, p, amt, off);
	} else if (rc == OSQ_OK) {
		if (f->buf == NULL && (f->buf = malloc(OSQ_BUF_CAP)) == NULL) {
			rc = f->real->pMethods->xWrite(f->real, p, amt, off);
		} else {
			if (f->n == 0) {
				f->off = off;
				f->next = pending;
				f->prev = NULL;
				if (pending) {
					pending->prev = f;
				}
				pending = f;
			}
			memcpy(f->buf + f->n, p, amt);
			f->n += amt;
			gathered++;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

static int walTruncate(osq_file *pf, osq_int64 size) {
	walfile *f = (walfile *)pf;
	int rc = flush(f);
	if (rc != OSQ_OK) {
		return rc;
	}
	rc = f->real->pMethods->xTruncate(f->real, size);
	if (rc == OSQ_OK && size < f->hi) {
		f->hi = size;
	}
	return rc;
}

static int walSync(osq_file *pf, int flags) {
	walfile *f = (walfile *)pf;
	int rc = report(f);
	if (rc != OSQ_OK) {
		return rc;
	}
	// What this connection wrote before this sync is checked now. Another
	// connection may truncate the WAL before the next one (a TRUNCATE
	// checkpoint), so the next check looks only at what is written after.
	pthread_mutex_lock(&mu);
	int check = checkSyncs && f->wal;
	osq_int64 hi = f->hi;
	f->hi = 0;
	pthread_mutex_unlock(&mu);
	if (check) {
		osq_int64 size = 0;
		rc = f->real->pMethods->xFileSize(f->real, &size);
		pthread_mutex_lock(&mu);
		syncsChecked++;
		if (rc != OSQ_OK || size < hi) {
			syncsShort++;
		}
		pthread_mutex_unlock(&mu);
	}
	return f->real->pMethods->xSync(f->real, flags);
}

static int walFileSize(osq_file *pf, osq_int64 *size) {
	walfile *f = (walfile *)pf;
	int rc = flush(f);
	return rc != OSQ_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int walLock(osq_file *pf, int lock) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xLock(f->real, lock);
}

static int walUnlock(osq_file *pf, int lock) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int walCheckReservedLock(osq_file *pf, int *out) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int walFileControl(osq_file *pf, int op, void *arg) {
	walfile *f = (walfile *)pf;
	int rc = flush(f);
	return rc != OSQ_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int walSectorSize(osq_file *pf) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xSectorSize(f->real);
}

static int walDeviceCharacteristics(osq_file *pf) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int walShmMap(osq_file *pf, int pg, int size, int extend, void volatile **pp) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xShmMap(f->real, pg, size, extend, pp);
}

// Before SQLite gives up an exclusive lock (the WAL's write lock among
// them), the bytes it wrote under it are written: a transaction that
// spilled pages to the WAL and then rolled back does nothing else to the
// file, and its bytes, written after another writer had committed over the
// same offsets, would overwrite that commit. (In exclusive locking mode
// SQLite takes no such lock, but it gives up the file's lock only after a
// later transaction has begun, at a barrier, which flushes.)
static int walShmLock(osq_file *pf, int offset, int n, int flags) {
	walfile *f = (walfile *)pf;
	if ((flags & OSQ_SHM_UNLOCK) && (flags & OSQ_SHM_EXCLUSIVE)) {
		flushAll();
	}
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void walShmBarrier(osq_file *pf) {
	walfile *f = (walfile *)pf;
	flushAll();
	f->real->pMethods->xShmBarrier(f->real);
}

static int walShmUnmap(osq_file *pf, int del) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xShmUnmap(f->real, del);
}

static int walFetch(osq_file *pf, osq_int64 off, int amt, void **pp) {
	walfile *f = (walfile *)pf;
	int rc = flush(f);
	return rc != OSQ_OK ? rc : f->real->pMethods->xFetch(f->real, off, amt, pp);
}

static int walUnfetch(osq_file *pf, osq_int64 off, void *p) {
	walfile *f = (walfile *)pf;
	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static int walOpen(osq_vfs *vfs, const char *name, osq_file *pf, int flags, int *outFlags) {
	walfile *f = (walfile *)pf;
	memset(f, 0, sizeof *f);
	f->real = (osq_file *)(f + 1);
	int rc = unixVfs->xOpen(unixVfs, name, f->real, flags, outFlags);
	const osq_io_methods *m = f->real->pMethods;
	if (rc != OSQ_OK) {
		if (m) {
			m->xClose(f->real);
		}
		return rc;
	}
	if (m == NULL || m->iVersion < 1 || m->iVersion > 3) {
		if (m) {
			m->xClose(f->real);
		}
		return OSQ_ERROR;
	}
	f->wal = (flags & OSQ_OPEN_WAL) != 0;
	f->name = name;
	if (f->wal) {
		// Without powersafe overwrite (psow=0) SQLite pads a commit to a
		// sector and writes the end of its last frame after the sync
		// (walWriteToLog): gathered, those bytes would wait for the
		// barrier, which cannot report a failure. Gather nothing then.
		osq_file *db = sqlite3_database_file_object(name);
		if (db == NULL || db->pMethods == NULL ||
		    !(db->pMethods->xDeviceCharacteristics(db) & OSQ_IOCAP_POWERSAFE_OVERWRITE)) {
			f->wal = 0;
		}
	}
	f->base.pMethods = &methods[m->iVersion];
	return OSQ_OK;
}

// oursay_walvfs_register registers the VFS, once, and returns 0 or an
// SQLite error code. It is not the default: only connections that name it
// (vfs=oursay-wal) use it.
int oursay_walvfs_register(void) {
	unixVfs = sqlite3_vfs_find("unix");
	if (unixVfs == NULL) {
		return OSQ_ERROR;
	}
	if (unixVfs->iVersion != 3) {
		return OSQ_ERROR;
	}
	osq_io_methods m = {
		3, walClose, walRead, walWrite, walTruncate, walSync, walFileSize,
		walLock, walUnlock, walCheckReservedLock, walFileControl,
		walSectorSize, walDeviceCharacteristics,
		walShmMap, walShmLock, walShmBarrier, walShmUnmap,
		walFetch, walUnfetch,
	};
	methods[3] = m;
	methods[2] = m;
	methods[2].iVersion = 2;
	methods[2].xFetch = NULL;
	methods[2].xUnfetch = NULL;
	methods[1] = methods[2];
	methods[1].iVersion = 1;
	methods[1].xShmMap = NULL;
	methods[1].xShmLock = NULL;
	methods[1].xShmBarrier = NULL;
	methods[1].xShmUnmap = NULL;
	walVfs = *unixVfs;
	walVfs.pNext = NULL;
	walVfs.zName = "oursay-wal";
	walVfs.szOsFile = (int)sizeof(walfile) + unixVfs->szOsFile;
	walVfs.xOpen = walOpen;
	return sqlite3_vfs_register(&walVfs, 0);
}

// oursay_walvfs_check_syncs turns the sync check on or off and returns the
// syncs checked and those found short since it was last turned on.
void oursay_walvfs_check_syncs(int on, long *checked, long *shortSyncs) {
	pthread_mutex_lock(&mu);
	*checked = syncsChecked;
	*shortSyncs = syncsShort;
	if (on && !checkSyncs) {
		syncsChecked = syncsShort = 0;
	}
	checkSyncs = on;
	pthread_mutex_unlock(&mu);
}

// oursay_walvfs_gathered returns how many writes have been gathered in a
// buffer since the process started.
long oursay_walvfs_gathered(void) {
	pthread_mutex_lock(&mu);
	long n = gathered;
	pthread_mutex_unlock(&mu);
	return n;
}

// oursay_walvfs_fail_flush makes the nth flush from now of the WAL file at
// path fail with rc (nth 0: none); path is copied. It returns how many
// flushes the previous call was still waiting for (0: it failed one, or
// there was none).
int oursay_walvfs_fail_flush(const char *path, int nth, int rc) {
	pthread_mutex_lock(&mu);
	int left = failPath ? failIn : 0;
	free(failPath);
	failPath = nth > 0 ? strdup(path) : NULL;
	failIn = nth;
	failRC = rc;
	pthread_mutex_unlock(&mu);
	return left;
}
