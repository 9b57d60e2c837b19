package config

// FieldError is one configuration problem. Load joins all of them with
// errors.Join so that an operator fixes every mistake in one round trip;
// use errors.As to inspect them. Reason never contains a secret's value.
type FieldError struct {
	Var    string
	Reason string
}

func (e *FieldError) Error() string { return e.Var + ": " + e.Reason }
