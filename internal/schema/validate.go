package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/validate/content"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kforge/kforge/internal/finding"
)

// Validate checks one object and returns its findings, sorted by field path and rule id. obj is
// decoded JSON (numbers as json.Number, float64 or integers); it is not modified.
func (v *Validator) Validate(obj map[string]any) []Finding {
	return v.ValidateContext(context.Background(), obj)
}

// ValidateContext is Validate with a context that bounds the evaluation of CEL rules.
func (v *Validator) ValidateContext(ctx context.Context, obj map[string]any) []Finding {
	res := resourceOf(obj)
	if res.APIVersion == "" || res.Kind == "" {
		return []Finding{newFinding(RuleRequired, finding.SeverityError, res, "", "", "apiVersion and kind are required")}
	}
	kv, out := v.lookup(res)
	if kv == nil {
		return out
	}
	data, err := normalize(obj)
	if err != nil {
		return append(out, newFinding(RuleWrongType, finding.SeverityError, res, kv.source, "", err.Error()))
	}
	root := data.(map[string]any)
	if kv.deprecation != "" {
		out = append(out, newFinding(RuleDeprecated, finding.SeverityWarning, res, kv.source, "apiVersion", kv.deprecation))
	}
	out = append(out, v.checkMetadata(res, root)...)
	out = append(out, kv.check(ctx, res, root)...)
	sortFindings(out)
	return dedupe(out)
}

// dedupe drops repeated findings (a malformed metadata is seen by the kind's schema and by the
// metadata check); fs is sorted.
func dedupe(fs []Finding) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f.RuleID == fs[i-1].RuleID && f.FieldPath == fs[i-1].FieldPath && f.Message == fs[i-1].Message {
			continue
		}
		out = append(out, f)
	}
	return out
}

