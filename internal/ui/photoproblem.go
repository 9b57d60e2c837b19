package ui

import (
	"errors"
	"net/http"

	"github.com/reccollection/reccollection/internal/images"
)

// photoProblem turns a photo service refusal into a status and a message
// for the person; ok is false for a failure of the service itself.
var photoProblem = func(err error) (int, string, bool) {
	var ie *images.Error
	if errors.As(err, &ie) {
		switch ie.Kind {
		case images.KindTooLarge:
			return http.StatusRequestEntityTooLarge, ie.Error(), true
		case images.KindUnsupportedType:
			return http.StatusUnsupportedMediaType, ie.Error(), true
		}
		return http.StatusUnprocessableEntity, ie.Error(), true
	}
	return 0, "", false
}
