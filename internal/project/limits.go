package project

import (
	"fmt"
	"strconv"
	"strings"
)

// Override returns l with every positive field of o in place of its own: the limits given on
// the command line over those of kforge.yaml.
func (l Limits) Override(o Limits) Limits {
	override := func(dst *int64, v int64) {
		if v > 0 {
			*dst = v
		}
	}
	if o.MaxStack > 0 {
		l.MaxStack = o.MaxStack
	}
	if o.EvalTimeout > 0 {
		l.EvalTimeout = o.EvalTimeout
	}
	if o.PolicyTimeout > 0 {
		l.PolicyTimeout = o.PolicyTimeout
	}
	override(&l.MaxOutputBytes, o.MaxOutputBytes)
	override(&l.MaxMemory, o.MaxMemory)
	override(&l.ParseYAMLMaxBytes, o.ParseYAMLMaxBytes)
	override(&l.ParseYAMLMaxNodes, o.ParseYAMLMaxNodes)
	return l
}

// byteUnits maps size suffixes to their multipliers, binary before decimal so that "Mi" is not
// read as "M".
var byteUnits = []struct {
	suffix string
	mult   int64
}{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40},
	{"K", 1e3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
}

// ParseByteSize parses a byte count such as a size limit: a number with an optional unit and
// an optional trailing B, e.g. 1048576, 64Ki, 64KiB, 512Mi, 2Gi or 1G (10^9).
func ParseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) > 1 {
		t = strings.TrimSuffix(t, "B")
	}
	mult := int64(1)
	for _, u := range byteUnits {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = rest, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size such as 1048576, 64Mi or 2Gi", s)
	}
	if n > (1<<63-1)/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}
