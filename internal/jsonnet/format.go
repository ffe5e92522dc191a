package jsonnet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Native formatting: std.format and the string % operator in Go.
//
// go-jsonnet v0.22.0 implements std.format in Jsonnet (its std.jsonnet), which costs about a
// millisecond per call. This file re-implements that function for the cases where the result
// can be guaranteed to be identical: it mirrors the Jsonnet code step by step, with the same
// float64 operations in the same order, so that every digit, padding and rounding decision is
// the same. Anything outside those cases (and every error) is left to the Jsonnet
// implementation; see format_rewrite.go for how evaluation is routed here.
//
// The native path takes: %s of strings, numbers, booleans and null; %d %i %u %o %x %X %e %E
// %f %F %g %G of numbers of magnitude below 1e15; %c of code points and one-character strings;
// %%; every flag; field widths up to 64 and precisions up to 20 (literal or from *); array,
// single and object (mapping key) arguments. It leaves to Jsonnet: %s of arrays, objects and
// functions, larger numbers, widths and precisions, strings with unpaired surrogates, and
// every call that ends in an error.
//
// The one observable difference is the stack: the Jsonnet implementation needs 30 to about
// 160 stack frames per call (two per padding character), the native path about 5. A call made
// so deep that the Jsonnet implementation would exceed MaxStack succeeds natively.

// Limits of the native path. Values outside them go to the Jsonnet implementation, which is
// exact by definition; inside them the native path is proven identical by the tests.
const (
	// formatMaxMagnitude bounds the absolute value of numbers rendered by the numeric
	// conversions, keeping every intermediate float64 exact enough and the Jsonnet
	// implementation's digit recursion shallow.
	formatMaxMagnitude = 1e15
	// formatMaxWidth bounds field widths (literal or from *). The Jsonnet implementation
	// spends about two stack frames per padding character (a width of 100 needs 209 frames,
	// with MaxStack 500 by default), so wide fields are left to it to fail or succeed.
	formatMaxWidth = 64
	// formatMaxPrecision bounds precisions (literal or from *).
	formatMaxPrecision = 20
	// formatMaxCodepoint is the largest code point std.char accepts.
	formatMaxCodepoint = 0x10FFFF
	// formatMaxSlots bounds the number of values one format string may consume on the
	// native path, which bounds the code the rewrite generates.
	formatMaxSlots = 64
)

// formatCode is one parsed %-directive.
type formatCode struct {
	// key is the mapping key of %(key)s; hasKey says whether there was one.
	key    string
	hasKey bool
	// The conversion flags #, 0, -, space and +.
	alt, zero, left, blank, plus bool
	// widthStar is a * field width; width is the literal width (0 when absent).
	widthStar bool
	width     float64
	// hasPrec says whether a precision was given; precStar whether it was *; prec is the
	// literal precision ("%.f" means 0).
	hasPrec  bool
	precStar bool
	prec     float64
	// conv is the conversion after normalisation (d, o, x, e, f, g, c, s or %); caps is set
	// for X, E, F and G.
	conv byte
	caps bool
}

// formatPiece is literal text or one directive.
type formatPiece struct {
	text string
	code *formatCode
}

// parseFormat parses a format string the way std.format does. ok is false when the Jsonnet
// implementation would raise an error (truncated code, unknown conversion).
func parseFormat(s string) (pieces []formatPiece, ok bool) {
	rs := []rune(s)
	n := len(rs)
	var cur strings.Builder
	for i := 0; i < n; {
		if rs[i] != '%' {
			cur.WriteRune(rs[i])
			i++
			continue
		}
		code, next, ok := parseCode(rs, i+1)
		if !ok {
			return nil, false
		}
		pieces = append(pieces, formatPiece{text: cur.String()}, formatPiece{code: code})
		cur.Reset()
		i = next
	}
	return append(pieces, formatPiece{text: cur.String()}), true
}

