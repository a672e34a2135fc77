package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestPetition_MailedLinksAreSigned: the web tests are wired as serve is
// (package wire), so the links a signer is mailed are signed links, as in
// production: no token hash is stored for the signature, and the mailed
// link confirms it.
func TestPetition_MailedLinksAreSigned(t *testing.T) {
	e := newPetitionEnv(t, 100)
	id := e.startPetition("live")
	before, _ := e.apiCount(id)
	f := url.Values{"name": {"Pat Signer"}, "email": {"pat@example.org"}, "postcode": {"AB1 2CD"}, "resident": {"yes"}}
	if res := e.post(e.client(), fmt.Sprintf("/petitions/%d/signatures", id), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: got %d, want 303", res.StatusCode)
	}
	var rows, hashed int
	err := e.db.Writer().QueryRow(`SELECT COUNT(*), COUNT(confirm_token_hash) + COUNT(withdraw_token_hash)
		FROM signatures WHERE email = ?`, "pat@example.org").Scan(&rows, &hashed)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 1 || hashed != 0 {
		t.Fatalf("got %d signatures with %d stored token hashes, want 1 with none (signed links)", rows, hashed)
	}
	if res, _ := e.follow(e.anon, e.link("pat@example.org", "/signatures/confirm")); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm link: got %d, want 200", res.StatusCode)
	}
	if after, _ := e.apiCount(id); before == nil || after == nil || *after != *before+1 {
		t.Errorf("count: got %v after %v, want one more", after, before)
	}
}
