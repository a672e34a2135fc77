package ballot

import (
	"strings"

	"github.com/oursay/oursay/consult"
)

// Signing is a signature made ready to store: validated, its postcode in
// standard form, with the keys that stop one person signing twice, the
// email domains to check against the block list and, online, its
// confirmation mail. The store keeps what it is handed; the only things it
// adds are what it alone knows (the ward, the petition's row, the links'
// tokens).
type Signing struct {
	Sig *Signature
	// NameKey and Postcode match paper and online signatures of one person.
	NameKey string
	// EmailKey stops one email signing twice online; empty on paper.
	EmailKey string
	// Domains are the block-list entries that would refuse the email (see
	// DomainSuffixes); empty on paper.
	Domains []string
	links   Links
}

// SignOnline prepares a signature made on the site: pending until its
// email is confirmed, a sponsor's when made through the share link. It
// returns a *ValidationError.
func SignOnline(s *Signature, sponsor bool, links Links) (*Signing, error) {
	s.Channel, s.Status, s.Sponsor = ChannelOnline, SignaturePending, sponsor
	s.Postcode = NormalisePostcode(s.Postcode)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Signing{Sig: s, NameKey: NameKey(s.Name), EmailKey: EmailKey(s.Email),
		Domains: DomainSuffixes(s.Email), links: links}, nil
}

// SignPaper prepares a signature typed in by staff from a numbered sheet:
// confirmed at once, with no email. It returns a *ValidationError.
func SignPaper(s *Signature) (*Signing, error) {
	s.Channel, s.Status, s.Email = ChannelPaper, SignatureConfirmed, ""
	s.Postcode = NormalisePostcode(s.Postcode)
	s.Sheet = strings.TrimSpace(s.Sheet)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Signing{Sig: s, NameKey: NameKey(s.Name)}, nil
}

// Mail is the signer's confirmation mail for petition p, its links
// carrying the confirmation and withdrawal tokens the store made.
func (g *Signing) Mail(p *Petition, confirmToken, withdrawToken string) consult.Mail {
	subj, body := SignatureMail(p, g.Sig, g.links.ConfirmSignature(confirmToken), g.links.WithdrawSignature(withdrawToken))
	return consult.Mail{To: g.Sig.Email, Subject: subj, Body: body}
}

// AlreadySignedMail is the mail sent instead of a confirmation when the
// petition has already been signed with these details (AlreadySignedMail).
func (g *Signing) AlreadySignedMail(p *Petition) consult.Mail {
	subj, body := AlreadySignedMail(p)
	return consult.Mail{To: g.Sig.Email, Subject: subj, Body: body}
}