// parseCode parses the directive starting after a '%' at rs[i].
func parseCode(rs []rune, i int) (*formatCode, int, bool) {
	n := len(rs)
	c := &formatCode{}
	if i >= n {
		return nil, 0, false
	}
	if rs[i] == '(' {
		j := i + 1
		var key strings.Builder
		for ; j < n && rs[j] != ')'; j++ {
			key.WriteRune(rs[j])
		}
		if j >= n {
			return nil, 0, false
		}
		c.key, c.hasKey = key.String(), true
		i = j + 1
	}
flags:
	for ; ; i++ {
		if i >= n {
			return nil, 0, false
		}
		switch rs[i] {
		case '#':
			c.alt = true
		case '0':
			c.zero = true
		case '-':
			c.left = true
		case ' ':
			c.blank = true
		case '+':
			c.plus = true
		default:
			break flags
		}
	}
	var ok bool
	if c.widthStar, c.width, i, ok = parseWidth(rs, i); !ok {
		return nil, 0, false
	}
	if i >= n {
		return nil, 0, false
	}
	if rs[i] == '.' {
		c.hasPrec = true
		if c.precStar, c.prec, i, ok = parseWidth(rs, i+1); !ok {
			return nil, 0, false
		}
	}
	if i >= n {
		return nil, 0, false
	}
	if rs[i] == 'h' || rs[i] == 'l' || rs[i] == 'L' {
		i++
	}
	if i >= n {
		return nil, 0, false
	}
	switch r := rs[i]; r {
	case 'd', 'i', 'u':
		c.conv = 'd'
	case 'o', 'x', 'e', 'f', 'g', 'c', 's', '%':
		c.conv = byte(r)
	case 'X', 'E', 'F', 'G':
		c.conv, c.caps = byte(r)+'a'-'A', true
	default:
		return nil, 0, false
	}
	return c, i + 1, true
}

// parseWidth parses a field width or precision: "*" or digits (none means 0).
func parseWidth(rs []rune, i int) (star bool, v float64, next int, ok bool) {
	if i < len(rs) && rs[i] == '*' {
		return true, 0, i + 1, true
	}
	for ; ; i++ {
		if i >= len(rs) {
			return false, 0, 0, false
		}
		d := rs[i]
		if d < '0' || d > '9' {
			return false, v, i, true
		}
		v = float64(v*10) + float64(d-'0')
	}
}

// slotKind says how std.format uses one value of an array argument.
type slotKind byte

const (
	// slotWidth is consumed by a * field width and always evaluated.
	slotWidth slotKind = iota + 1
	// slotPrec is consumed by a * precision and evaluated (numeric conversions).
	slotPrec
	// slotPrecUnused is consumed by a * precision that the conversion ignores (%s, %c, %%):
	// the Jsonnet implementation never evaluates it.
	slotPrecUnused
	// slotValue is the value a conversion formats.
	slotValue
)

// formatSlot is one value a format string consumes.
type formatSlot struct {
	kind slotKind
	code *formatCode
}

// arraySlots lists the values the pieces consume from an array argument, in index order.
func arraySlots(pieces []formatPiece) []formatSlot {
	var slots []formatSlot
	for _, p := range pieces {
		c := p.code
		if c == nil {
			continue
		}
		if c.widthStar {
			slots = append(slots, formatSlot{kind: slotWidth, code: c})
		}
		if c.precStar {
			kind := slotPrec
			if !c.numeric() {
				kind = slotPrecUnused
			}
			slots = append(slots, formatSlot{kind: kind, code: c})
		}
		if c.conv != '%' {
			slots = append(slots, formatSlot{kind: slotValue, code: c})
		}
	}
	return slots
}

// numeric reports whether the conversion formats a number (and so uses its precision).
func (c *formatCode) numeric() bool {
	switch c.conv {
	case 'd', 'o', 'x', 'e', 'f', 'g':
		return true
	}
	return false
}

// objectCodes lists the codes that look up a value in an object argument, in order. ok is
// false when an object argument is an error for these pieces (a code without a mapping key,
// a * width, or a * precision that would be evaluated).
func objectCodes(pieces []formatPiece) (codes []*formatCode, ok bool) {
	for _, p := range pieces {
		c := p.code
		if c == nil {
			continue
		}
		if c.widthStar || (c.precStar && c.numeric()) {
			return nil, false
		}
		if c.conv == '%' {
			continue
		}
		if !c.hasKey {
			return nil, false
		}
		codes = append(codes, c)
	}
	return codes, true
}

// Check kinds of a planStep: what a value must be for the native path to take it.
const (
	checkWidth     byte = 'w' // a * field width
	checkPrecision byte = 'p' // a * precision a numeric conversion uses
	checkString    byte = 's' // the value of %s: a string, number, boolean or null
	checkNumber    byte = 'n' // the value of a numeric conversion
	checkChar      byte = 'c' // the value of %c: a code point or a one-character string
)

// planStep is one value the Jsonnet implementation evaluates, in the order it does.
type planStep struct {
	// index is the position in the array of values (array mode); key the field (object mode).
	index int
	key   string
	// check is one of the check kinds.
	check byte
}

