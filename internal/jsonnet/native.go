package jsonnet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
	yaml "go.yaml.in/yaml/v3"

	"github.com/kforge/kforge/internal/yamlorder"
)

// maxManifestIndent bounds manifestJsonFromJson's indent.
const maxManifestIndent = 64

// yamlLimits keep parseYaml from being used to exhaust memory (Options.ParseYAMLMaxBytes and
// ParseYAMLMaxNodes).
type yamlLimits struct {
	// maxBytes bounds the text one call accepts.
	maxBytes int
	// maxNodes bounds the YAML nodes of one call with aliases and merge keys expanded.
	maxNodes int
}

// nativeFunctions returns the Tanka-compatible functions reachable through std.native.
// Arguments arrive as go-jsonnet manifests them (string, float64, bool, nil, []any,
// map[string]any); a wrong type is an error naming the function and parameter. parseYaml
// reads its limits from *limits at each call, so an engine reused across evaluations sets
// them before each one.
func nativeFunctions(limits *yamlLimits) []*gojsonnet.NativeFunction {
	return []*gojsonnet.NativeFunction{
		{Name: "parseJson", Params: ast.Identifiers{"json"}, Func: nativeParseJSON},
		{Name: "parseYaml", Params: ast.Identifiers{"yaml"}, Func: func(args []any) (any, error) { return nativeParseYAML(args, *limits) }},
		{Name: "manifestJsonFromJson", Params: ast.Identifiers{"json", "indent"}, Func: nativeManifestJSONFromJSON},
		{Name: "manifestYamlFromJson", Params: ast.Identifiers{"json"}, Func: nativeManifestYAMLFromJSON},
		{Name: "escapeStringRegex", Params: ast.Identifiers{"str"}, Func: nativeEscapeStringRegex},
		{Name: "regexMatch", Params: ast.Identifiers{"regex", "string"}, Func: nativeRegexMatch},
		{Name: "regexSubst", Params: ast.Identifiers{"regex", "src", "repl"}, Func: nativeRegexSubst},
		{Name: "sha256", Params: ast.Identifiers{"str"}, Func: nativeSHA256},
	}
}

// stringArg returns args[i] as a string or an error naming fn and the parameter.
func stringArg(fn, param string, args []any, i int) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", fmt.Errorf("%s: parameter %s must be a string, got %s", fn, param, jsonType(args[i]))
	}
	return s, nil
}

// jsonType names the Jsonnet type of a manifested value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// nativeParseJSON decodes a JSON text (numbers become Jsonnet numbers).
func nativeParseJSON(args []any) (any, error) {
	s, err := stringArg("parseJson", "json", args, 0)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("parseJson: %w", err)
	}
	return v, nil
}

// nativeParseYAML decodes a YAML stream into an array with one element per document, the
// way Tanka does (yaml.v3, then a JSON round trip): an empty stream gives [], an explicitly
// empty document ("---" with nothing after it) gives null, timestamps become RFC 3339
// strings, and a mapping with a non-string key is an error.
func nativeParseYAML(args []any, limits yamlLimits) (any, error) {
	s, err := stringArg("parseYaml", "yaml", args, 0)
	if err != nil {
		return nil, err
	}
	return parseYAMLStream(s, limits.maxBytes, limits.maxNodes)
}

// parseYAMLStream decodes the YAML stream s of at most maxBytes bytes whose documents together
// expand to at most maxNodes nodes.
func parseYAMLStream(s string, maxBytes, maxNodes int) ([]any, error) {
	if len(s) > maxBytes {
		return nil, fmt.Errorf("parseYaml: input is %d bytes, more than the limit of %d (limits.parseYamlMaxBytes; --parse-yaml-max-bytes)", len(s), maxBytes)
	}
	dec := yaml.NewDecoder(strings.NewReader(s))
	docs := []any{}
	budget := maxNodes
	for n := 1; ; n++ {
		var node yaml.Node
		if err := dec.Decode(&node); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, fmt.Errorf("parseYaml: document %d: %w", n, err)
		}
		used, ok := countYAMLNodes(&node, budget)
		if !ok {
			return nil, fmt.Errorf("parseYaml: document %d takes the input past %d YAML nodes with aliases and merge keys expanded (limits.parseYamlMaxNodes; --parse-yaml-max-nodes)", n, maxNodes)
		}
		budget -= used
		var doc any
		if err := node.Decode(&doc); err != nil {
			return nil, fmt.Errorf("parseYaml: document %d: %w", n, err)
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("parseYaml: document %d: convert to JSON: %w", n, err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("parseYaml: document %d: convert to JSON: %w", n, err)
		}
		docs = append(docs, v)
	}
}

