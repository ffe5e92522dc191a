package helm

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// schemaURL is the name Helm gives a chart's values.schema.json.
const schemaURL = "file:///values.schema.json"

// validateSchemas checks values against the chart's values.schema.json and every
// subchart's against its own, as Helm does, with one difference: a $ref to another document
// is refused instead of read from disk or fetched (a urn: reference stays permissive, as in
// Helm). The message lists each failing chart by name, as Helm's does.
func validateSchemas(ch *chart.Chart, values map[string]any) error {
	var sb strings.Builder
	if ch.Schema != nil {
		if err := validateSchema(values, ch.Schema); err != nil {
			fmt.Fprintf(&sb, "%s:\n", ch.Name())
			sb.WriteString(err.Error())
		}
	}
	for _, sub := range ch.Dependencies() {
		raw, ok := values[sub.Name()]
		if !ok || raw == nil {
			continue
		}
		subValues, ok := raw.(map[string]any)
		if !ok {
			fmt.Fprintf(&sb, "%s:\ninvalid type for values: expected object (map), got %T\n", sub.Name(), raw)
			continue
		}
		if err := validateSchemas(sub, subValues); err != nil {
			sb.WriteString(err.Error())
		}
	}
	if sb.Len() > 0 {
		return errors.New(sb.String())
	}
	return nil
}

// validateSchema validates values against one schema document.
func validateSchema(values common.Values, schemaJSON []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unable to validate schema: %v", r)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{
		"file":  refusingLoader{},
		"http":  refusingLoader{},
		"https": refusingLoader{},
		"urn":   permissiveLoader{},
	})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return err
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return err
	}
	if err := s.Validate(values.AsMap()); err != nil {
		msg := strings.TrimPrefix(err.Error(), "jsonschema validation failed with '"+schemaURL+"#'\n")
		return errors.New(msg + "\n")
	}
	return nil
}

// refusingLoader refuses every schema document but the chart's own: kforge reads nothing
// outside the repository sandbox and never reaches the network.
type refusingLoader struct{}

// Load implements jsonschema.URLLoader.
func (refusingLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("kforge does not load the schema %s: a values schema may only refer to itself", url)
}

// permissiveLoader answers a urn: reference with the schema that accepts everything, as Helm
// does for references it cannot resolve.
type permissiveLoader struct{}

// Load implements jsonschema.URLLoader.
func (permissiveLoader) Load(string) (any, error) {
	return true, nil
}