// formatPlan says which values a format string evaluates and in which order, for one shape
// of the values argument.
type formatPlan struct {
	// object is set for an object argument (mapping keys).
	object bool
	// steps are the evaluated values in evaluation order: for each directive its * width,
	// its value, then its * precision (format_codes_arr forces them in that order). In object
	// mode, each step's field must exist (std.objectHasAll) before it is evaluated.
	steps []planStep
	// pass lists what the Go formatter gets, in its order: array indexes, -1 for a * precision
	// that is consumed but never evaluated (array mode), or one step per keyed directive
	// (object mode, pass is nil and steps are passed).
	pass []int
}

// planFor returns the plan for pieces and a values argument that is an array of length n
// (a value that is neither array nor object is an array of one), or an object. ok is false
// when the Jsonnet implementation is certain to raise an error for that shape (wrong number
// of values, a directive without mapping key, * with an object), or when the native limits
// are exceeded.
func planFor(pieces []formatPiece, object bool, n int) (formatPlan, bool) {
	for _, p := range pieces {
		if c := p.code; c != nil && (c.width > formatMaxWidth || (c.hasPrec && c.prec > formatMaxPrecision)) {
			return formatPlan{}, false
		}
	}
	if object {
		codes, ok := objectCodes(pieces)
		if !ok || len(codes) > formatMaxSlots {
			return formatPlan{}, false
		}
		plan := formatPlan{object: true}
		for _, c := range codes {
			plan.steps = append(plan.steps, planStep{key: c.key, check: valueCheck(c)})
		}
		return plan, true
	}
	slots := arraySlots(pieces)
	if len(slots) != n || n > formatMaxSlots {
		return formatPlan{}, false
	}
	var plan formatPlan
	for k, slot := range slots {
		if slot.kind == slotPrecUnused {
			plan.pass = append(plan.pass, -1)
		} else {
			plan.pass = append(plan.pass, k)
		}
	}
	k := 0
	for _, p := range pieces {
		c := p.code
		if c == nil {
			continue
		}
		w, pr, val := -1, -1, -1
		if c.widthStar {
			w, k = k, k+1
		}
		if c.precStar {
			pr, k = k, k+1
		}
		if c.conv != '%' {
			val, k = k, k+1
		}
		if w >= 0 {
			plan.steps = append(plan.steps, planStep{index: w, check: checkWidth})
		}
		if val >= 0 {
			plan.steps = append(plan.steps, planStep{index: val, check: valueCheck(c)})
		}
		if pr >= 0 && slots[pr].kind == slotPrec {
			plan.steps = append(plan.steps, planStep{index: pr, check: checkPrecision})
		}
	}
	return plan, true
}

// valueCheck is the check kind of the value of directive c.
func valueCheck(c *formatCode) byte {
	switch c.conv {
	case 's':
		return checkString
	case 'c':
		return checkChar
	}
	return checkNumber
}

// nativeFormatFunction is the std.native function the rewritten code calls:
// (str, vals, object) where vals holds one value per slot (array mode, nulls for unused
// precisions) or per object code. It returns null, never an error, when it cannot guarantee
// the Jsonnet implementation's result; the caller then runs that implementation.
func nativeFormatFunction(stats *formatStats) *gojsonnet.NativeFunction {
	return &gojsonnet.NativeFunction{
		Name:   nativeFormatName,
		Params: ast.Identifiers{"str", "vals", "object"},
		Func: func(args []any) (any, error) {
			stats.calls.Add(1)
			out, ok := nativeFormat(args)
			if !ok {
				stats.declined.Add(1)
				return nil, nil
			}
			return out, nil
		},
	}
}

// nativeFormatPlanFunction is the std.native function generated code calls for a format
// string that is not a literal: (str, type, length) with the type of the values argument and
// its length when it is an array. It returns null when the Jsonnet implementation must run
// (an error, or a case beyond the native limits), else {steps: [[accessor, check], ...],
// pass: [accessor or null, ...]} (see formatPlan), accessors being array indexes or field
// names.
func nativeFormatPlanFunction() *gojsonnet.NativeFunction {
	return &gojsonnet.NativeFunction{
		Name:   nativeFormatPlanName,
		Params: ast.Identifiers{"str", "type", "length"},
		Func: func(args []any) (any, error) {
			plan, ok := nativeFormatPlan(args)
			if !ok {
				return nil, nil
			}
			return plan, nil
		},
	}
}

