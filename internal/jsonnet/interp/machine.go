package interp

import (
	"fmt"
	"unicode/utf8"
)

// Decline is why an evaluation did not produce a value: the program failed (Runtime) or
// used something this evaluator leaves to go-jsonnet. Either way go-jsonnet evaluates the
// program instead and reports what it reports.
type Decline struct {
	// Runtime is set when the program itself failed (an error, a failed assertion, a type
	// error, too deep a recursion): go-jsonnet will fail too.
	Runtime bool
	Reason  string
	// Internal is set when the evaluator itself faulted (a bug; tests fail on it).
	Internal bool
}

func (d *Decline) Error() string {
	if d.Runtime {
		return "runtime error: " + d.Reason
	}
	return "unsupported: " + d.Reason
}

// fail stops the evaluation with a runtime error.
func fail(format string, args ...any) {
	panic(&Decline{Runtime: true, Reason: fmt.Sprintf(format, args...)})
}

// unsupported stops the evaluation: go-jsonnet must evaluate the program.
func unsupported(format string, args ...any) {
	panic(&Decline{Reason: fmt.Sprintf(format, args...)})
}

// frame is one of go-jsonnet's "clean" stack frames (a function call, a thunk, a field, a
// manifested value), kept so that recursion depth is counted exactly as go-jsonnet counts it,
// tail calls included: a program that exceeds go-jsonnet's stack limit must fail here too.
type frame struct {
	trimmable bool
	trimmed   bool
}

// machine is the state of one evaluation.
type machine struct {
	cfg    *Evaluator
	calls  int
	limit  int
	frames []frame
	// files are the evaluated imports by the name go-jsonnet found them at.
	files map[string]*thunk
	// importsSeen memoises import resolution by (importing file, path).
	importsSeen map[[2]string]importEntry
	// extVars are the external variables, evaluated once each.
	extVars map[string]*thunk
	// std is the standard library object shared by every file.
	std *object
}

type importEntry struct {
	foundAt string
	th      *thunk
}

// push enters a clean frame; go-jsonnet fails with "max stack frames exceeded" where calls
// reaches its limit. The check is one frame stricter than go-jsonnet's, which covers the
// frames go-jsonnet pushes around values this evaluator has already.
func (m *machine) push(trimmable bool) int {
	if m.calls >= m.limit-1 {
		fail("max stack frames exceeded")
	}
	m.frames = append(m.frames, frame{trimmable: trimmable})
	m.calls++
	return len(m.frames) - 1
}

// pop leaves the frame push returned.
func (m *machine) pop(i int) {
	if !m.frames[i].trimmed {
		m.calls--
	}
	m.frames = m.frames[:i]
}

// tailCall drops the innermost frame when it is trimmable, as go-jsonnet does before a call
// in tail position.
func (m *machine) tailCall() {
	for i := len(m.frames) - 1; i >= 0; i-- {
		if m.frames[i].trimmed {
			continue
		}
		if m.frames[i].trimmable {
			m.frames[i].trimmed = true
			m.calls--
		}
		return
	}
}

// force returns the value of v, evaluating it when it is a thunk.
func (m *machine) force(v value) value {
	t, ok := v.(*thunk)
	if !ok {
		return v
	}
	if t.val != nil {
		return t.val
	}
	if t.busy {
		// go-jsonnet recurses until its stack limit.
		fail("max stack frames exceeded")
	}
	t.busy = true
	f := m.push(false)
	r := t.code.eval(m, t.env)
	m.pop(f)
	t.val, t.env, t.code, t.busy = r, nil, nil, false
	return r
}

// validString returns s as go-jsonnet holds it: invalid UTF-8 bytes each become U+FFFD.
func validString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// typed returns v as a T, or fails naming what needed it and the type it wanted.
func typed[T any](v value, what, want string) T {
	t, ok := v.(T)
	if !ok {
		fail("%s: expected %s, got %s", what, want, typeName(v))
	}
	return t
}

func (m *machine) number(v value, what string) float64 { return typed[float64](v, what, "number") }

func (m *machine) str(v value, what string) string { return typed[string](v, what, "string") }

func (m *machine) boolean(v value, what string) bool { return typed[bool](v, what, "boolean") }

func (m *machine) arr(v value, what string) *array { return typed[*array](v, what, "array") }

func (m *machine) obj(v value, what string) *object { return typed[*object](v, what, "object") }

func (m *machine) fn(v value, what string) *function { return typed[*function](v, what, "function") }

// checkNumber fails on the results go-jsonnet refuses: NaN and infinities.
func checkNumber(x float64) value {
	if x != x {
		fail("Not a number")
	}
	if x > maxFloat || x < -maxFloat {
		fail("Overflow")
	}
	return x
}

const maxFloat = 1.7976931348623157e308
