package web

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/oursay/oursay/consult"
)

// How a form is checked. Every limit and message about what people type
// lives once, in the domain's Validate (consult and ballot). A handler here
// only parses: it reads the form into domain values with a formReader,
// which notes what it could not read (a word where a number goes, a date
// that is not a date), asks the domain, and shows both sets of messages at
// once. The validator below checks only what no domain type owns, such as
// the sign-in form.

// newValidator returns the one validator the server shares.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Errors name fields by their form name, which is also the key that
	// templates and JSON clients use.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name := f.Tag.Get("form"); name != "" {
			return name
		}
		return f.Name
	})
	return v
}

// check validates a struct with its `validate` tags and returns a message
// per form field, or nil when it is valid. messages gives the words for
// each "field.tag" that can fail.
func (s *Server) check(v any, messages map[string]string) map[string]string {
	err := s.validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return map[string]string{"form": "The form could not be read"}
	}
	ve := &consult.ValidationError{}
	for _, fe := range verrs {
		msg := messages[fe.Field()+"."+fe.Tag()]
		if msg == "" {
			msg = "Check this answer"
		}
		ve.Add(fe.Field(), msg)
	}
	return ve.Fields
}

// formReader reads a posted form into domain values. It notes, per field,
// what it could not read; a blank value is left to the domain's Validate,
// which says what to enter.
type formReader struct {
	form   url.Values
	fields map[string]string
	// hide are the domain's fields whose messages a form message replaces
	// (see instead).
	hide []string
}

func newFormReader(form url.Values) *formReader {
	return &formReader{form: form, fields: map[string]string{}}
}

// text is the field's value without surrounding spaces.
func (f *formReader) text(k string) string { return strings.TrimSpace(f.form.Get(k)) }

// note records msg for field k unless k already has a message.
func (f *formReader) note(k, msg string) {
	if _, ok := f.fields[k]; !ok {
		f.fields[k] = msg
	}
}

// int reads a whole number, or notes msg when the field holds something
// else. A blank field reads as 0.
func (f *formReader) int(k, msg string) int {
	s := f.text(k)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.note(k, msg)
	}
	return n
}

// needInt is int for a field the form needs: blank notes msg too.
func (f *formReader) needInt(k, msg string) int {
	if f.text(k) == "" {
		f.note(k, msg)
	}
	return f.int(k, msg)
}

// date reads a year-month-day date in loc, or notes msg when the field
// holds something else. A blank field reads as the zero time.
func (f *formReader) date(k, layout string, loc *time.Location, msg string) time.Time {
	s := f.text(k)
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		f.note(k, msg)
	}
	return d
}

// yesNo reads a pair of radio buttons, noting msg when neither was chosen.
func (f *formReader) yesNo(k, msg string) bool {
	v := f.text(k)
	if v != "yes" && v != "no" {
		f.note(k, msg)
	}
	return v == "yes"
}

// result is every message for the form: what could not be read, then the
// domain's verdict err for fields not yet named. It is nil when all is well.
func (f *formReader) result(err error) map[string]string {
	fields := withDomain(f.fields, err)
	for _, k := range f.hide {
		if _, mine := f.fields[k]; !mine {
			delete(fields, k)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// instead notes msg on field k and drops the domain's message on
// domainKey, which says the same about a field the person cannot see yet.
func (f *formReader) instead(k, msg, domainKey string) {
	f.note(k, msg)
	f.hide = append(f.hide, domainKey)
}

// withDomain adds the field messages of err, the domain's verdict, to
// fields (what parsing found) for fields not yet named, so a person sees
// every problem at once and the more particular parse message wins. Any
// other error goes on "form". It returns nil when there is no message.
func withDomain(fields map[string]string, err error) map[string]string {
	ve := &consult.ValidationError{}
	for k, m := range fields {
		ve.Add(k, m)
	}
	var dve *consult.ValidationError
	switch {
	case errors.As(err, &dve):
		for k, m := range dve.Fields {
			ve.Add(k, m)
		}
	case err != nil:
		ve.Add("form", "The form could not be checked")
	}
	if ve.Err() == nil {
		return nil
	}
	return ve.Fields
}

// badForm answers a form that could not be parsed: 413 when it was over
// the body limit, 400 otherwise.
func (s *Server) badForm(w http.ResponseWriter, r *http.Request, errs ...error) {
	status, msg := http.StatusBadRequest, "The form could not be read."
	var tooBig *http.MaxBytesError
	if len(errs) > 0 && errors.As(errs[0], &tooBig) {
		status, msg = http.StatusRequestEntityTooLarge, "What you sent is too large. Answers must be 5,000 characters or fewer each."
	}
	if wantsJSON(r) {
		writeJSONError(w, status, msg, nil)
		return
	}
	s.render(w, r, status, "error", &page{Title: "There is a problem", Data: msg})
}
