package golden

import (
	"bytes"

	"github.com/kforge/kforge/internal/manifest"
)

// Parse reads the manifests that the committed golden file f of the environment directory t
// holds, by the rules of manifest.ParseYAML; errors name the file as <t.Dir>/<f.Path>. It is the
// one reader of committed golden bytes: drift names resources with it, and policies see its
// manifests as input.previous.
func Parse(t Target, f File) ([]*manifest.Manifest, error) {
	return manifest.ParseYAML(f.Content, t.Display(f.Path))
}

// Meta is what the content of a golden file says about the resource it holds.
type Meta struct {
	// Resource identifies the resource like manifest.ID.String(), e.g.
	// "apps/Deployment/apps/order-service".
	Resource string
	// Kind is the resource's kind, e.g. "Deployment".
	Kind string
}

// ReadMeta returns the identity of the first resource content holds (see [Parse]), and false
// when content holds no valid manifest.
func ReadMeta(content []byte) (Meta, bool) {
	ms, err := Parse(Target{}, File{Content: content})
	if err != nil || len(ms) == 0 {
		return Meta{}, false
	}
	return Meta{Resource: ms[0].ID().String(), Kind: ms[0].Kind()}, true
}

// fillMeta sets Resource, Kind and Secret of a file read from disk or git from its content.
func fillMeta(f *File) {
	m, ok := ReadMeta(f.Content)
	if !ok {
		f.Secret = f.Secret || LooksLikeSecret(f.Content)
		return
	}
	if f.Resource == "" {
		f.Resource = m.Resource
	}
	if f.Kind == "" {
		f.Kind = m.Kind
	}
	f.Secret = f.Secret || m.Kind == "Secret" || LooksLikeSecret(f.Content)
}

// LooksLikeSecret reports a top-level "kind: Secret" line, for content that cannot be parsed
// (or whose kind is written in an unusual way): such a file is treated as a Secret.
func LooksLikeSecret(content []byte) bool {
	for _, line := range bytes.Split(content, []byte("\n")) {
		switch string(bytes.TrimRight(line, " \r")) {
		case "kind: Secret", `kind: "Secret"`, "kind: 'Secret'":
			return true
		}
	}
	return false
}
