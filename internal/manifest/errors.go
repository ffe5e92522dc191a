package manifest

import (
	"fmt"
	"strings"
)

// Error is a problem at one place of an environment's output, named by its
// JSON path (".apps.order_service.deployment", `.apps["order-service"]`,
// ".list.items[0]"; "." is the root).
type Error struct {
	// Path is the JSON path of the offending value in the environment output.
	Path string
	// Reason says what is wrong there and, where it helps, how to fix it.
	Reason string
}

// Error implements error: "<path>: <reason>".
func (e *Error) Error() string {
	return e.Path + ": " + e.Reason
}

// maxErrorLines caps how many problems Errors.Error prints; all of them stay
// available in the slice.
const maxErrorLines = 20

// Errors is several problems found in one pass, in a stable order: the walk
// order of the output tree first, then duplicates in output order.
// errors.As(err, &target) with target *Error finds the first of them.
type Errors []*Error

// Error implements error: a count and one "<path>: <reason>" line per problem.
func (es Errors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems in the environment output:", len(es))
	for i, e := range es {
		if i == maxErrorLines {
			fmt.Fprintf(&b, "\n  ... and %d more", len(es)-maxErrorLines)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As access to every problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// asError turns a list of problems into nil, the single *Error, or Errors.
func asError(es []*Error) error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	default:
		return Errors(es)
	}
}
