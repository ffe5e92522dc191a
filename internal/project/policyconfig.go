package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PolicyConfig is kforge.yaml's `policy` key: the built-in policy pack and how every loaded
// rule applies. The zero value of each field but Builtin changes nothing.
type PolicyConfig struct {
	// Builtin loads the policy pack built into kforge (true).
	Builtin bool `json:"builtin"`
	// Disable lists rule ids that report nothing.
	Disable []string `json:"disable"`
	// Severity overrides rules' severities by id: error, warning or info.
	Severity map[string]string `json:"severity"`
	// Tiers maps environments to tiers.
	Tiers TierConfig `json:"tiers"`
	// Exceptions waive one rule's findings on matching resources until they expire.
	Exceptions []PolicyException `json:"exceptions"`
}

// TierConfig decides an environment's tier (input.environment.tier).
type TierConfig struct {
	// Label is the spec.json metadata label holding the tier ("tier").
	Label string `json:"label"`
	// Patterns give a tier to environments without the label, by name; the first match wins.
	Patterns []TierPattern `json:"patterns"`
	// Default is the tier of an environment neither the label nor a pattern names; empty
	// leaves it to the policies (the built-in pack treats an unknown tier as prod for its
	// limits and its hygiene rules as warnings).
	Default string `json:"default"`
}

// TierPattern gives the environments whose name matches Match the tier Tier.
type TierPattern struct {
	// Match is a glob (path.Match syntax) on the environment name, e.g. "environments/prod-*".
	Match string `json:"match"`
	// Tier is the tier of matching environments.
	Tier string `json:"tier"`
}

// PolicyException waives the findings of one rule.
type PolicyException struct {
	// Rule is the id of the rule waived.
	Rule string `json:"rule"`
	// Resources is a glob on "<kind>/<namespace>/<name>" (path.Match syntax: "*" matches one
	// part; a cluster-scoped object has an empty namespace, "ClusterRole//admin"); empty
	// matches every resource.
	Resources string `json:"resources"`
	// Environments are globs on environment names; empty matches every environment.
	Environments []string `json:"environments"`
	// Reason says why the finding is accepted (required).
	Reason string `json:"reason"`
	// Expires is the last day (YYYY-MM-DD) the exception applies; empty means never.
	Expires string `json:"expires"`
	// ExpiresOn is Expires parsed; zero when it does not expire.
	ExpiresOn time.Time `json:"-"`
	// Line is the exception's line in kforge.yaml.
	Line int `json:"-"`
}

// DefaultPolicyConfig is the `policy` key of a repository without one: the built-in pack on.
func DefaultPolicyConfig() PolicyConfig {
	return PolicyConfig{Builtin: true, Tiers: TierConfig{Label: "tier"}}
}

var severities = []string{"error", "warning", "info"}

func decodePolicy(c *Config, key string, raw json.RawMessage) error {
	if JSONType(raw) != "an object" {
		return &ConfigError{Key: key, Message: "must be a mapping, found " + jsonKind(raw)}
	}
	pc := DefaultPolicyConfig()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pc); err != nil {
		return policyDecodeError(key, err)
	}
	for i, id := range pc.Disable {
		if strings.TrimSpace(id) == "" {
			return &ConfigError{Key: fmt.Sprintf("%s.disable[%d]", key, i), Message: "must be a rule id such as KF-K8S-003"}
		}
	}
	for id, sev := range pc.Severity {
		if !contains(severities, sev) {
			return &ConfigError{Key: key + ".severity", Message: fmt.Sprintf("%s: %q is not one of error, warning, info", id, sev)}
		}
	}
	if pc.Tiers.Label == "" {
		pc.Tiers.Label = "tier"
	}
	for i, p := range pc.Tiers.Patterns {
		k := fmt.Sprintf("%s.tiers.patterns[%d]", key, i)
		if err := checkGlob(p.Match); err != nil || p.Match == "" {
			return &ConfigError{Key: k + ".match", Message: fmt.Sprintf("%q is not a glob on environment names", p.Match)}
		}
		if p.Tier == "" {
			return &ConfigError{Key: k + ".tier", Message: "must name a tier"}
		}
	}
	for i := range pc.Exceptions {
		x := &pc.Exceptions[i]
		k := fmt.Sprintf("%s.exceptions[%d]", key, i)
		switch {
		case strings.TrimSpace(x.Rule) == "":
			return &ConfigError{Key: k + ".rule", Message: "must be a rule id such as KF-K8S-003"}
		case strings.TrimSpace(x.Reason) == "":
			return &ConfigError{Key: k + ".reason", Message: "must say why the finding is accepted"}
		case checkGlob(x.Resources) != nil:
			return &ConfigError{Key: k + ".resources", Message: fmt.Sprintf("%q is not a glob on kind/namespace/name", x.Resources)}
		}
		for _, g := range x.Environments {
			if checkGlob(g) != nil {
				return &ConfigError{Key: k + ".environments", Message: fmt.Sprintf("%q is not a glob on environment names", g)}
			}
		}
		if x.Expires != "" {
			d, err := time.Parse(time.DateOnly, x.Expires)
			if err != nil {
				return &ConfigError{Key: k + ".expires", Message: fmt.Sprintf("%q is not a date such as 2026-12-31", x.Expires)}
			}
			x.ExpiresOn = d
		}
	}
	c.Policy = pc
	return nil
}

// policyDecodeError names the key a JSON decoding error is about.
func policyDecodeError(key string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &ConfigError{Key: key + "." + te.Field, Message: "must be " + jsonTypeName(te.Type.Kind().String()) + ", found a " + te.Value}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &ConfigError{Key: key + "." + strings.Trim(f, `"`),
			Message: "unknown key (known keys: builtin, disable, exceptions, severity, tiers; tiers: label, patterns, default; exceptions: rule, resources, environments, reason, expires)"}
	}
	return &ConfigError{Key: key, Message: err.Error()}
}

// jsonTypeName says a Go kind in YAML's words.
func jsonTypeName(kind string) string {
	switch kind {
	case "bool":
		return "a boolean"
	case "slice":
		return "a list"
	case "map", "struct":
		return "a mapping"
	case "string":
		return "a string"
	}
	return kind
}

func checkGlob(g string) error {
	_, err := path.Match(g, "")
	return err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// exceptionLines sets each exception's line: the n-th list item under the `exceptions:` key.
func exceptionLines(data []byte, xs []PolicyException) {
	start := keyLine(data, "exceptions")
	if start == 0 {
		return
	}
	lines := strings.Split(string(data), "\n")
	n := 0
	for i := start; i < len(lines) && n < len(xs); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "- ") || strings.TrimSpace(lines[i]) == "-" {
			xs[n].Line = i + 1
			n++
		}
	}
}

var exceptionIndexRE = regexp.MustCompile(`^policy\.exceptions\[(\d+)\]`)

// exceptionIndex is the index of the exception a key names, -1 when it names none.
func exceptionIndex(key string) int {
	m := exceptionIndexRE.FindStringSubmatch(key)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 10000 {
		return -1
	}
	return n
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}
