//go:build browser

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Set once by TestMain and shared by every test: one Chromium for the whole
// run (each test gets its own browser context, so cookies never leak between
// tests), one oursay binary, the axe-core source.
var (
	repoRoot   string
	binPath    string
	axeSource  string
	browserCtx context.Context

	// chromiumOutput is a file holding what Chromium prints, shown if it
	// fails to start (a file, so its writer needs no lock of ours).
	chromiumOutput *os.File
)

// chromiumSaid is what Chromium has printed so far.
func chromiumSaid() string {
	b, err := os.ReadFile(chromiumOutput.Name())
	if err != nil {
		return "(its output could not be read: " + err.Error() + ")"
	}
	return string(b)
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoRoot, err = findRepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	axePath := filepath.Join(repoRoot, "web", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(axePath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: %v\n(run `make assets`, which installs web/node_modules with npm ci)\n", err)
		return 1
	}
	axeSource = string(src)

	chromium := os.Getenv("OURSAY_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: no Chromium at %s (apt-get install chromium, or set OURSAY_CHROMIUM): %v\n", chromium, err)
		return 1
	}

	tmp, err := os.MkdirTemp("", "oursay-browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	binPath = filepath.Join(tmp, "oursay")
	start := time.Now()
	build := exec.Command("go", "build", "-o", binPath, "./cmd/oursay")
	build.Dir = repoRoot
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: go build ./cmd/oursay:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "browsertest: built oursay in %v\n", time.Since(start).Round(time.Millisecond))

	if chromiumOutput, err = os.CreateTemp("", "oursay-chromium-*.log"); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: %v\n", err)
		return 1
	}
	defer os.Remove(chromiumOutput.Name())
	defer chromiumOutput.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// No back/forward cache: Back must work from what the server and the
		// HTTP cache give, as it does once a browser has evicted the page
		// (and a page restored from it fires no load event to wait for).
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"),
		chromedp.WindowSize(1024, 800),
		chromedp.CombinedOutput(chromiumOutput),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var cancelBrowser context.CancelFunc
	browserCtx, cancelBrowser = chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// Generous: a busy CI machine can take a while to bring Chromium up.
	// No timeout on the context itself: the browser lives as long as it.
	start = time.Now()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err := <-started:
		if err != nil {
			fmt.Fprintf(os.Stderr, "browsertest: starting Chromium: %v\n%s\n", err, chromiumSaid())
			return 1
		}
	case <-time.After(90 * time.Second):
		fmt.Fprintf(os.Stderr, "browsertest: Chromium did not start within 90s\n%s\n", chromiumSaid())
		return 1
	}
	fmt.Fprintf(os.Stderr, "browsertest: Chromium started in %v\n", time.Since(start).Round(time.Millisecond))
	return m.Run()
}

// findRepoRoot walks up from the package directory to the go.mod.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
}
