// Package browsertest drives the real oursay binary in headless Chromium,
// the way residents, voters and council officers use it: the journeys
// (answer a consultation, sign a petition and watch the count move, start
// a petition through sponsors and publication as a campaigner, be told a
// held signature counts once checked, vote with a code, run a consultation
// as an officer) and an axe-core
// accessibility check (WCAG 2.2 AA) of every page, with a 320 px reflow check
// and a keyboard-only journey.
//
// The tests carry the build tag "browser", so a plain `go test ./...` passes
// on a machine without Chromium; `make test` runs them:
//
//	go test -tags browser ./web/browsertest/
//
// They need /usr/bin/chromium (or OURSAY_CHROMIUM) and web/node_modules
// (axe-core, installed by `make assets`). Screenshots and the HTML of a
// failing page go under OURSAY_BROWSER_ARTIFACTS, or browser-artifacts/ at
// the top of the repository; the test log names each file.
package browsertest
