// Package manifest is kforge's extract stage and its one canonical encoder.
//
// Extract walks the JSON output of an environment by Grafana Tanka's rules
// into a sorted list of Kubernetes manifests: it applies the environment's
// default namespace, injected labels and resource defaults, unwraps Lists and
// rejects non-manifest leaves, invalid metadata and duplicates, naming the JSON
// path of every offender.
//
// A Manifest knows its canonical YAML (the style of `tk show` and `tk export`,
// except that integral numbers stay integers) and its file name in the golden
// layout. Nothing else in kforge formats YAML: WriteStream and WriteJSON are
// the only other encoders of manifests.
package manifest
