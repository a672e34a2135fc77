package web

import (
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

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

// fieldMessages says in plain English what each failed tag means.
var fieldMessages = map[string]string{
	"required": "Enter %s",
	"email":    "Enter %s in the correct format, like name@example.com",
	"max":      "%s is too long",
	"min":      "%s is too short",
	"oneof":    "Choose %s from the list",
	"gte":      "%s is too small",
	"lte":      "%s is too large",
}

// fieldNames gives the noun used in messages for a form field.
var fieldNames = map[string]string{
	"email":    "an email address",
	"password": "your password",
	"role":     "a role",
}

// check validates a form struct with its `validate` tags and returns a
// message per form field (named by the `form` tag), or nil when it is valid.
func (s *Server) check(v any) map[string]string {
	err := s.validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return map[string]string{"form": "The form could not be read"}
	}
	fields := map[string]string{}
	for _, fe := range verrs {
		name := fe.Field()
		noun := fieldNames[name]
		if noun == "" {
			noun = strings.ReplaceAll(name, "_", " ")
		}
		tmpl, ok := fieldMessages[fe.Tag()]
		if !ok {
			tmpl = "Check %s"
		}
		msg := strings.Replace(tmpl, "%s", noun, 1)
		if _, dup := fields[name]; !dup {
			fields[name] = strings.ToUpper(msg[:1]) + msg[1:]
		}
	}
	return fields
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
