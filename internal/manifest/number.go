package manifest

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// canonicalNumber returns the canonical form of a JSON number: integral values
// that fit in 64 bits as plain integers ("1000000" for "1e6" or "1000000.0"),
// everything else in the shortest representation that round-trips, as the
// yaml.v2 emitter writes floats ("0.1" for "0.10000000000000001",
// "1.5e-07"). Integers beyond 64 bits carry no more precision than a
// float64 and take the float form too.
func canonicalNumber(n json.Number) (json.Number, error) {
	s := string(n)
	if isIntegerLiteral(s) {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			if s == "-0" {
				return "0", nil
			}
			return n, nil
		}
		if _, err := strconv.ParseUint(s, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("number %s is out of range", s)
	}
	if f == math.Trunc(f) {
		if f >= math.MinInt64 && f < math.MaxInt64 {
			return json.Number(strconv.FormatInt(int64(f), 10)), nil
		}
		if f >= 0 && f < math.MaxUint64 {
			return json.Number(strconv.FormatUint(uint64(f), 10)), nil
		}
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// isIntegerLiteral reports whether s is -?[0-9]+.
func isIntegerLiteral(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
