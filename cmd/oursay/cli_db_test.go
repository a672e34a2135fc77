package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// TestBackupCommand: `oursay backup` taken while another connection keeps
// writing holds every write committed before it began, is consistent (each
// account with its audit entry, as they commit together), opens and passes
// its checks.
func TestBackupCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "o.db"), filepath.Join(dir, "copy.db")
	d, err := db.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	key, _, err := loadCodeKey(src + ".key") // as serve would, so the entries are sealed
	if err != nil {
		t.Fatal(err)
	}
	d.SetAuditKey(db.AuditKey(key))
	users := db.NewUserStore(d)
	var written atomic.Int64
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			u := &consult.User{Email: "u" + strconv.Itoa(i) + "@council.gov.uk", Role: consult.RoleModerator, PasswordHash: "x"}
			if err := users.CreateUser(ctx, u, "test"); err != nil {
				done <- err
				return
			}
			written.Add(1)
		}
	}()
	waitFor(t, func() bool { return written.Load() >= 50 })
	before := written.Load()
	out, err := runCLI(t, "", "backup", "--db", src, "--out", dst)
	during := written.Load() - before
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err != nil || out != "backup written to "+dst+" (integrity check ok)\n" {
		t.Fatalf("got %q, %v", out, err)
	}
	if during == 0 {
		t.Fatal("the writer wrote nothing while the backup ran, so this proved nothing")
	}
	raw, err := sql.Open("sqlite3", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var nUsers, nAudit int64
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM audit_log)`).Scan(&nUsers, &nAudit); err != nil {
		t.Fatal(err)
	}
	if nUsers != nAudit || nUsers < before || nUsers > written.Load() {
		t.Errorf("copy has %d accounts and %d audit entries; want equal, from %d (written before the backup) to %d",
			nUsers, nAudit, before, written.Load())
	}
	if out, err := runCLI(t, "", "audit", "verify", "--db", dst, "--key-file", src+".key"); err != nil ||
		!strings.HasPrefix(out, "audit log intact: "+strconv.FormatInt(nAudit, 10)+" entries checked, all sealed;") {
		t.Errorf("copy's audit log: got %q, %v", out, err)
	}
	t.Logf("%d accounts before the backup, %d written while it ran, %d in the copy", before, during, nUsers)
	if _, err := runCLI(t, "", "backup", "--db", src, "--out", dst); err == nil || !strings.Contains(err.Error(), dst) {
		t.Errorf("overwriting a backup: got %v, want an error naming %s", err, dst)
	}
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		runtime.Gosched()
	}
}

// TestOpenError_FolderNotWritable: a database whose folder the server's
// user cannot write fails to open (WAL mode must create DB-wal beside it),
// and the error names the path and says that. Root can write anywhere, so
// as root the binary runs as nobody (setpriv).
func TestOpenError_FolderNotWritable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux file modes and setpriv")
	}
	dir, err := os.MkdirTemp("", "oursay-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755); os.RemoveAll(dir) })
	bin, dbDir := filepath.Join(dir, "oursay"), filepath.Join(dir, "data")
	if out, err := exec.Command(goBin(), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if err := os.Mkdir(dbDir, 0o755); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dbDir, "o.db")
	if out, err := runCLI(t, "a long enough password\n", "admin", "create", "--db", dbPath, "--email", "a@council.gov.uk"); err != nil {
		t.Fatalf("%s %v", out, err)
	}
	// Closed cleanly, so no -wal or -shm is left to reuse.
	if _, err := os.Stat(dbPath + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("%s-wal is left after a clean close (%v); the test needs it gone", dbPath, err)
	}
	var cmd *exec.Cmd
	args := []string{"audit", "verify", "--db", dbPath}
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot make a folder unwritable")
		}
		// nobody owns the database file but not its folder.
		for _, p := range []string{dir, dbDir} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chown(dbPath, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
	} else {
		if err := os.Chmod(dbDir, 0o555); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(bin, args...)
	}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("got %v, %s; want exit 1", err, out)
	}
	want := "oursay: database " + dbPath + ": open db: attempt to write a readonly database (the folder " + dbDir +
		" is not writable by this user, so SQLite cannot create o.db-wal and o.db-shm beside the database: " +
		"make the folder writable by the user oursay runs as, or put the database in a folder that is)\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// goBin is the go command that runs this test.
func goBin() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}
