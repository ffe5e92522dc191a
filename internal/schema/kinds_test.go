package schema

import (
	"sort"
	"testing"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/environment"
)

// TestEveryBuiltinKindBuilds builds the validator of every kind of every group version of every
// supported Kubernetes version and validates a minimal object of each kind, so that a schema
// construct the resolver does not handle fails here rather than on a user's object.
func TestEveryBuiltinKindBuilds(t *testing.T) {
	versions, err := SupportedKubernetesVersions()
	if err != nil {
		t.Fatal(err)
	}
	for _, ver := range versions {
		t.Run(ver, func(t *testing.T) {
			v, err := Load(Options{KubernetesVersion: ver})
			if err != nil {
				t.Fatal(err)
			}
			checkBuiltinKinds(t, v)
		})
	}
}

func checkBuiltinKinds(t *testing.T, v *Validator) {
	sh := v.shared
	gvs := make([]string, 0, len(sh.docs))
	for gv := range sh.docs {
		gvs = append(gvs, gv)
	}
	sort.Strings(gvs)
	n := 0
	for _, gv := range gvs {
		if _, err := sh.docs[gv].get(); err != nil {
			t.Fatalf("%s: %v", gv, err)
		}
		for kind := range sh.docs[gv].kinds {
			kv, err := sh.builtin(gv, kind)
			if err != nil || kv == nil {
				t.Errorf("%s %s: %v", gv, kind, err)
				continue
			}
			n++
			obj := map[string]any{"apiVersion": gv, "kind": kind, "metadata": map[string]any{"name": "x"}}
			for _, f := range v.Validate(obj) {
				if f.RuleID == RuleNoSchema || f.RuleID == RuleNotServed || f.RuleID == RuleUnknownField {
					t.Errorf("%s %s: %s %s", gv, kind, f.RuleID, f.Message)
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d kinds", n)
	}
	t.Logf("%d kinds in %d group versions of Kubernetes %s", n, len(gvs), sh.kube.Release)
}

// TestEveryEmbeddedCRDBuilds builds the validator of every served version of every embedded
// CustomResourceDefinition, CEL rules included.
func TestEveryEmbeddedCRDBuilds(t *testing.T) {
	v, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for gk, e := range v.crds {
		if err := e.decode(); err != nil {
			t.Errorf("%s: %v", gk, err)
			continue
		}
		for name, ver := range e.versions {
			if !ver.served {
				continue
			}
			kv, err := ver.kind.get()
			if err != nil {
				t.Errorf("%s %s: %v", gk, name, err)
				continue
			}
			for _, msg := range compileRules(kv.structural, true) {
				t.Errorf("%s %s: %s", gk, name, msg)
			}
			n++
		}
	}
	if n < 40 {
		t.Errorf("only %d CRD versions", n)
	}
}

// compileRules compiles every CEL rule of s, as the API server does when a definition is
// created, and returns the errors: the validators compile rules when an object first reaches
// them, so a rule that does not compile would otherwise show only on such an object.
func compileRules(s *structuralschema.Structural, resourceRoot bool) []string {
	if s == nil {
		return nil
	}
	var out []string
	if len(s.XValidations) > 0 {
		results, err := cel.Compile(s, model.SchemaDeclType(s, resourceRoot), celconfig.PerCallLimit,
			environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()), cel.StoredExpressionsEnvLoader())
		if err != nil {
			out = append(out, err.Error())
		}
		for _, r := range results {
			if r.Error != nil {
				out = append(out, r.Error.Error())
			}
		}
	}
	for k := range s.Properties {
		p := s.Properties[k]
		out = append(out, compileRules(&p, p.XEmbeddedResource)...)
	}
	if s.Items != nil {
		out = append(out, compileRules(s.Items, s.Items.XEmbeddedResource)...)
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Structural != nil {
		ap := s.AdditionalProperties.Structural
		out = append(out, compileRules(ap, ap.XEmbeddedResource)...)
	}
	return out
}
