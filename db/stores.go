package db

import "github.com/oursay/oursay/consult"

// Options are what the stores need beyond the database file.
type Options struct {
	// BaseURL is the public address that links in mail start with.
	BaseURL string
	// LinkKey signs the links in signers' mail (see LinkKey); nil stores a
	// hash of a random token instead, as before signed links.
	LinkKey []byte
	// Pub hears of each committed change that live pages show; nil tells
	// no one.
	Pub consult.Publisher
}

// Stores is every store kept in one database, made with one set of
// Options, so serve and the tests wire them the same way.
type Stores struct {
	Consult   *ConsultStore
	Petitions *PetitionStore
	Ballots   *BallotStore
	Users     *UserStore
	Audit     *AuditLog
	Outbox    *Outbox
	Contracts *ContractStore
	Council   *CouncilData
	Spending  *SpendingStore
	Documents *DocumentStore
	Settings  *SettingsStore
	People    *People
	Requests  *RequestStore
	Reviews   *ReviewStore
}

// NewStores returns every store kept in d, set up with o.
func NewStores(d *DB, o Options) *Stores {
	st := &Stores{
		Consult: NewConsultStore(d), Petitions: NewPetitionStore(d), Ballots: NewBallotStore(d),
		Users: NewUserStore(d), Audit: NewAuditLog(d), Outbox: NewOutbox(d),
		Contracts: NewContractStore(d), Council: NewCouncilData(d), Settings: NewSettingsStore(d),
		Spending: NewSpendingStore(d), Documents: NewDocumentStore(d), People: NewPeople(d),
		Requests: NewRequestStore(d), Reviews: NewReviewStore(d),
	}
	st.Consult.BaseURL, st.Petitions.BaseURL, st.Ballots.BaseURL, st.People.BaseURL = o.BaseURL, o.BaseURL, o.BaseURL, o.BaseURL
	st.Requests.BaseURL = o.BaseURL
	st.Petitions.LinkKey = o.LinkKey
	if o.Pub != nil {
		st.Consult.Pub, st.Petitions.Pub, st.Ballots.Pub, st.People.Pub = o.Pub, o.Pub, o.Pub, o.Pub
	}
	return st
}