// countYAMLNodes counts n's nodes with aliases expanded, giving up (false) as soon as the
// count exceeds budget; that also ends recursive aliases.
func countYAMLNodes(n *yaml.Node, budget int) (int, bool) {
	if n == nil {
		return 0, true
	}
	count := 1
	if budget < count {
		return count, false
	}
	if n.Kind == yaml.AliasNode {
		c, ok := countYAMLNodes(n.Alias, budget-count)
		return count + c, ok
	}
	for _, child := range n.Content {
		c, ok := countYAMLNodes(child, budget-count)
		count += c
		if !ok {
			return count, false
		}
	}
	return count, true
}

// nativeManifestJSONFromJSON re-indents a JSON text with indent spaces, keeping numbers and
// escapes as written, and appends a newline.
func nativeManifestJSONFromJSON(args []any) (any, error) {
	s, err := stringArg("manifestJsonFromJson", "json", args, 0)
	if err != nil {
		return nil, err
	}
	f, ok := args[1].(float64)
	if !ok {
		return nil, fmt.Errorf("manifestJsonFromJson: parameter indent must be a number, got %s", jsonType(args[1]))
	}
	indent := int(f) // truncated, as Tanka does
	if indent < 0 || indent > maxManifestIndent {
		return nil, fmt.Errorf("manifestJsonFromJson: indent must be between 0 and %d, got %v", maxManifestIndent, f)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace([]byte(s)), "", strings.Repeat(" ", indent)); err != nil {
		return nil, fmt.Errorf("manifestJsonFromJson: %w", err)
	}
	buf.WriteByte('\n')
	return buf.String(), nil
}

// nativeManifestYAMLFromJSON renders a JSON text as a YAML document the way Tanka does
// (yaml.v3: keys in its natural order, four-space indentation). The keys are ordered by
// yamlorder.V3, not by yaml.v3 itself, which sorts them starting from Go's random map order.
func nativeManifestYAMLFromJSON(args []any) (any, error) {
	s, err := stringArg("manifestYamlFromJson", "json", args, 0)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("manifestYamlFromJson: %w", err)
	}
	node, err := yamlV3Node(v)
	if err != nil {
		return nil, fmt.Errorf("manifestYamlFromJson: %w", err)
	}
	out, err := yaml.Marshal(node)
	if err != nil {
		return nil, fmt.Errorf("manifestYamlFromJson: %w", err)
	}
	return string(out), nil
}

// yamlV3Node turns a decoded JSON value into the yaml.v3 node tree yaml.v3 would make of it,
// with every mapping's keys in yamlorder.V3.
func yamlV3Node(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		yamlorder.V3.Sort(keys)
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range keys {
			key := new(yaml.Node)
			if err := key.Encode(k); err != nil {
				return nil, err
			}
			value, err := yamlV3Node(v[k])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, key, value)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range v {
			item, err := yamlV3Node(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, item)
		}
		return n, nil
	default:
		n := new(yaml.Node)
		if err := n.Encode(v); err != nil {
			return nil, err
		}
		return n, nil
	}
}

// nativeEscapeStringRegex quotes every regular expression metacharacter.
func nativeEscapeStringRegex(args []any) (any, error) {
	s, err := stringArg("escapeStringRegex", "str", args, 0)
	if err != nil {
		return nil, err
	}
	return regexp.QuoteMeta(s), nil
}

// nativeRegexMatch reports whether the RE2 expression matches anywhere in the string.
func nativeRegexMatch(args []any) (any, error) {
	re, err := stringArg("regexMatch", "regex", args, 0)
	if err != nil {
		return nil, err
	}
	s, err := stringArg("regexMatch", "string", args, 1)
	if err != nil {
		return nil, err
	}
	ok, err := regexp.MatchString(re, s)
	if err != nil {
		return nil, fmt.Errorf("regexMatch: %w", err)
	}
	return ok, nil
}

// nativeRegexSubst replaces every match of the RE2 expression in src with repl, where $1,
// ${name} expand to submatches (Go's Regexp.ReplaceAllString).
func nativeRegexSubst(args []any) (any, error) {
	expr, err := stringArg("regexSubst", "regex", args, 0)
	if err != nil {
		return nil, err
	}
	src, err := stringArg("regexSubst", "src", args, 1)
	if err != nil {
		return nil, err
	}
	repl, err := stringArg("regexSubst", "repl", args, 2)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("regexSubst: %w", err)
	}
	return re.ReplaceAllString(src, repl), nil
}

// nativeSHA256 returns the lower-case hex sha256 of the string's UTF-8 bytes.
func nativeSHA256(args []any) (any, error) {
	s, err := stringArg("sha256", "str", args, 0)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:]), nil
}
