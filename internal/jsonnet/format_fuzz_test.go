package jsonnet

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// jsonnetNumberLiteral renders f as a Jsonnet expression (Jsonnet has no literal for
// negative numbers, NaN or infinities; the latter two are mapped to 0).
func jsonnetNumberLiteral(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	s := strconv.FormatFloat(math.Abs(f), 'g', -1, 64)
	if math.Signbit(f) {
		return "(-" + s + ")"
	}
	return s
}

// fuzzValues builds the values argument of a fuzzed call from its parts; shape picks the
// form (array of both values, reversed, one value, object, width/precision star values...).
func fuzzValues(shape uint8, s string, f float64, n int8) string {
	str, num := jsonnetString(s), jsonnetNumberLiteral(f)
	small := strconv.Itoa(int(n))
	switch shape % 10 {
	case 0:
		return "[" + str + ", " + num + "]"
	case 1:
		return "[" + num + ", " + str + "]"
	case 2:
		return num
	case 3:
		return str
	case 4:
		return "{a: " + str + ", b: " + num + ", c: " + small + "}"
	case 5:
		return "[" + small + ", " + num + "]"
	case 6:
		return "[" + small + ", " + small + ", " + num + "]"
	case 7:
		return "[" + num + "]"
	case 8:
		return "[" + str + ", " + num + ", " + small + ", true, null]"
	default:
		return "[" + str + "]"
	}
}

// FuzzFormat checks that native formatting gives exactly what go-jsonnet's Jsonnet
// implementation gives, output or error, for a fuzzed format string and values, through
// both std.format and the % operator.
func FuzzFormat(f *testing.F) {
	for _, seed := range []struct {
		format string
		shape  uint8
		s      string
		num    float64
		n      int8
	}{
		{"%s-%d", 0, "svc", 3, 0},
		{"%(a)s/%(b)05.1f/%(c)x", 4, "name", 2.345, 12},
		{"%*.*f|", 6, "", 3.14159, 5},
		{"%#-10o|%+e", 1, "x", -0.5, 0},
		{"%c%c", 0, "é", 233, 0},
		{"%g %G %.0g", 7, "", 1e-5, 0},
		{"%5%%-5%|%s", 3, "日本語", 0, 0},
		{"%(a)", 4, "", 0, 0},
		{"100%", 9, "x", 0, 0},
	} {
		f.Add(seed.format, seed.shape, seed.s, seed.num, seed.n)
	}
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, format string, shape uint8, s string, num float64, n int8) {
		// Long inputs only slow the fuzzer down, and so do huge field widths: the Jsonnet
		// implementation pads one character per function call.
		format, s = truncate(format, 64), truncate(s, 64)
		if longDigitRun(format, 5) {
			return
		}
		if strings.Contains(format, "*") {
			num = math.Mod(num, 1000)
		}
		lit := jsonnetString(format)
		vals := fuzzValues(shape, s, num, n)
		for _, code := range []string{
			"std.format(" + lit + ", " + vals + ")",
			lit + " % " + vals,
			"local f = " + lit + "; f % " + vals,
		} {
			got, _ := evalFormat(t, root, code, true)
			want, _ := evalFormat(t, root, code, false)
			sameOutcome(t, code, got, want)
		}
	})
}

// longDigitRun reports whether s has n or more consecutive ASCII digits.
func longDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// truncate cuts s to at most n bytes.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