// nativeFormatPlan checks the arguments of the plan function and returns the plan as
// go-jsonnet turns it into a Jsonnet value.
func nativeFormatPlan(args []any) (map[string]any, bool) {
	if len(args) != 3 {
		return nil, false
	}
	s, ok1 := args[0].(string)
	typ, ok2 := args[1].(string)
	length, ok3 := args[2].(float64)
	if !ok1 || !ok2 || !ok3 || !safeString(s) {
		return nil, false
	}
	pieces, ok := parseFormat(s)
	if !ok {
		return nil, false
	}
	n := 1
	if typ == "array" {
		n = int(length)
	}
	plan, ok := planFor(pieces, typ == "object", n)
	if !ok {
		return nil, false
	}
	steps := make([]any, len(plan.steps))
	for i, st := range plan.steps {
		var accessor any = float64(st.index)
		if plan.object {
			accessor = st.key
		}
		steps[i] = []any{accessor, string(rune(st.check))}
	}
	var pass []any
	if plan.object {
		for _, st := range plan.steps {
			pass = append(pass, st.key)
		}
	} else {
		for _, k := range plan.pass {
			if k < 0 {
				pass = append(pass, nil)
			} else {
				pass = append(pass, float64(k))
			}
		}
	}
	if pass == nil {
		pass = []any{}
	}
	return map[string]any{"steps": steps, "pass": pass}, true
}

// formatStats counts the calls of the Go formatter. Safe for concurrent use.
type formatStats struct {
	// calls counts every call; declined those that fell back to Jsonnet.
	calls, declined atomic.Int64
}

// nativeFormat checks the arguments of the native function and formats.
func nativeFormat(args []any) (string, bool) {
	if len(args) != 3 {
		return "", false
	}
	s, ok1 := args[0].(string)
	vals, ok2 := args[1].([]any)
	object, ok3 := args[2].(bool)
	if !ok1 || !ok2 || !ok3 || !safeString(s) {
		return "", false
	}
	pieces, ok := parseFormat(s)
	if !ok {
		return "", false
	}
	if object {
		return formatObjectValues(pieces, vals)
	}
	return formatArrayValues(pieces, vals)
}

// safeString reports whether s survives the trip between Jsonnet and Go unchanged: go-jsonnet
// turns unpaired surrogates into U+FFFD when it hands strings to Go.
func safeString(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError)
}

