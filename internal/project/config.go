package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// Default values of the kforge.yaml keys. They describe a plain Tanka
// repository, so a repository without kforge.yaml needs no configuration.
const (
	DefaultLib          = "lib"
	DefaultVendor       = "vendor"
	DefaultEnvironments = "environments"
	DefaultPolicies     = "policies"
	DefaultGolden       = "golden"

	DefaultMaxStack          = 500
	DefaultMaxOutputBytes    = 128 << 20
	DefaultEvalTimeout       = 2 * time.Minute
	DefaultPolicyTimeout     = time.Minute
	DefaultParseYAMLMaxBytes = 16 << 20
	DefaultParseYAMLMaxNodes = 1_000_000
	DefaultMaxMemory         = 2 << 30
)

// Config is kforge.yaml. Every key is optional; DefaultConfig holds the
// values of absent keys. Paths are repository-relative and slash separated.
type Config struct {
	// Lib is the shared library directory on the import path ("lib").
	Lib string `json:"lib"`
	// Vendor is the jsonnet-bundler vendor directory ("vendor").
	Vendor string `json:"vendor"`
	// Environments is the directory holding the environments
	// ("environments"); a static environment's golden directory is its name
	// with this prefix removed.
	Environments string `json:"environments"`
	// Policies lists the Rego policy directories (["policies"]). An explicit
	// empty list means no policies.
	Policies []string `json:"policies"`
	// Golden is the directory holding the committed manifests ("golden").
	Golden string `json:"golden"`
	// KubernetesVersion is the "major.minor" Kubernetes version the
	// manifests target ("1.33"); empty leaves the choice to the schema
	// validator, whose default is schema.DefaultKubernetesVersion.
	KubernetesVersion string `json:"kubernetesVersion"`
	// SchemaLocations lists extra schema directories or files (none): CRD
	// YAML or kubeconform-style JSON schemas, read like --schema-location.
	SchemaLocations []string `json:"schemaLocations"`
	// Limits bounds evaluation and validation.
	Limits Limits `json:"limits"`
	// Policy configures the built-in policy pack and every loaded rule.
	Policy PolicyConfig `json:"policy"`
	// CacheURL names the shared render cache behind the local one (none):
	// oci://REGISTRY/REPOSITORY, oci+http://REGISTRY/REPOSITORY or
	// file:///PATH. $KFORGE_CACHE_URL and --cache-url override it.
	CacheURL string `json:"cacheURL"`
}

// Limits bounds the resources one environment may use. This package only
// parses and defaults them; the evaluating and validating packages enforce
// them. A zero or absent value takes the default.
type Limits struct {
	// MaxStack is the Jsonnet stack depth limit (500).
	MaxStack int `json:"maxStack"`
	// MaxOutputBytes caps the size of one environment's evaluated JSON
	// (128 MiB).
	MaxOutputBytes int64 `json:"maxOutputBytes"`
	// EvalTimeout caps the evaluation time of one environment (2m); written
	// as a Go duration string in kforge.yaml ("90s").
	EvalTimeout time.Duration `json:"evalTimeout"`
	// PolicyTimeout caps the policy evaluation time of one environment (1m).
	PolicyTimeout time.Duration `json:"policyTimeout"`
	// ParseYAMLMaxBytes caps the input of one std.native('parseYaml') call (16 MiB).
	ParseYAMLMaxBytes int64 `json:"parseYamlMaxBytes"`
	// ParseYAMLMaxNodes caps the YAML nodes one std.native('parseYaml') call may produce
	// with aliases and merge keys expanded (1,000,000): what stops alias bombs.
	ParseYAMLMaxNodes int64 `json:"parseYamlMaxNodes"`
	// MaxMemory caps the memory of the process evaluating one environment
	// (2 GiB), in bytes; enforced when evaluations run isolated in worker
	// processes.
	MaxMemory int64 `json:"maxMemory"`
}

