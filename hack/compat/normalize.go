package main

import (
	"bytes"
	"math/big"
	"regexp"
)

// exponentLine matches a line whose scalar value is a bare number in exponent notation, as tk
// writes integers of 1e6 and more after decoding them through float64: a YAML value
// (`  replicas: 1e+06`, `- 1e+06`) or a JSON value (`  "size": 1e+06,`). Numbers inside quoted
// strings or in the middle of text are left alone, so the normalisation cannot hide a difference in
// a string.
var exponentLine = regexp.MustCompile(`^(\s*(?:- )*(?:"(?:[^"\\]|\\.)*": |[^\s"'#-][^:]*: )?)(-?[0-9](?:\.[0-9]+)?e[+-]?[0-9]+)(,?)$`)

// normalizeNumbers rewrites, line by line, every bare exponent-notation number that denotes an
// integer (`1e+06`, `1.073741824e+09`) into its integer digits (`1000000`, `1073741824`), the
// documented difference between tk's output and kforge's. It reports whether anything changed.
// Non-integral numbers (`1.5e-07`) stay as they are.
func normalizeNumbers(in []byte) ([]byte, bool) {
	lines := bytes.SplitAfter(in, []byte("\n"))
	changed := false
	var out bytes.Buffer
	out.Grow(len(in))
	for _, line := range lines {
		body := bytes.TrimSuffix(line, []byte("\n"))
		m := exponentLine.FindSubmatchIndex(body)
		if m == nil {
			out.Write(line)
			continue
		}
		num := string(body[m[4]:m[5]])
		r, ok := new(big.Rat).SetString(num)
		if !ok || !r.IsInt() {
			out.Write(line)
			continue
		}
		out.Write(body[:m[4]])
		out.WriteString(r.Num().String())
		out.Write(body[m[5]:])
		out.Write(line[len(body):])
		changed = true
	}
	return out.Bytes(), changed
}
