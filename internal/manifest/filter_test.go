package manifest

import (
	"slices"
	"testing"
)

func TestFilter(t *testing.T) {
	ms := mustExtract(t, `[`+
		obj("apps/v1", "Deployment", "order-service", `"namespace": "apps"`)+`,`+
		obj("apps/v1", "Deployment", "order-service-v1-9", `"namespace": "apps"`)+`,`+
		obj("v1", "Service", "order-service", `"namespace": "apps"`)+`,`+
		obj("v1", "Service", "gateway", `"namespace": "apps"`)+`,`+
		obj("v1", "ConfigMap", "prometheus-config", `"namespace": "observability"`)+
		`]`)
	tests := []struct {
		name  string
		exprs []string
		want  []string
	}{
		{"no expressions", nil, []string{"ConfigMap/prometheus-config", "Service/gateway", "Service/order-service", "Deployment/order-service", "Deployment/order-service-v1-9"}},
		{"exact", []string{"deployment/order-service"}, []string{"Deployment/order-service"}},
		{"anchored", []string{"service/order"}, []string{}},
		{"case-insensitive regex", []string{"DEPLOYMENT/order-.*"}, []string{"Deployment/order-service", "Deployment/order-service-v1-9"}},
		{"alternation stays anchored", []string{"service/gateway|configmap/.*"}, []string{"ConfigMap/prometheus-config", "Service/gateway"}},
		{"several inclusions", []string{"service/gateway", "configmap/.*"}, []string{"ConfigMap/prometheus-config", "Service/gateway"}},
		{"exclusion only", []string{"!service/.*"}, []string{"ConfigMap/prometheus-config", "Deployment/order-service", "Deployment/order-service-v1-9"}},
		{"inclusions then exclusions", []string{".*/order-service.*", "!deployment/.*-v1-9"}, []string{"Service/order-service", "Deployment/order-service"}},
		{"exclusion does not cancel inclusions", []string{"service/.*", "!configmap/.*"}, []string{"Service/gateway", "Service/order-service"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseTargets(tt.exprs)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, m := range f.Keep(ms) {
				got = append(got, m.KindName())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNilFilterKeepsAll(t *testing.T) {
	ms := mustExtract(t, obj("v1", "Namespace", "apps", ""))
	var f *Filter
	if got := f.Keep(ms); len(got) != 1 || !f.Match(ms[0]) {
		t.Errorf("nil filter kept %d of 1", len(got))
	}
}

func TestParseTargetsErrors(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		want  string
	}{
		{"bad regex", []string{"deployment/ok", "service/[a"}, "parse target \"service/[a\": error parsing regexp: missing closing ]: `[a)$`"},
		{"bad exclusion", []string{"!(x"}, "parse target \"!(x\": error parsing regexp: missing closing ): `(?i)^(?:(x)$`"},
		{"empty", []string{""}, `parse target "": empty expression (want kind/name, e.g. deployment/order-service)`},
		{"bare bang", []string{"!"}, `parse target "!": empty expression (want kind/name, e.g. deployment/order-service)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTargets(tt.exprs)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v\nwant  %s", err, tt.want)
			}
		})
	}
}

func TestFilterUnmatched(t *testing.T) {
	f, err := ParseTargets([]string{"deployment/.*", "service/nope", "!configmap/x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Deployment/a", "Service/b", "ConfigMap/x"} {
		f.MatchKindName(s)
	}
	if got := f.Unmatched(); len(got) != 1 || got[0] != "service/nope" {
		t.Fatalf("Unmatched() = %q, want [service/nope]", got)
	}
	var none *Filter
	if !none.MatchKindName("Service/b") || none.Unmatched() != nil {
		t.Fatal("a nil filter keeps everything and has no inclusions")
	}
}

func TestFilterTankaReading(t *testing.T) {
	for _, tc := range []struct {
		name  string
		exprs []string
		want  string
	}{
		{"none", nil, ""},
		{"inclusions only", []string{"deployment/.*", "service/web"}, ""},
		{"exclusions only", []string{"!secret/.*"}, ""},
		{"mixed", []string{"deployment/.*", "!deployment/debug", "service/web"},
			"-t deployment/.* -t service/web with -t !deployment/debug: kforge keeps the resources an inclusion matches, minus the exclusions; tk would ignore the inclusions and keep every resource no exclusion matches"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseTargets(tc.exprs)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.TankaReading(); got != tc.want {
				t.Errorf("TankaReading() = %q, want %q", got, tc.want)
			}
		})
	}
}