// DefaultConfig returns the configuration of a repository without kforge.yaml.
func DefaultConfig() Config {
	return Config{
		Lib:          DefaultLib,
		Vendor:       DefaultVendor,
		Environments: DefaultEnvironments,
		Policies:     []string{DefaultPolicies},
		Golden:       DefaultGolden,
		Limits:       DefaultLimits(),
		Policy:       DefaultPolicyConfig(),
	}
}

// DefaultLimits returns the limits used when kforge.yaml sets none.
func DefaultLimits() Limits {
	return Limits{
		MaxStack:          DefaultMaxStack,
		MaxOutputBytes:    DefaultMaxOutputBytes,
		EvalTimeout:       DefaultEvalTimeout,
		PolicyTimeout:     DefaultPolicyTimeout,
		ParseYAMLMaxBytes: DefaultParseYAMLMaxBytes,
		ParseYAMLMaxNodes: DefaultParseYAMLMaxNodes,
		MaxMemory:         DefaultMaxMemory,
	}
}

// configDecoder decodes one key of kforge.yaml into the configuration.
type configDecoder func(c *Config, key string, raw json.RawMessage) error

var yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// ParseConfig parses the content of a kforge.yaml file strictly: invalid YAML,
// a duplicate or unknown key and a value of the wrong type are errors that
// name file (repository-relative, as given) and key, with the line where it
// can be found. Absent keys take their defaults.
func ParseConfig(file string, data []byte) (Config, error) {
	cfg := DefaultConfig()
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return cfg, yamlError(file, err)
	}
	js = bytes.TrimSpace(js)
	if len(js) == 0 || string(js) == "null" {
		return cfg, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil {
		return cfg, &ConfigError{File: file, Line: 1, Message: "the document must be a mapping of keys to values"}
	}
	decoders := map[string]configDecoder{
		"lib":               pathKey(func(c *Config) *string { return &c.Lib }, false),
		"vendor":            pathKey(func(c *Config) *string { return &c.Vendor }, false),
		"environments":      pathKey(func(c *Config) *string { return &c.Environments }, true),
		"golden":            pathKey(func(c *Config) *string { return &c.Golden }, false),
		"policies":          decodePolicies,
		"kubernetesVersion": decodeKubernetesVersion,
		"schemaLocations":   decodeSchemaLocations,
		"limits":            decodeLimits,
		"policy":            decodePolicy,
		"cacheURL":          decodeCacheURL,
	}
	for _, key := range sortedKeys(top) {
		if isNull(top[key]) {
			continue // "key:" with no value keeps the default
		}
		dec, ok := decoders[key]
		if !ok {
			return cfg, &ConfigError{File: file, Line: keyLine(data, key), Key: key,
				Message: "unknown key (known keys: " + strings.Join(sortedKeys(decoders), ", ") + ")"}
		}
		if err := dec(&cfg, key, top[key]); err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) {
				ce.File = file
				ce.Line = keyLine(data, lastSegment(ce.Key))
				if n := exceptionIndex(ce.Key); n >= 0 {
					xs := make([]PolicyException, n+1)
					exceptionLines(data, xs)
					ce.Line = cmpOr(xs[n].Line, ce.Line)
				}
				return cfg, ce
			}
			return cfg, err
		}
	}
	exceptionLines(data, cfg.Policy.Exceptions)
	return cfg, nil
}

// yamlError turns a YAML parser error into a ConfigError carrying its line.
func yamlError(file string, err error) *ConfigError {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ConfigError{File: file, Line: line, Message: "invalid YAML: " + m[2]}
	}
	return &ConfigError{File: file, Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// keyLine finds the first line that defines key, 0 when none does. The YAML
// has already been parsed, so this only serves to point the reader at it.
func keyLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		t = strings.TrimPrefix(t, "- ")
		for _, k := range []string{key, `"` + key + `"`, `'` + key + `'`} {
			if rest, ok := strings.CutPrefix(t, k); ok && strings.HasPrefix(strings.TrimSpace(rest), ":") {
				return i + 1
			}
		}
	}
	return 0
}