// ValidateAll validates objs with up to GOMAXPROCS goroutines and returns the findings of
// objs[i] in out[i]. The first object of each kind goes first, so that the validators of
// different kinds are built at the same time: on a cold start that is most of the work.
func (v *Validator) ValidateAll(ctx context.Context, objs []map[string]any) [][]Finding {
	out := make([][]Finding, len(objs))
	order := make([]int, 0, len(objs))
	var rest []int
	seen := map[finding.ResourceRef]bool{}
	for i, obj := range objs {
		r := resourceOf(obj)
		key := finding.ResourceRef{APIVersion: r.APIVersion, Kind: r.Kind}
		if seen[key] {
			rest = append(rest, i)
			continue
		}
		seen[key] = true
		order = append(order, i)
	}
	order = append(order, rest...)
	workers := min(runtime.GOMAXPROCS(0), len(objs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1)) - 1
				if n >= len(order) {
					return
				}
				i := order[n]
				out[i] = v.ValidateContext(ctx, objs[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// resourceOf reads the identity of obj.
func resourceOf(obj map[string]any) finding.ResourceRef {
	r := finding.ResourceRef{}
	r.APIVersion, _ = obj["apiVersion"].(string)
	r.Kind, _ = obj["kind"].(string)
	if md, ok := obj["metadata"].(map[string]any); ok {
		r.Name, _ = md["name"].(string)
		r.Namespace, _ = md["namespace"].(string)
	}
	return r
}

// lookup finds the validator of the object's kind and version. Without one it returns the
// findings that say why.
func (v *Validator) lookup(res finding.ResourceRef) (*kindValidator, []Finding) {
	sh := v.shared
	group, version := splitGroupVersion(res.APIVersion)
	fail := func(id string, severity finding.Severity, msg string) (*kindValidator, []Finding) {
		return nil, []Finding{newFinding(id, severity, res, "", "", msg)}
	}
	noSchemaSeverity := finding.SeverityWarning
	if sh.strict {
		noSchemaSeverity = finding.SeverityError
	}

	if e, ok := v.lookupJSONSchema(group, version, res.Kind); ok {
		kv, err := e.validator.get()
		if err != nil {
			return fail(RuleNoSchema, finding.SeverityError, fmt.Sprintf("cannot use the schema of %s %s from %s: %v", res.APIVersion, res.Kind, e.source, err))
		}
		return kv, nil
	}
	if _, builtinGroup := sh.groups[group]; builtinGroup {
		kv, err := sh.builtin(res.APIVersion, res.Kind)
		if err != nil {
			return fail(RuleNoSchema, finding.SeverityError, fmt.Sprintf("cannot use the schema of %s %s: %v", res.APIVersion, res.Kind, err))
		}
		if kv != nil {
			return kv, nil
		}
		if served := sh.versionsWithKind(group, res.Kind); len(served) > 0 {
			return fail(RuleNotServed, finding.SeverityError, fmt.Sprintf("%s %s is not served by Kubernetes %s; it is served as %s",
				res.APIVersion, res.Kind, sh.kube.Minor, strings.Join(served, ", ")))
		}
		if _, ok := v.crds[groupKind{group, res.Kind}]; !ok {
			return fail(RuleNotServed, finding.SeverityError, fmt.Sprintf("Kubernetes %s has no kind %s in %s%s",
				sh.kube.Minor, res.Kind, groupName(group), sh.kindHint(group, res.Kind)))
		}
	}

	e, ok := v.crds[groupKind{group, res.Kind}]
	if !ok {
		msg := fmt.Sprintf("no schema for %s %s: add its CustomResourceDefinition with --crds DIR or render it in the environment", res.APIVersion, res.Kind)
		if hint := v.crdKindHint(group, res.Kind); hint != "" {
			msg = fmt.Sprintf("no schema for %s %s%s", res.APIVersion, res.Kind, hint)
		}
		return fail(RuleNoSchema, noSchemaSeverity, msg)
	}
	if err := e.decode(); err != nil {
		return fail(RuleNoSchema, finding.SeverityError, fmt.Sprintf("cannot use CustomResourceDefinition %s from %s: %v", e.name, e.source, err))
	}
	ver, ok := e.versions[version]
	if !ok || !ver.served {
		var served []string
		for _, name := range e.order {
			if e.versions[name].served {
				served = append(served, group+"/"+name)
			}
		}
		return fail(RuleNotServed, finding.SeverityError, fmt.Sprintf("%s %s is not served by CustomResourceDefinition %s (%s); it is served as %s",
			res.APIVersion, res.Kind, e.name, e.source, strings.Join(served, ", ")))
	}
	kv, err := ver.kind.get()
	if err != nil {
		return fail(RuleNoSchema, finding.SeverityError, fmt.Sprintf("cannot use the schema of %s %s from %s: %v", res.APIVersion, res.Kind, e.source, err))
	}
	return kv, nil
}

func groupName(group string) string {
	if group == "" {
		return "the core group"
	}
	return "group " + group
}

// kindHint suggests a kind of a built-in group close to kind.
func (sh *shared) kindHint(group, kind string) string {
	seen := map[string]bool{}
	var kinds []string
	for _, ver := range sh.groups[group] {
		gv := ver
		if group != "" {
			gv = group + "/" + ver
		}
		for k := range sh.docs[gv].kinds {
			if !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
			}
		}
	}
	return closestKind(kind, kinds)
}

// crdKindHint suggests a kind of a known custom resource group close to kind.
func (v *Validator) crdKindHint(group, kind string) string {
	var kinds []string
	for gk := range v.crds {
		if gk.group == group {
			kinds = append(kinds, gk.kind)
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	if hint := closestKind(kind, kinds); hint != "" {
		return hint
	}
	sort.Strings(kinds)
	return fmt.Sprintf(" (the known kinds of %s are %s; add the CustomResourceDefinition with --crds DIR)", group, strings.Join(kinds, ", "))
}

func closestKind(kind string, kinds []string) string {
	sort.Strings(kinds)
	for _, k := range kinds {
		if strings.EqualFold(k, kind) || editDistance(k, kind) <= 2 {
			return fmt.Sprintf(" (did you mean %s?)", k)
		}
	}
	return ""
}

// checkMetadata checks the object's metadata against ObjectMeta and the API server's rules for
// names, namespaces, labels and annotations.
func (v *Validator) checkMetadata(res finding.ResourceRef, root map[string]any) []Finding {
	meta, err := v.shared.meta.get()
	if err != nil {
		return []Finding{newFinding(RuleNoSchema, finding.SeverityError, res, "", "metadata", fmt.Sprintf("cannot use the schema of object metadata: %v", err))}
	}
	var out []Finding
	add := func(id, path, msg string) {
		out = append(out, newFinding(id, finding.SeverityError, res, meta.source, path, msg))
	}
	raw, ok := root["metadata"]
	if !ok {
		add(RuleRequired, "metadata", "metadata: required field is missing")
		return out
	}
	md, ok := raw.(map[string]any)
	if !ok {
		add(RuleWrongType, "metadata", fmt.Sprintf("metadata: must be an object, found %s", describe(raw, true)))
		return out
	}
	base := field.NewPath("metadata")
	if !plainMetadata(md) {
		out = append(out, checkMetadataSchema(res, meta, md)...)
	}
	for _, f := range out {
		if f.RuleID == RuleWrongType {
			return out
		}
	}
	name, _ := md["name"].(string)

	generateName, _ := md["generateName"].(string)
	switch {
	case name != "":
		for _, msg := range nameValidator(res)(name, false) {
			add(RuleInvalidValue, "metadata.name", fmt.Sprintf("metadata.name: %q: %s", name, msg))
		}
	case generateName == "":
		add(RuleRequired, "metadata.name", "metadata.name: required field is missing")
	}
	if ns, _ := md["namespace"].(string); ns != "" {
		for _, msg := range apimachineryvalidation.ValidateNamespaceName(ns, false) {
			add(RuleInvalidValue, "metadata.namespace", fmt.Sprintf("metadata.namespace: %q: %s", ns, msg))
		}
	}
	for _, e := range metav1validation.ValidateLabels(stringMap(md["labels"]), base.Child("labels")) {
		add(RuleInvalidValue, e.Field, fieldErrorMessage(e))
	}
	for _, e := range apimachineryvalidation.ValidateAnnotations(stringMap(md["annotations"]), base.Child("annotations")) {
		add(RuleInvalidValue, e.Field, fieldErrorMessage(e))
	}
	return out
}

// plainMetadata reports metadata that holds only the usual fields with values of the right type
// (string name, generateName and namespace; string maps of labels and annotations): the
// ObjectMeta schema has nothing to say about it, and most objects skip that walk.
func plainMetadata(md map[string]any) bool {
	for k, v := range md {
		switch k {
		case "name", "generateName", "namespace":
			if _, ok := v.(string); !ok {
				return false
			}
		case "labels", "annotations":
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			for _, x := range m {
				if _, ok := x.(string); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// checkMetadataSchema checks metadata against the ObjectMeta schema: unknown fields and types.
func checkMetadataSchema(res finding.ResourceRef, meta *kindValidator, md map[string]any) []Finding {
	var out []Finding
	at := pathStack{{key: "metadata", index: -1}}
	for _, u := range pruneUnknown(md, meta.tree, at, false) {
		out = append(out, newFinding(RuleUnknownField, finding.SeverityError, res, meta.source, u.path, u.message()))
	}
	for _, p := range checkLists(md, meta.tree, at) {
		out = append(out, newFinding(p.id, finding.SeverityError, res, meta.source, p.path, p.msg))
	}
	if precheck(md, meta.tree, meta.patterns) {
		return out
	}
	openapi, err := meta.openAPI()
	if err != nil {
		return append(out, newFinding(RuleNoSchema, finding.SeverityError, res, meta.source, "metadata", fmt.Sprintf("cannot use the schema of object metadata: %v", err)))
	}
	wrapped := map[string]any{"metadata": md}
	for _, f := range classifyResult(newOpenAPIValidator(openapi, "metadata").Validate(md).Errors, wrapped) {
		out = append(out, newFinding(f.id, finding.SeverityError, res, meta.source, f.path, f.msg))
	}
	return out
}

// nameValidator is the API server's rule for names of the kind: DNS labels for namespaces and
// services, path segments for RBAC objects, DNS subdomains for the rest and custom resources.
func nameValidator(res finding.ResourceRef) apimachineryvalidation.ValidateNameFunc {
	group, _ := splitGroupVersion(res.APIVersion)
	switch {
	case group == "" && res.Kind == "Namespace":
		return apimachineryvalidation.ValidateNamespaceName
	case group == "" && res.Kind == "Service":
		return apimachineryvalidation.NameIsDNS1035Label
	case group == "rbac.authorization.k8s.io":
		return pathSegmentName
	}
	return apimachineryvalidation.NameIsDNSSubdomain
}

// pathSegmentName is the API server's name rule for RBAC objects: the name (or, with prefix, the
// start of a generated name) must be usable as one segment of a URL path.
func pathSegmentName(name string, prefix bool) []string {
	if prefix {
		return content.IsPathSegmentPrefix(name)
	}
	return content.IsPathSegmentName(name)
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := x.(string); ok {
			out[k] = s
		}
	}
	return out
}

func fieldErrorMessage(e *field.Error) string {
	return fmt.Sprintf("%s: %s", e.Field, e.ErrorBody())
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.FieldPath != b.FieldPath {
			return a.FieldPath < b.FieldPath
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
}

// normalize deep-copies decoded JSON, turning json.Number into int64 (integral values that fit)
// or float64, the forms the schema validators and CEL expect.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("invalid number %q", string(x))
		}
		return f, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case nil, string, bool, int64, float64:
		return x, nil
	}
	return nil, fmt.Errorf("unsupported value of type %T", v)
}
