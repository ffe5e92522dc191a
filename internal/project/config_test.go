package project

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	withDefaults := func(edit func(c *Config)) Config {
		c := DefaultConfig()
		edit(&c)
		return c
	}
	tests := []struct {
		name string
		yaml string
		want Config
	}{
		{name: "empty file", yaml: "", want: DefaultConfig()},
		{name: "only a comment", yaml: "# nothing here\n", want: DefaultConfig()},
		{name: "keys without values keep defaults", yaml: "lib:\nlimits:\n", want: DefaultConfig()},
		{name: "every key", yaml: `
lib: jsonnet/lib
vendor: vendor-jsonnet/
environments: envs
policies: [policies, extra/policies, policies]
golden: out/golden
kubernetesVersion: "1.30"
limits:
  maxStack: 1000
  maxOutputBytes: 1048576
  evalTimeout: 90s
  policyTimeout: 10s
  parseYamlMaxBytes: 4096
  parseYamlMaxNodes: 500
  maxMemory: 536870912
`, want: Config{
			Lib: "jsonnet/lib", Vendor: "vendor-jsonnet", Environments: "envs",
			Policies: []string{"policies", "extra/policies"}, Golden: "out/golden", KubernetesVersion: "1.30",
			Limits: Limits{MaxStack: 1000, MaxOutputBytes: 1 << 20, EvalTimeout: 90 * time.Second, PolicyTimeout: 10 * time.Second, ParseYAMLMaxBytes: 4096, ParseYAMLMaxNodes: 500, MaxMemory: 512 << 20},
			Policy: DefaultPolicyConfig(),
		}},
		{name: "policy", yaml: `
policy:
  builtin: false
  disable: [KF-K8S-003]
  severity: {KF-CANARY-002: warning}
  tiers:
    label: stage
    patterns:
      - {match: "environments/prod-*", tier: prod}
    default: dev
  exceptions:
    - rule: KF-K8S-001
      resources: "Deployment/apps/*"
      environments: ["environments/dev"]
      reason: vendor image
      expires: "2030-01-31"
`, want: withDefaults(func(c *Config) {
			c.Policy = PolicyConfig{Disable: []string{"KF-K8S-003"}, Severity: map[string]string{"KF-CANARY-002": "warning"},
				Tiers: TierConfig{Label: "stage", Patterns: []TierPattern{{Match: "environments/prod-*", Tier: "prod"}}, Default: "dev"},
				Exceptions: []PolicyException{{Rule: "KF-K8S-001", Resources: "Deployment/apps/*", Environments: []string{"environments/dev"},
					Reason: "vendor image", Expires: "2030-01-31", ExpiresOn: time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC), Line: 12}}}
		})},
		{name: "explicit empty policies", yaml: "policies: []\n", want: withDefaults(func(c *Config) { c.Policies = []string{} })},
		{name: "environments at the root", yaml: "environments: .\n", want: withDefaults(func(c *Config) { c.Environments = "." })},
		{name: "v-prefixed version", yaml: "kubernetesVersion: v1.31\n", want: withDefaults(func(c *Config) { c.KubernetesVersion = "1.31" })},
		{name: "schema locations", yaml: "schemaLocations: [schemas/json, ./crds/, crds]\n", want: withDefaults(func(c *Config) { c.SchemaLocations = []string{"schemas/json", "crds"} })},
		{name: "zero limit keeps the default", yaml: "limits:\n  maxStack: 0\n", want: DefaultConfig()},
		{name: "cache URL", yaml: "cacheURL: oci://ghcr.io/org/kforge-cache\n", want: withDefaults(func(c *Config) { c.CacheURL = "oci://ghcr.io/org/kforge-cache" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig("kforge.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseConfig =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{name: "unknown key", yaml: "lib: lib\nvendr: x\n", want: "kforge.yaml:2: vendr: unknown key (known keys: cacheURL, environments, golden, kubernetesVersion, lib, limits, policies, policy, schemaLocations, vendor)"},
		{name: "schema location outside", yaml: "schemaLocations: [../schemas]\n", want: "kforge.yaml:1: schemaLocations[0]: \"../schemas\" must stay inside the repository"},
		{name: "unknown policy key", yaml: "policy:\n  disabled: [X]\n", want: "kforge.yaml:2: policy.disabled: unknown key (known keys: builtin, disable, exceptions, severity, tiers; tiers: label, patterns, default; exceptions: rule, resources, environments, reason, expires)"},
		{name: "bad severity", yaml: "policy:\n  severity: {KF-K8S-003: fatal}\n", want: "kforge.yaml:2: policy.severity: KF-K8S-003: \"fatal\" is not one of error, warning, info"},
		{name: "exception without a reason", yaml: "policy:\n  exceptions:\n    - rule: KF-K8S-003\n", want: "kforge.yaml:3: policy.exceptions[0].reason: must say why the finding is accepted"},
		{name: "bad expiry", yaml: "policy:\n  exceptions:\n    - {rule: KF-K8S-003, reason: x, expires: soon}\n", want: "kforge.yaml:3: policy.exceptions[0].expires: \"soon\" is not a date such as 2026-12-31"},
		{name: "unknown limits key", yaml: "limits:\n  maxStak: 3\n", want: "kforge.yaml:2: limits.maxStak: unknown key (known keys: evalTimeout, maxMemory, maxOutputBytes, maxStack, parseYamlMaxBytes, parseYamlMaxNodes, policyTimeout)"},
		{name: "bad YAML", yaml: "lib: lib\nvendor: [a\n", want: "kforge.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{name: "bad indentation", yaml: "lib: a\n  vendor: b\n", want: "kforge.yaml:2: invalid YAML: mapping values are not allowed in this context"},
		{name: "duplicate key", yaml: "lib: a\nlib: b\n", want: "kforge.yaml:2: invalid YAML: key \"lib\" already set in map"},
		{name: "not a mapping", yaml: "- lib\n", want: "kforge.yaml:1: the document must be a mapping of keys to values"},
		{name: "path of wrong type", yaml: "golden: [a]\n", want: "kforge.yaml:1: golden: must be a string (a repository-relative directory), found a list"},
		{name: "absolute path", yaml: "vendor: /usr/share\n", want: "kforge.yaml:1: vendor: \"/usr/share\" must be relative to the repository root"},
		{name: "escaping path", yaml: "lib: ../lib\n", want: "kforge.yaml:1: lib: \"../lib\" must stay inside the repository"},
		{name: "golden at the root", yaml: "golden: .\n", want: "kforge.yaml:1: golden: \".\" must name a directory below the repository root"},
		{name: "policies not a list", yaml: "policies: policies\n", want: "kforge.yaml:1: policies: must be a list of repository-relative directories, found a string"},
		{name: "bad policies entry", yaml: "policies:\n  - ok\n  - ../x\n", want: "kforge.yaml:1: policies[1]: \"../x\" must stay inside the repository"},
		{name: "unquoted version", yaml: "kubernetesVersion: 1.30\n", want: "kforge.yaml:1: kubernetesVersion: must be a quoted string such as \"1.30\": YAML reads 1.3 as a number"},
		{name: "malformed version", yaml: "kubernetesVersion: \"1\"\n", want: "kforge.yaml:1: kubernetesVersion: \"1\" is not a \"major.minor\" version such as \"1.33\""},
		{name: "cache URL of unknown scheme", yaml: "lib: lib\ncacheURL: s3://bucket/cache\n", want: "kforge.yaml:2: cacheURL: \"s3://bucket/cache\" is not oci://REGISTRY/REPOSITORY, oci+http://REGISTRY/REPOSITORY or file:///PATH"},
		{name: "cache URL not a string", yaml: "cacheURL: [a]\n", want: "kforge.yaml:1: cacheURL: must be a string, found a list"},
		{name: "limits not a mapping", yaml: "limits: 5\n", want: "kforge.yaml:1: limits: must be a mapping, found a number"},
		{name: "limit of wrong type", yaml: "limits:\n  maxStack: lots\n", want: "kforge.yaml:2: limits.maxStack: must be a whole number, found a string"},
		{name: "fractional limit", yaml: "limits:\n  maxOutputBytes: 1.5\n", want: "kforge.yaml:2: limits.maxOutputBytes: must be a whole number, found 1.5"},
		{name: "negative limit", yaml: "limits:\n  parseYamlMaxBytes: -1\n", want: "kforge.yaml:2: limits.parseYamlMaxBytes: must not be negative, found -1"},
		{name: "memory limit with a unit", yaml: "limits:\n  maxMemory: 2Gi\n", want: "kforge.yaml:2: limits.maxMemory: must be a whole number, found a string"},
		{name: "bad duration", yaml: "limits:\n  evalTimeout: soon\n", want: "kforge.yaml:2: limits.evalTimeout: \"soon\" is not a duration such as \"90s\" or \"2m\""},
		{name: "duration as number", yaml: "limits:\n  policyTimeout: 30\n", want: "kforge.yaml:2: limits.policyTimeout: must be a duration string such as \"90s\" or \"2m\", found a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("kforge.yaml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *ConfigError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("err =\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}
