package web

// RouteTable lists the route table's patterns with who may use each
// ("anyone", "staff" or "admins"), for the route tests in web_test.
func RouteTable() map[string]string {
	s := &Server{}
	out := map[string]string{}
	for _, rt := range s.routeTable() {
		out[rt.pattern] = rt.access.String()
	}
	return out
}

// ConfirmRoutes lists the routes that act only once confirmed.
func ConfirmRoutes() map[string]bool {
	s := &Server{}
	out := map[string]bool{}
	for p := range s.confirmSteps() {
		out[p] = true
	}
	return out
}

// OpenDataPaths are the addresses the open data page lists.
func OpenDataPaths() []string {
	var out []string
	for _, d := range openDatasets {
		out = append(out, d.Path)
	}
	return out
}
