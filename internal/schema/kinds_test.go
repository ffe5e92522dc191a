package schema

import (
	"sort"
	"testing"
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
			if _, err := ver.kind.get(); err != nil {
				t.Errorf("%s %s: %v", gk, name, err)
			}
			n++
		}
	}
	if n < 40 {
		t.Errorf("only %d CRD versions", n)
	}
}