// formatArrayValues renders pieces with one value per slot (see arraySlots).
func formatArrayValues(pieces []formatPiece, vals []any) (string, bool) {
	var b strings.Builder
	j := 0
	next := func() (any, bool) {
		if j >= len(vals) {
			return nil, false
		}
		v := vals[j]
		j++
		return v, true
	}
	for _, p := range pieces {
		c := p.code
		if c == nil {
			b.WriteString(p.text)
			continue
		}
		width, prec := c.width, c.prec
		if c.widthStar {
			v, ok := next()
			if !ok {
				return "", false
			}
			if width, ok = widthValue(v); !ok {
				return "", false
			}
		}
		if c.precStar {
			v, ok := next()
			if !ok {
				return "", false
			}
			if c.numeric() {
				if prec, ok = precisionValue(v); !ok {
					return "", false
				}
			}
		}
		var val any
		if c.conv != '%' {
			v, ok := next()
			if !ok {
				return "", false
			}
			val = v
		}
		s, ok := c.render(val, width, prec)
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	if j != len(vals) {
		return "", false
	}
	return b.String(), true
}

// formatObjectValues renders pieces with one value per code that has a mapping key (see
// objectCodes), in order.
func formatObjectValues(pieces []formatPiece, vals []any) (string, bool) {
	codes, ok := objectCodes(pieces)
	if !ok || len(codes) != len(vals) {
		return "", false
	}
	var b strings.Builder
	j := 0
	for _, p := range pieces {
		c := p.code
		if c == nil {
			b.WriteString(p.text)
			continue
		}
		var val any
		if c.conv != '%' {
			val = vals[j]
			j++
		}
		s, ok := c.render(val, c.width, c.prec)
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}

// widthValue accepts a * field width the native path handles.
func widthValue(v any) (float64, bool) {
	f, ok := v.(float64)
	if !ok || f < -formatMaxWidth || f > formatMaxWidth {
		return 0, false
	}
	return f, true
}

// precisionValue accepts a * precision the native path handles.
func precisionValue(v any) (float64, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f > formatMaxPrecision || f != math.Floor(f) {
		return 0, false
	}
	return f, true
}

// render formats one value with the directive and pads it to the field width, as
// format_code and pad_left/pad_right in std.jsonnet do.
func (c *formatCode) render(val any, width, prec float64) (string, bool) {
	if width < -formatMaxWidth || width > formatMaxWidth || (c.hasPrec && (prec < 0 || prec > formatMaxPrecision)) {
		return "", false
	}
	s := "%"
	if c.conv != '%' {
		var ok bool
		if s, ok = c.convert(val, width, prec); !ok {
			return "", false
		}
	}
	if c.left {
		return padRight(s, width, " "), true
	}
	return padLeft(s, width, " "), true
}

// convert is format_code: the conversion of one value, before field padding.
func (c *formatCode) convert(val any, width, prec float64) (string, bool) {
	fpprec, iprec := 6.0, 0.0
	if c.hasPrec {
		fpprec, iprec = prec, prec
	}
	zp := 0.0
	if c.zero && !c.left {
		zp = width
	}
	switch c.conv {
	case 's':
		return formatToString(val)
	case 'c':
		switch v := val.(type) {
		case float64:
			if v < 0 || v > formatMaxCodepoint {
				return "", false
			}
			return string(rune(v)), true
		case string:
			if utf8.RuneCountInString(v) != 1 || !safeString(v) {
				return "", false
			}
			return v, true
		}
		return "", false
	}
	v, ok := val.(float64)
	if !ok || !(v > -formatMaxMagnitude && v < formatMaxMagnitude) {
		return "", false
	}
	switch c.conv {
	case 'd':
		return renderInt(v <= -1, math.Floor(jsonnetAbs(v)), zp, iprec, c.blank, c.plus, 10, ""), true
	case 'o':
		prefix := ""
		if c.alt {
			prefix = "0"
		}
		return renderInt(v <= -1, math.Floor(jsonnetAbs(v)), zp, iprec, c.blank, c.plus, 8, prefix), true
	case 'x':
		return renderHex(math.Floor(v), zp, iprec, c.blank, c.plus, c.alt, c.caps), true
	case 'f':
		return renderFloatDec(v, zp, c.blank, c.plus, c.alt, true, fpprec), true
	case 'e':
		return renderFloatSci(v, zp, c.blank, c.plus, c.alt, true, c.caps, fpprec), true
	case 'g':
		exponent := 0.0
		if v != 0 {
			exponent = math.Floor(math.Log(jsonnetAbs(v)) / math.Log(10))
		}
		if exponent < -4 || exponent >= fpprec {
			return renderFloatSci(v, zp, c.blank, c.plus, c.alt, c.alt, c.caps, fpprec-1), true
		}
		digitsBeforePoint := jsonnetMax(1, exponent+1)
		return renderFloatDec(v, zp, c.blank, c.plus, c.alt, c.alt, fpprec-digitsBeforePoint), true
	}
	return "", false
}

// formatToString is std.toString for the values the native path accepts.
func formatToString(val any) (string, bool) {
	switch v := val.(type) {
	case string:
		return v, safeString(v)
	case float64:
		return jsonnetNumber(v), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "null", true
	}
	return "", false
}

// jsonnetNumber renders a number as go-jsonnet's manifester does: integers without a
// fraction, everything else with 17 significant digits.
func jsonnetNumber(v float64) string {
	if v == math.Floor(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.17g", v)
}

// jsonnetAbs is std.abs (which maps 0 to -0, unlike math.Abs).
func jsonnetAbs(n float64) float64 {
	if n > 0 {
		return n
	}
	return -n
}

// jsonnetSign is std.sign.
func jsonnetSign(n float64) float64 {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// jsonnetMax is std.max.
func jsonnetMax(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// padding is s repeated while w, decremented by one each time, stays positive.
func padding(w float64, s string) string {
	var b strings.Builder
	for ; w > 0; w-- {
		b.WriteString(s)
	}
	return b.String()
}

// padLeft adds s to the left of str until it is at least w code points long.
func padLeft(str string, w float64, s string) string {
	return padding(w-float64(utf8.RuneCountInString(str)), s) + str
}

// padRight adds s to the right of str until it is at least w code points long.
func padRight(str string, w float64, s string) string {
	return str + padding(w-float64(utf8.RuneCountInString(str)), s)
}

// signPrefix is the sign (or the space/plus flag) put before a rendered number.
func signPrefix(neg, blank, plus bool) string {
	switch {
	case neg:
		return "-"
	case plus:
		return "+"
	case blank:
		return " "
	}
	return ""
}

// renderInt renders the whole number mag >= 0 in radix (2 to 10) with at least minChars
// characters (zero padded) and at least minDigits digits.
func renderInt(neg bool, mag, minChars, minDigits float64, blank, plus bool, radix float64, zeroPrefix string) string {
	dec := "0"
	if mag != 0 {
		var digits []string
		for n := mag; n != 0; n = math.Floor(n / radix) {
			digits = append(digits, jsonnetNumber(math.Mod(n, radix)))
		}
		var b strings.Builder
		b.WriteString(zeroPrefix)
		for i := len(digits) - 1; i >= 0; i-- {
			b.WriteString(digits[i])
		}
		dec = b.String()
	}
	zp := minChars
	if neg || blank || plus {
		zp--
	}
	zp2 := jsonnetMax(zp, minDigits)
	return signPrefix(neg, blank, plus) + padLeft(dec, zp2, "0")
}

// renderHex renders the whole number n in hexadecimal.
func renderHex(n, minChars, minDigits float64, blank, plus, addZerox, capitals bool) string {
	const lower, upper = "abcdef", "ABCDEF"
	letters := lower
	if capitals {
		letters = upper
	}
	abs := jsonnetAbs(n)
	hex := "0"
	if math.Floor(abs) != 0 {
		var digits []string
		for m := math.Floor(abs); m != 0; m = math.Floor(m / 16) {
			d := math.Mod(m, 16)
			if d < 10 {
				digits = append(digits, jsonnetNumber(d))
			} else {
				k := int(d) - 10
				digits = append(digits, letters[k:k+1])
			}
		}
		var b strings.Builder
		for i := len(digits) - 1; i >= 0; i-- {
			b.WriteString(digits[i])
		}
		hex = b.String()
	}
	neg := n < 0
	zp := minChars
	if neg || blank || plus {
		zp--
	}
	prefix := ""
	if addZerox {
		zp -= 2
		prefix = "0x"
		if capitals {
			prefix = "0X"
		}
	}
	zp2 := jsonnetMax(zp, minDigits)
	return signPrefix(neg, blank, plus) + prefix + padLeft(hex, zp2, "0")
}

// stripTrailingZero removes the trailing '0' characters of str.
func stripTrailingZero(str string) string {
	return strings.TrimRight(str, "0")
}

// renderFloatDec renders n in decimal notation with prec digits after the point.
func renderFloatDec(n, zeroPad float64, blank, plus, ensurePt, trailing bool, prec float64) string {
	abs := jsonnetAbs(n)
	denominator := math.Pow(10, prec)
	// The conversion keeps the compiler from fusing the multiply and add, which go-jsonnet
	// evaluates as two rounded operations.
	numerator := float64(jsonnetAbs(abs)*denominator) + 0.5
	whole := jsonnetSign(abs) * math.Floor(numerator/denominator)
	frac := math.Mod(math.Floor(numerator), denominator)
	dotSize := 1.0
	if prec == 0 && !ensurePt {
		dotSize = 0
	}
	zp := zeroPad - prec - dotSize
	str := renderInt(n < 0, whole, zp, 0, blank, plus, 10, "")
	if prec == 0 {
		if ensurePt {
			return str + "."
		}
		return str
	}
	if trailing || frac > 0 {
		fracStr := renderInt(false, frac, prec, 0, false, false, 10, "")
		if !trailing {
			fracStr = stripTrailingZero(fracStr)
		}
		return str + "." + fracStr
	}
	return str
}

// renderFloatSci renders n in scientific notation with prec digits after the point.
func renderFloatSci(n, zeroPad float64, blank, plus, ensurePt, trailing, caps bool, prec float64) string {
	exponent := 0.0
	if n != 0 {
		exponent = math.Floor(math.Log(jsonnetAbs(n)) / math.Log(10))
	}
	e := "e"
	if caps {
		e = "E"
	}
	suff := e + renderInt(exponent < 0, jsonnetAbs(exponent), 3, 0, false, true, 10, "")
	var mantissa float64
	if exponent == -324 {
		mantissa = n * 10 / math.Pow(10, exponent+1)
	} else {
		mantissa = n / math.Pow(10, exponent)
	}
	zp2 := zeroPad - float64(utf8.RuneCountInString(suff))
	return renderFloatDec(mantissa, zp2, blank, plus, ensurePt, trailing, prec) + suff
}
