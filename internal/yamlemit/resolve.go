package yamlemit

import (
	"strconv"
	"strings"
	"time"
)

// plainIsString reports whether the string s, written without quotes, reads back as a
// string under yaml.v2's implicit typing (YAML 1.1: booleans such as y, on and NO, null and
// ~, integers in any base with underscores, floats including .inf and .nan, timestamps) and
// is no base-60 number, which yaml.v2 quotes too. Where it reports false, yaml.v2 asks for
// double quotes. Only strings without line breaks are asked.
func plainIsString(s string) bool {
	if s == "" {
		return false // null
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		return !signedSpecial(s) && !numberOrTime(s) && !base60(s)
	case c == '.':
		if dotSpecial(s) {
			return false
		}
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		return !boolOrNullWord(s)
	}
	return true
}

// boolOrNullWord reports whether s is one of YAML 1.1's boolean or null words in the
// spellings yaml.v2 accepts (lower case, capitalised, upper case).
func boolOrNullWord(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		"~", "null", "Null", "NULL":
		return true
	}
	return false
}

// dotSpecial reports whether s is .nan or .inf in one of its three spellings.
func dotSpecial(s string) bool {
	switch s {
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
		return true
	}
	return false
}

// signedSpecial reports whether s is a signed infinity in one of its spellings.
func signedSpecial(s string) bool {
	return (s[0] == '+' || s[0] == '-') && len(s) == 5 && (s[1:] == ".inf" || s[1:] == ".Inf" || s[1:] == ".INF")
}

// timestampLayouts are the time.Parse layouts yaml.v2 tries on plain scalars that start
// with four digits and a dash.
var timestampLayouts = [...]string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// numberOrTime reports whether s, which starts with a sign or a digit, reads as a
// timestamp, an integer (any base strconv accepts with prefix 0, underscores ignored, or
// binary with 0b/-0b) or a float in YAML's decimal syntax.
func numberOrTime(s string) bool {
	if len(s) > 4 && s[4] == '-' && allDigits(s[:4]) {
		for _, layout := range timestampLayouts {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	plain := s
	if strings.IndexByte(s, '_') >= 0 {
		plain = strings.ReplaceAll(s, "_", "")
	}
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	if decimalFloatSyntax(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return true
		}
	}
	switch {
	case strings.HasPrefix(plain, "0b"):
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return true
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return true
		}
	case strings.HasPrefix(plain, "-0b"):
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return true
		}
	}
	return false
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitRun returns the index after the ASCII digits of s starting at i.
func digitRun(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// decimalFloatSyntax reports whether s is an optional sign, then either ".digits" or
// "digits" with an optional "." and digits, then an optional exponent.
func decimalFloatSyntax(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		j := digitRun(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	} else {
		j := digitRun(s, i)
		if j == i {
			return false
		}
		i = j
		if i < len(s) && s[i] == '.' {
			i = digitRun(s, i+1)
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitRun(s, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// base60 reports whether s is a YAML 1.1 sexagesimal number: an optional sign, a digit,
// digits or underscores, one or more ":" groups of one or two digits (the first 0-5), and an
// optional "." with digits or underscores.
func base60(s string) bool {
	if strings.IndexByte(s, ':') < 0 {
		return false
	}
	i := 0
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	if i == len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	i++
	for i < len(s) && (s[i] == '_' || (s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	groups := 0
	for i < len(s) && s[i] == ':' {
		i++
		switch {
		case i+1 < len(s) && s[i] >= '0' && s[i] <= '5' && s[i+1] >= '0' && s[i+1] <= '9':
			i += 2
		case i < len(s) && s[i] >= '0' && s[i] <= '9':
			i++
		default:
			return false
		}
		groups++
	}
	if groups == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && (s[i] == '_' || (s[i] >= '0' && s[i] <= '9')) {
			i++
		}
	}
	return i == len(s)
}
