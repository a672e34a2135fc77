package main

import (
	"context"
	"fmt"
	"regexp"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

var demoTokenRE = regexp.MustCompile(`token=([A-Z2-7]+)`)

// loadDemoPetitions adds two petitions against the first demo contract: one
// open with a live count, and one that has met its threshold. They go
// through the real lifecycle: campaigner confirmed, five sponsors, published.
// The demo reads its own links back out of the outbox, as a person would
// from the email; they start with base, so the mails work as sent.
func loadDemoPetitions(ctx context.Context, d *db.DB, base string, contracts []*ballot.Contract, e ballot.Electorate) error {
	if len(contracts) < 2 {
		return fmt.Errorf("demo petitions need two contracts, got %d", len(contracts))
	}
	ps := db.NewPetitionStore(d)
	ps.BaseURL = base
	live := &ballot.Petition{ContractID: contracts[0].ID, CountPolicy: ballot.CountLive,
		Title:          "Recall the " + contracts[0].Provider + " contract at the next break point",
		Reasons:        "Bins are missed every week in some streets, and the provider's own figures show it failing its targets.",
		CampaignerName: "Alex Campaigner", CampaignerEmail: "alex@demo.invalid"}
	met := &ballot.Petition{ContractID: contracts[1].ID, CountPolicy: ballot.CountLive,
		Title:          "Bring " + contracts[1].Service + " back in house",
		Reasons:        "Prices have doubled and opening hours have been cut since the contract began.",
		CampaignerName: "Robin Organiser", CampaignerEmail: "robin@demo.invalid"}
	for i, dp := range []struct {
		p      *ballot.Petition
		rule   ballot.RecallRule
		online int
		paper  int
	}{{live, contracts[0].Recall, 12, 30}, {met, contracts[1].Recall, 8, 0}} {
		if err := openDemoPetition(ctx, d, ps, dp.p, dp.rule, e, i); err != nil {
			return err
		}
		threshold := dp.p.Threshold
		if dp.p == met {
			dp.paper = threshold // enough to meet it
		}
		if err := demoSignatures(ctx, d, ps, dp.p, dp.online, dp.paper, i); err != nil {
			return err
		}
	}
	return nil
}

func openDemoPetition(ctx context.Context, d *db.DB, ps *db.PetitionStore, p *ballot.Petition, rule ballot.RecallRule, e ballot.Electorate, n int) error {
	if err := ps.CreatePetition(ctx, p, ps.BaseURL); err != nil {
		return err
	}
	tok, err := demoToken(ctx, d, p.CampaignerEmail)
	if err != nil {
		return err
	}
	if _, _, err := ps.ConfirmCampaigner(ctx, tok); err != nil {
		return err
	}
	share, err := ps.ShareToken(ctx, p.ID)
	if err != nil {
		return err
	}
	for i := range ballot.DefaultSponsors {
		addr := fmt.Sprintf("sponsor%d.%d@demo.invalid", n, i)
		s := &ballot.Signature{Name: fmt.Sprintf("Sponsor %c%d", 'A'+i, n), Email: addr, Postcode: demoPostcodes[i%len(demoPostcodes)], Resident: true}
		if err := demoSignAndConfirm(ctx, d, ps, p.ID, s, share); err != nil {
			return err
		}
	}
	if err := ps.Publish(ctx, p.ID, rule, e, demoActor); err != nil {
		return err
	}
	got, err := ps.Petition(ctx, p.ID)
	if err != nil {
		return err
	}
	*p = *got
	return nil
}

// demoSignatures adds online signatures (confirmed from their email links)
// and paper ones from numbered sheets.
func demoSignatures(ctx context.Context, d *db.DB, ps *db.PetitionStore, p *ballot.Petition, online, paper, n int) error {
	for i := range online {
		s := &ballot.Signature{Name: fmt.Sprintf("Resident %d-%d", n, i), Email: fmt.Sprintf("resident%d.%d@demo.invalid", n, i),
			Postcode: demoPostcodes[i%len(demoPostcodes)], Resident: true}
		if err := demoSignAndConfirm(ctx, d, ps, p.ID, s, ""); err != nil {
			return err
		}
	}
	for i := range paper {
		s := &ballot.Signature{Name: fmt.Sprintf("Paper Signer %d-%d", n, i), Postcode: demoPostcodes[i%len(demoPostcodes)],
			Sheet: fmt.Sprintf("D%d-%d", n, i/20+1), Line: i%20 + 1, Resident: true}
		if err := ps.AddPaperSignature(ctx, p.ID, s, demoActor); err != nil {
			return err
		}
	}
	return nil
}

func demoSignAndConfirm(ctx context.Context, d *db.DB, ps *db.PetitionStore, id int64, s *ballot.Signature, share string) error {
	if err := ps.Sign(ctx, id, s, share, ps.BaseURL); err != nil {
		return err
	}
	tok, err := demoToken(ctx, d, s.Email)
	if err != nil {
		return err
	}
	_, err = ps.Confirm(ctx, tok)
	return err
}

// demoToken reads the first link token from the newest mail to addr.
func demoToken(ctx context.Context, d *db.DB, addr string) (string, error) {
	var body string
	err := d.Reader().QueryRowContext(ctx, `SELECT body FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1`, addr).Scan(&body)
	if err != nil {
		return "", fmt.Errorf("demo mail to %s: %w", addr, err)
	}
	m := demoTokenRE.FindStringSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("demo mail to %s has no link", addr)
	}
	return m[1], nil
}
