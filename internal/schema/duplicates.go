package schema

import (
	"regexp"
	"strconv"

	"sigs.k8s.io/yaml"

	"github.com/kforge/kforge/internal/finding"
)

var duplicateKeyLine = regexp.MustCompile(`line (\d+): key ("(?:[^"\\]|\\.)*") already set in map`)

// DuplicateFields reports the keys that one YAML or JSON document holds twice in the same
// object (KF-SCHEMA-006). Decoded objects cannot show them, so the caller passes the document's
// text, for manifests read from files (`kforge validate --manifests`); Jsonnet output never has
// them. res names the object in the findings; line numbers count from the document's first line.
func DuplicateFields(doc []byte, res finding.ResourceRef) []Finding {
	_, err := yaml.YAMLToJSONStrict(doc)
	if err == nil {
		return nil
	}
	var out []Finding
	for _, m := range duplicateKeyLine.FindAllStringSubmatch(err.Error(), -1) {
		key, qerr := strconv.Unquote(m[2])
		if qerr != nil {
			key = m[2]
		}
		out = append(out, newFinding(RuleDuplicate, finding.SeverityError, res, "", "",
			"line "+m[1]+": field "+strconv.Quote(key)+" is set twice in the same object; the API server keeps one of the values"))
	}
	return out
}
