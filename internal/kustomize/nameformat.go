package kustomize

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// DefaultNameFormat keys an object by its kind and name in snake case, Tanka's default for
// kustomizeBuild (and helmTemplate).
const DefaultNameFormat = `{{ print .kind "_" .metadata.name | snakecase }}`

// DuplicateKeyError is two objects that nameFormat gives the same key.
type DuplicateKeyError struct {
	// Key is the shared key.
	Key string
	// Format is the nameFormat in use.
	Format string
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("two objects get the key %q from nameFormat %q; set a nameFormat that tells them apart", e.Key, e.Format)
}

// KeyByNameFormat returns objects as an object keyed by the Go template format (text/template
// with sprig's functions, executed on each object), or DefaultNameFormat when format is empty,
// as Tanka does.
func KeyByNameFormat(objects []map[string]any, format string) (map[string]any, error) {
	if format == "" {
		format = DefaultNameFormat
	}
	tmpl, err := template.New("nameFormat").Funcs(sprig.TxtFuncMap()).Parse(format)
	if err != nil {
		return nil, fmt.Errorf("parse nameFormat: %w", err)
	}
	out := make(map[string]any, len(objects))
	var key strings.Builder
	for _, obj := range objects {
		key.Reset()
		if err := tmpl.Execute(&key, obj); err != nil {
			return nil, fmt.Errorf("nameFormat: %w", err)
		}
		k := key.String()
		if _, dup := out[k]; dup {
			return nil, &DuplicateKeyError{Key: k, Format: format}
		}
		out[k] = obj
	}
	return out, nil
}
