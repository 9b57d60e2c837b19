package extract

import "strings"

// clean collapses runs of white space to one space and trims the ends.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
