package ballot

import "strconv"

// Links builds the site's URLs that mail carries, from the site's base URL
// ("https://oursay.example.gov.uk", no trailing slash). The paths are the
// web package's routes; only the domain spells them, so db stores mail
// without knowing the site's layout.
type Links struct {
	Base string
}

// Petition is a petition's public page.
func (l Links) Petition(id int64) string { return l.Base + "/petitions/" + itoa64(id) }

// PetitionQR is the PNG of a petition's QR code, which opens its page.
func (l Links) PetitionQR(id int64) string { return l.Petition(id) + "/qr.png" }

// PetitionPoster is a petition's printable A4 poster, with its QR code.
func (l Links) PetitionPoster(id int64) string { return l.Petition(id) + "/poster" }

// Sponsor is the campaigner's sponsor link, which always leads to the
// petition as it now stands.
func (l Links) Sponsor(id int64, shareToken string) string {
	return l.Petition(id) + "/sponsor?token=" + shareToken
}

// Ballot is a recall ballot's public page.
func (l Links) Ballot(id int64) string { return l.Base + "/ballots/" + itoa64(id) }

// AdminPetition is where staff moderate a petition.
func (l Links) AdminPetition(id int64) string { return l.Base + "/admin/petitions/" + itoa64(id) }

// ConfirmCampaigner is the link that confirms a campaigner's email.
func (l Links) ConfirmCampaigner(token string) string {
	return l.Base + "/petitions/confirm?token=" + token
}

// ConfirmSignature is the link that confirms a signature.
func (l Links) ConfirmSignature(token string) string {
	return l.Base + "/signatures/confirm?token=" + token
}

// WithdrawSignature is the link that withdraws a signature.
func (l Links) WithdrawSignature(token string) string {
	return l.Base + "/signatures/withdraw?token=" + token
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
