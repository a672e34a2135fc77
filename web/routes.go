package web

import (
	"net/http"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

// access says who may use a route.
type access int

const (
	anyone access = iota // the public, no account
	staff                // signed-in council staff: admins and moderators
	admins               // admins only
)

// String names the access level, as the route tests spell it.
func (a access) String() string {
	return [...]string{"anyone", "staff", "admins"}[a]
}

// route is one line of the route table.
type route struct {
	pattern string
	access  access
	handler http.HandlerFunc
}

// routeTable is every route OurSay serves but /live, which withLive mounts
// outside the session middleware. Each line shows who may use it; the
// staff and admins lines are wrapped by requireRole when mounted, and
// TestAdminRoutes_Complete checks them against a policy written apart.
func (s *Server) routeTable() []route {
	rs := []route{
		{"GET /static/", anyone, http.StripPrefix("/", staticHandler()).ServeHTTP},
		{"GET /favicon.ico", anyone, serveFavicon},
		{"GET /healthz", anyone, s.healthz},
		{"GET /{$}", anyone, s.home},
		// Anything no other pattern claims gets a real page (title,
		// language, way home) rather than Go's plain-text 404.
		{"/", anyone, func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, consult.ErrNotFound) }},
		{"GET /accessibility", anyone, s.accessibility},
		{"GET /privacy", anyone, s.privacy},
		{"GET /cookies", anyone, s.cookiesPage},
		{"GET /contact", anyone, s.contact},
		{"GET /open-data", anyone, s.openData},
		{"GET /api/council", anyone, s.apiCouncil},
		{"GET /c/{id}", anyone, s.shortConsultation},
		{"GET /p/{id}", anyone, s.shortRedirect("/petitions/")},
		{"GET /b/{id}", anyone, s.shortRedirect("/ballots/")},
		// The audit log's published head: a page for people, JSON for
		// programs that keep heads.
		{"GET /audit", anyone, s.auditPage},
		{"GET /api/audit/head", anyone, s.apiAuditHead},

		// Consultations.
		{"GET /consultations", anyone, s.consultationList},
		{"GET /consultations/{slug}", anyone, s.consultationPage},
		{"POST /consultations/{slug}/responses", anyone, s.respondForm},
		{"GET /consultations/{slug}/thanks", anyone, s.respondThanks},
		{"GET /api/consultations", anyone, s.apiConsultations},
		{"GET /api/consultations/{slug}", anyone, s.apiConsultation},
		{"POST /api/consultations/{slug}/responses", anyone, s.apiRespond},

		// Contracts.
		{"GET /contracts", anyone, s.contractList},
		{"GET /contracts/{id}", anyone, s.contractPage},
		{"GET /contracts/{id}/documents/{doc}", anyone, s.documentFile},
		{"GET /contracts.csv", anyone, s.contractsCSV},
		{"GET /api/contracts/ocds", anyone, s.apiContractsOCDS},
		{"GET /api/contracts", anyone, s.apiContracts},
		{"GET /api/contracts/{id}", anyone, s.apiContract},
		{"GET /api/contracts/{id}/ocds", anyone, s.apiContractOCDS},
		{"GET /contracts/{id}/reviews/{rid}", anyone, s.reviewPage},
		{"POST /contracts/{id}/reviews/{rid}/objections", anyone, s.reviewObject},
		{"GET /reviews/objections/sent", anyone, s.objectionSent},
		{"GET /reviews/objections/confirm", anyone, s.objectionConfirmPage},
		{"POST /reviews/objections/confirm", anyone, s.objectionConfirm},
		{"GET /contracts/pipeline", anyone, s.pipelinePage},
		{"GET /api/contracts/pipeline", anyone, s.apiPipeline},
		// The Our Services Our Say scorecard of every contract.
		{"GET /accountability", anyone, s.accountability},
		{"GET /api/accountability", anyone, s.apiAccountability},

		// Information requests about contracts.
		{"GET /contracts/{id}/requests/new", anyone, s.requestNew},
		{"POST /contracts/{id}/requests", anyone, s.requestAsk},
		{"GET /requests", anyone, s.requestList},
		{"GET /requests/sent", anyone, s.requestSent},
		{"GET /requests/confirm", anyone, s.requestConfirmPage},
		{"POST /requests/confirm", anyone, s.requestConfirm},
		{"GET /requests/follow/confirm", anyone, s.followConfirmPage},
		{"POST /requests/follow/confirm", anyone, s.followConfirm},
		{"GET /requests/follow/stop", anyone, s.stopFollowingPage},
		{"POST /requests/follow/stop", anyone, s.stopFollowing},
		{"GET /requests/{id}", anyone, s.requestPage},
		{"POST /requests/{id}/followers", anyone, s.requestFollow},
		{"GET /api/requests", anyone, s.apiRequests},
		{"GET /api/requests/{id}", anyone, s.apiRequest},
		{"POST /api/contracts/{id}/requests", anyone, s.apiAsk},

		// Recall petitions and signatures.
		{"GET /petitions", anyone, s.petitionList},
		{"GET /petitions/new", anyone, s.petitionNew},
		{"POST /petitions", anyone, s.petitionCreate},
		{"GET /petitions/confirm", anyone, s.petitionConfirmPage},
		{"POST /petitions/confirm", anyone, s.petitionConfirmCampaigner},
		{"GET /petitions/{id}", anyone, s.petitionPage},
		{"GET /petitions/{id}/sponsor", anyone, s.petitionSponsorPage},
		{"POST /petitions/{id}/signatures", anyone, s.signForm},
		{"GET /petitions/{id}/signed", anyone, s.petitionSigned},
		{"GET /signatures/confirm", anyone, s.signatureConfirmPage},
		{"POST /signatures/confirm", anyone, s.signatureConfirm},
		{"GET /signatures/withdraw", anyone, s.signatureWithdrawPage},
		{"POST /signatures/withdraw", anyone, s.signatureWithdraw},
		{"GET /api/petitions", anyone, s.apiPetitions},
		{"GET /api/petitions/{id}", anyone, s.apiPetition},
		{"POST /api/petitions/{id}/signatures", anyone, s.apiSign},

		// Recall ballots.
		{"GET /ballots", anyone, s.ballotList},
		{"GET /ballots/{id}", anyone, s.ballotPage},
		{"POST /ballots/{id}/votes", anyone, s.voteForm},
		{"GET /ballots/{id}/check", anyone, s.voteCheck},
		{"GET /ballots/{id}/voted", anyone, s.voteReceiptPage},
		{"GET /ballots/{id}/receipts", anyone, s.ballotReceipts},
		{"GET /vote", anyone, s.voteWithCode},
		{"GET /api/ballots", anyone, s.apiBallots},
		{"GET /api/ballots/{id}", anyone, s.apiBallot},
		{"GET /api/ballots/{id}/receipts", anyone, s.apiReceipts},
		{"POST /api/ballots/{id}/votes", anyone, s.apiVote},

		// Signing in and out.
		{"GET /admin/signin", anyone, s.signinPage},
		{"POST /admin/signin", anyone, s.signinSubmit},
		{"POST /admin/signout", anyone, s.signout},
		{"GET /admin/forgot-password", anyone, s.forgotPage},
		{"POST /admin/forgot-password", anyone, s.forgotSubmit},
		{"GET /admin/set-password", anyone, s.setPasswordPage},
		{"POST /admin/set-password", anyone, s.setPasswordSubmit},

		// Council staff: their own account, and the staff accounts (admins).
		{"GET /admin/session", staff, s.keepSession},
		{"GET /admin/resume", staff, s.resumePage},
		{"GET /admin/account", staff, s.accountPage},
		{"POST /admin/account/password", staff, s.accountPassword},
		{"GET /admin/staff", admins, s.adminStaff},
		{"GET /admin/staff/new", admins, s.adminNewStaff},
		{"POST /admin/staff", admins, s.adminInviteStaff},
		{"POST /admin/staff/{id}/role", admins, s.adminStaffRole},
		{"POST /admin/staff/{id}/disable", admins, s.adminStaffDisable},
		{"POST /admin/staff/{id}/enable", admins, s.adminStaffEnable},
		{"POST /admin/staff/{id}/unlock", admins, s.adminStaffUnlock},
		// A person's data, on request: find, export, erase.
		{"GET /admin/people", admins, s.adminPeople},
		{"POST /admin/people", admins, s.adminFindPerson},
		{"POST /admin/people/export", admins, s.adminExportPerson},
		{"POST /admin/people/erase", admins, s.adminErasePerson},

		// Council staff: consultations.
		{"GET /admin/{$}", staff, s.adminHome},
		{"GET /admin/audit", admins, s.adminAudit},
		{"GET /admin/outbox", admins, s.adminOutbox},
		{"GET /admin/consultations", staff, s.adminConsultations},
		{"GET /admin/consultations/new", admins, s.adminNewConsultation},
		{"POST /admin/consultations", admins, s.adminCreateConsultation},
		{"GET /admin/consultations/{slug}", staff, s.adminConsultation},
		{"GET /admin/consultations/{slug}/edit", admins, s.adminEditConsultation},
		{"POST /admin/consultations/{slug}/edit", admins, s.adminUpdateConsultation},
		{"POST /admin/consultations/{slug}/questions", admins, s.adminAddQuestion},
		{"POST /admin/consultations/{slug}/questions/{id}/delete", admins, s.adminDeleteQuestion},
		{"GET /admin/consultations/{slug}/questions/{id}/edit", admins, s.adminEditQuestion},
		{"POST /admin/consultations/{slug}/questions/{id}/edit", admins, s.adminUpdateQuestion},
		{"POST /admin/consultations/{slug}/questions/{id}/move", admins, s.adminMoveQuestion},
		// Corrections to a published consultation, each shown on its page.
		{"GET /admin/consultations/{slug}/corrections", admins, s.adminCorrections},
		{"POST /admin/consultations/{slug}/closing-date", admins, s.adminChangeClosing},
		{"POST /admin/consultations/{slug}/wording", admins, s.adminCorrectWording},
		{"POST /admin/consultations/{slug}/open", admins, s.adminOpen},
		{"POST /admin/consultations/{slug}/close", admins, s.adminClose},
		{"GET /admin/consultations/{slug}/outcome", admins, s.adminOutcomePage},
		{"POST /admin/consultations/{slug}/outcome", admins, s.adminPublishOutcome},
		{"GET /admin/consultations/{slug}/decision", admins, s.adminDecisionPage},
		{"POST /admin/consultations/{slug}/decision", admins, s.adminRecordDecision},
		{"GET /admin/consultations/{slug}/tasks", admins, s.adminConsultationTasks},
		{"GET /admin/consultations/{slug}/section/{section}", admins, s.adminSectionPage},
		{"POST /admin/consultations/{slug}/section/{section}", admins, s.adminSaveSection},
		{"GET /admin/consultations/{slug}/check", admins, s.adminCheckConsultation},
		{"GET /admin/consultations/{slug}/outcome/revise", admins, s.adminReviseOutcomePage},
		{"POST /admin/consultations/{slug}/outcome/revise", admins, s.adminReviseOutcome},
		{"GET /admin/consultations/{slug}/decision/revise", admins, s.adminReviseDecisionPage},
		{"POST /admin/consultations/{slug}/decision/revise", admins, s.adminReviseDecision},
		{"GET /admin/consultations/{slug}/responses.csv", admins, s.adminResponsesCSV},
		// Reading free-text answers and tagging them is review work, open
		// to moderators; themes appear on the published outcome, so only
		// admins create, rename and delete them.
		{"GET /admin/consultations/{slug}/answers", staff, s.adminAnswers},
		{"POST /admin/consultations/{slug}/answers", staff, s.adminTagAnswers},
		{"GET /admin/consultations/{slug}/themes", admins, s.adminThemes},
		{"POST /admin/consultations/{slug}/themes", admins, s.adminCreateTheme},
		{"POST /admin/consultations/{slug}/themes/{id}/rename", admins, s.adminRenameTheme},
		{"POST /admin/consultations/{slug}/themes/{id}/delete", admins, s.adminDeleteTheme},
		{"POST /admin/consultations/{slug}/codes", admins, s.adminConsultationCodes},
		{"GET /admin/consultations/{slug}/paper", staff, s.adminPaperPage},
		{"POST /admin/consultations/{slug}/paper", staff, s.adminPaperSubmit},
		{"GET /admin/consultations/{slug}/paper-forms.pdf", staff, s.paperFormsPDF},

		// Council staff: contracts and the council's own data.
		{"GET /admin/contracts", staff, s.adminContracts},
		{"GET /admin/contracts/new", admins, s.adminNewContract},
		{"POST /admin/contracts/new", admins, s.adminCreateContract},
		{"GET /admin/contracts/{id}/edit", admins, s.adminEditContract},
		{"POST /admin/contracts/{id}/edit", admins, s.adminUpdateContract},
		{"GET /admin/contracts/{id}/documents", admins, s.adminDocuments},
		{"POST /admin/contracts/{id}/documents", admins, s.adminAddDocument},
		{"POST /admin/contracts/{id}/documents/{doc}/remove", admins, s.adminRemoveDocument},
		// Reviews at each end point: staff read them, admins write them.
		{"GET /admin/contracts/{id}/reviews", staff, s.adminReviews},
		{"POST /admin/contracts/{id}/reviews", admins, s.adminOpenReview},
		{"GET /admin/contracts/{id}/reviews/{rid}", staff, s.adminReview},
		{"POST /admin/contracts/{id}/reviews/{rid}", admins, s.adminSaveReview},
		{"POST /admin/contracts/{id}/reviews/{rid}/publish", admins, s.adminPublishReview},
		{"POST /admin/contracts/{id}/reviews/{rid}/consultation", admins, s.adminReviewConsultation},
		{"GET /admin/council", admins, s.adminCouncil},
		{"POST /admin/council", admins, s.adminCouncilSubmit},
		{"GET /admin/spending", admins, s.adminSpending},
		{"POST /admin/spending", admins, s.adminSpendingUpload},
		{"GET /admin/spending/imports/{id}", admins, s.adminSpendImport},
		{"POST /admin/spending/imports/{id}/save", admins, s.adminSpendSave},
		{"POST /admin/spending/imports/{id}/cancel", admins, s.adminSpendCancel},
		{"POST /admin/spending/payments/{id}/assign", admins, s.adminSpendAssign},
		{"GET /admin/council/settings", admins, s.adminSettings},
		{"POST /admin/council/settings", admins, s.adminSettingsSave},

		// Council staff: petitions, their moderation and paper signatures.
		{"GET /admin/petitions", staff, s.adminPetitions},
		{"GET /admin/petitions/{id}", staff, s.adminPetition},
		{"POST /admin/petitions/{id}/publish", staff, s.adminPublishPetition},
		{"POST /admin/petitions/{id}/reject", staff, s.adminRejectPetition},
		{"POST /admin/petitions/{id}/paper", staff, s.adminPaperSignature},
		{"POST /admin/petitions/{id}/invalidate", admins, s.adminInvalidate},
		{"POST /admin/petitions/{id}/signatures/{sid}/approve", staff, s.adminApproveSignature},
		{"POST /admin/petitions/{id}/signatures/{sid}/reject", staff, s.adminRejectSignature},
		{"GET /admin/petitions/{id}/activity", staff, s.adminPetitionActivity},
		{"GET /admin/petitions/{id}/sheets.pdf", staff, s.sheetsPDF},
		{"GET /admin/blocked-domains", admins, s.adminBlockedDomains},
		{"POST /admin/blocked-domains", admins, s.adminBlockDomain},
		{"POST /admin/blocked-domains/remove", admins, s.adminUnblockDomain},

		// Council staff: information requests.
		{"GET /admin/requests", staff, s.adminRequests},
		{"GET /admin/requests/{id}", staff, s.adminRequest},
		{"POST /admin/requests/{id}/publish", staff, s.adminPublishRequest},
		{"POST /admin/requests/{id}/reject", staff, s.adminRejectRequest},
		{"POST /admin/requests/{id}/answer", staff, s.adminAnswerRequest},
		{"POST /admin/requests/{id}/refuse", staff, s.adminRefuseRequest},
		{"POST /admin/requests/{id}/documents", staff, s.adminAnswerDocument},

		// Council staff: recall ballots.
		{"GET /admin/ballots", staff, s.adminBallots},
		{"GET /admin/ballots/new", admins, s.adminBallotNew},
		{"POST /admin/ballots", admins, s.adminBallotCreate},
		{"GET /admin/ballots/{id}", staff, s.adminBallot},
		{"POST /admin/ballots/{id}/codes", admins, s.adminBallotCodes},
		{"POST /admin/ballots/{id}/open", admins, s.adminBallotOpen},
		{"POST /admin/ballots/{id}/close", admins, s.adminBallotClose},
		{"POST /admin/ballots/{id}/response", admins, s.adminBallotResponse},
	}
	// The QR codes and posters of every public page.
	for _, k := range []struct {
		prefix string
		load   func(*http.Request) (*paper.Item, error)
	}{
		{"/consultations/{slug}", s.consultationItem},
		{"/petitions/{id}", s.petitionItem},
		{"/ballots/{id}", s.ballotItem},
	} {
		rs = append(rs,
			route{"GET " + k.prefix + "/qr.png", anyone, s.printHandler(k.load, s.qrPNG)},
			route{"GET " + k.prefix + "/qr.svg", anyone, s.printHandler(k.load, s.qrSVG)},
			route{"GET " + k.prefix + "/poster", anyone, s.printHandler(k.load, s.posterPage)},
			route{"GET " + k.prefix + "/poster.pdf", anyone, s.printHandler(k.load, s.posterPDF)},
		)
	}
	return rs
}

// mount registers the route table on mux, each route behind its access
// check, and the irreversible ones behind their confirmation page
// (confirmSteps).
func (s *Server) mount(mux *http.ServeMux) {
	confirms := s.confirmSteps()
	for _, rt := range s.routeTable() {
		h := rt.handler
		if describe, ok := confirms[rt.pattern]; ok {
			h = s.confirmFirst(describe, h)
		}
		switch rt.access {
		case staff:
			h = s.requireRole(false, h)
		case admins:
			h = s.requireRole(true, h)
		}
		mux.HandleFunc(rt.pattern, h)
	}
}