// lastSegment returns the last key of a dotted path without an index:
// "limits.maxStack" → "maxStack", "policies[1]" → "policies".
func lastSegment(key string) string {
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// pathKey decodes a directory key: a non-empty relative path that stays
// inside the repository. The root itself (".") is accepted only where
// allowRoot is set.
func pathKey(field func(*Config) *string, allowRoot bool) configDecoder {
	return func(c *Config, key string, raw json.RawMessage) error {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return &ConfigError{Key: key, Message: "must be a string (a repository-relative directory), found " + jsonKind(raw)}
		}
		p, err := cleanRepoPath(s, allowRoot)
		if err != nil {
			return &ConfigError{Key: key, Message: err.Error()}
		}
		*field(c) = p
		return nil
	}
}

// cleanRepoPath validates and cleans a repository-relative directory.
func cleanRepoPath(s string, allowRoot bool) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("must not be empty")
	}
	s = strings.ReplaceAll(s, `\`, "/")
	if path.IsAbs(s) || (len(s) > 1 && s[1] == ':') {
		return "", fmt.Errorf("%q must be relative to the repository root", s)
	}
	p := path.Clean(s)
	if escapes(p) {
		return "", fmt.Errorf("%q must stay inside the repository", s)
	}
	if p == "." && !allowRoot {
		return "", fmt.Errorf("%q must name a directory below the repository root", s)
	}
	return p, nil
}

func decodePolicies(c *Config, key string, raw json.RawMessage) error {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || list == nil {
		return &ConfigError{Key: key, Message: "must be a list of repository-relative directories, found " + jsonKind(raw)}
	}
	out := make([]string, 0, len(list))
	for i, s := range list {
		p, err := cleanRepoPath(s, true)
		if err != nil {
			return &ConfigError{Key: fmt.Sprintf("%s[%d]", key, i), Message: err.Error()}
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	c.Policies = out
	return nil
}

var kubeVersionRE = regexp.MustCompile(`^v?(\d+)\.(\d+)$`)

func decodeKubernetesVersion(c *Config, key string, raw json.RawMessage) error {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		msg := "must be a string, found " + jsonKind(raw)
		if jsonKind(raw) == "a number" {
			msg = fmt.Sprintf("must be a quoted string such as \"1.30\": YAML reads %s as a number", strings.TrimSpace(string(raw)))
		}
		return &ConfigError{Key: key, Message: msg}
	}
	m := kubeVersionRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return &ConfigError{Key: key, Message: fmt.Sprintf("%q is not a \"major.minor\" version such as \"1.33\"", s)}
	}
	c.KubernetesVersion = m[1] + "." + m[2]
	return nil
}

// cacheURLSchemes are the schemes a cacheURL may have; internal/remotecache parses the rest.
var cacheURLSchemes = []string{"oci://", "oci+http://", "file:///"}

func decodeCacheURL(c *Config, key string, raw json.RawMessage) error {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return &ConfigError{Key: key, Message: "must be a string, found " + jsonKind(raw)}
	}
	ok := false
	for _, scheme := range cacheURLSchemes {
		ok = ok || strings.HasPrefix(s, scheme)
	}
	if !ok {
		return &ConfigError{Key: key, Message: fmt.Sprintf("%q is not oci://REGISTRY/REPOSITORY, oci+http://REGISTRY/REPOSITORY or file:///PATH", s)}
	}
	c.CacheURL = s
	return nil
}

func decodeSchemaLocations(c *Config, key string, raw json.RawMessage) error {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || list == nil {
		return &ConfigError{Key: key, Message: "must be a list of repository-relative directories or files, found " + jsonKind(raw)}
	}
	out := make([]string, 0, len(list))
	for i, s := range list {
		p, err := cleanRepoPath(s, false)
		if err != nil {
			return &ConfigError{Key: fmt.Sprintf("%s[%d]", key, i), Message: err.Error()}
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	c.SchemaLocations = out
	return nil
}

func decodeLimits(c *Config, key string, raw json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return &ConfigError{Key: key, Message: "must be a mapping, found " + jsonKind(raw)}
	}
	l := &c.Limits
	fields := map[string]func(k string, v json.RawMessage) error{
		"maxStack": func(k string, v json.RawMessage) error {
			n, err := positiveInt(k, v)
			if n > 0 {
				l.MaxStack = int(n)
			}
			return err
		},
		"maxOutputBytes": func(k string, v json.RawMessage) error {
			n, err := positiveInt(k, v)
			if n > 0 {
				l.MaxOutputBytes = n
			}
			return err
		},
		"maxMemory": func(k string, v json.RawMessage) error {
			n, err := positiveInt(k, v)
			if n > 0 {
				l.MaxMemory = n
			}
			return err
		},
		"parseYamlMaxBytes": func(k string, v json.RawMessage) error {
			n, err := positiveInt(k, v)
			if n > 0 {
				l.ParseYAMLMaxBytes = n
			}
			return err
		},
		"parseYamlMaxNodes": func(k string, v json.RawMessage) error {
			n, err := positiveInt(k, v)
			if n > 0 {
				l.ParseYAMLMaxNodes = n
			}
			return err
		},
		"evalTimeout": func(k string, v json.RawMessage) error {
			d, err := positiveDuration(k, v)
			if d > 0 {
				l.EvalTimeout = d
			}
			return err
		},
		"policyTimeout": func(k string, v json.RawMessage) error {
			d, err := positiveDuration(k, v)
			if d > 0 {
				l.PolicyTimeout = d
			}
			return err
		},
	}
	for _, k := range sortedKeys(m) {
		f, ok := fields[k]
		full := key + "." + k
		if !ok {
			return &ConfigError{Key: full, Message: "unknown key (known keys: " + strings.Join(sortedKeys(fields), ", ") + ")"}
		}
		if isNull(m[k]) {
			continue
		}
		if err := f(full, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// positiveInt decodes a whole number; 0 means "use the default".
func positiveInt(key string, raw json.RawMessage) (int64, error) {
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return 0, &ConfigError{Key: key, Message: "must be a whole number, found " + jsonKind(raw)}
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return 0, &ConfigError{Key: key, Message: fmt.Sprintf("must be a whole number, found %s", n)}
	}
	if v < 0 {
		return 0, &ConfigError{Key: key, Message: fmt.Sprintf("must not be negative, found %d", v)}
	}
	return v, nil
}

// positiveDuration decodes a Go duration string; "0s" means "use the default".
func positiveDuration(key string, raw json.RawMessage) (time.Duration, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, &ConfigError{Key: key, Message: "must be a duration string such as \"90s\" or \"2m\", found " + jsonKind(raw)}
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, &ConfigError{Key: key, Message: fmt.Sprintf("%q is not a duration such as \"90s\" or \"2m\"", s)}
	}
	if d < 0 {
		return 0, &ConfigError{Key: key, Message: fmt.Sprintf("must not be negative, found %s", s)}
	}
	return d, nil
}

// isNull reports whether raw is JSON null (a YAML key without a value).
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// JSONType names the JSON type of raw for error messages: "an object", "a list", "a string",
// "a boolean", "null", "a number", or "nothing" when raw is empty. The project's and the
// environments' configuration readers share it.
func JSONType(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// jsonKind is JSONType in the words of kforge.yaml, a YAML file: an object is "a mapping".
func jsonKind(raw json.RawMessage) string {
	if t := JSONType(raw); t != "an object" {
		return t
	}
	return "a mapping"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
