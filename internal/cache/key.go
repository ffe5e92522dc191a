package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path"
	"path/filepath"
	"sort"

	gojsonnet "github.com/google/go-jsonnet"

	"github.com/kforge/kforge/internal/jsonnet"
)

// keySchema versions the key encoding; changing it abandons every existing entry.
const keySchema = "kforge-render-cache-key/1"

// Inputs are the inputs of one environment's evaluation that are known before it runs.
type Inputs struct {
	// Environment is the environment's name (Tanka name), when the key is for one environment;
	// CachingEvaluator leaves it empty, since Options.TkEnv carries the environment object.
	Environment string
	// Entrypoint is the repository-relative file evaluated.
	Entrypoint string
	// Options are the evaluation options. JPath, ExtVars, ExtCode, TLAVars, TLACode, MaxStack,
	// ParseYAMLMaxBytes, ParseYAMLMaxNodes (0 counts as the jsonnet package's default), TkEnv
	// and DisableNativeFormat are part of the key;
	// Root is not (entries are verified against the files, so a second checkout may share
	// them) and neither is TraceOut (CachingEvaluator records std.trace output and replays it).
	Options jsonnet.Options
	// Spec is the content of the environment's spec.json (nil for an inline environment or
	// when, as in CachingEvaluator, the parsed environment in Options.TkEnv stands for it: only
	// that reaches the evaluation).
	Spec []byte
	// KforgeVersion identifies the kforge build: its version and BuildID of the executable, so
	// a development build whose version string does not change still gets fresh entries.
	KforgeVersion string
	// JsonnetVersion is the go-jsonnet version (JsonnetVersion).
	JsonnetVersion string
	// Format names what the entries hold (e.g. "jsonnet-output/1"), so changing what is
	// stored abandons old entries.
	Format string
}

// Key identifies a cache entry. Build it with NewKey.
type Key struct {
	id    string
	jpath []string
	code  []string
}

// NewKey returns the key of in: the sha256 of a canonical encoding of every field.
func NewKey(in Inputs) Key {
	maxStack := in.Options.MaxStack
	if maxStack == 0 {
		maxStack = jsonnet.DefaultMaxStack
	}
	yamlBytes, yamlNodes := in.Options.ParseYAMLMaxBytes, in.Options.ParseYAMLMaxNodes
	if yamlBytes == 0 {
		yamlBytes = jsonnet.DefaultParseYAMLMaxBytes
	}
	if yamlNodes == 0 {
		yamlNodes = jsonnet.DefaultParseYAMLMaxNodes
	}
	jpath := make([]string, 0, len(in.Options.JPath))
	for _, d := range in.Options.JPath {
		jpath = append(jpath, path.Clean(filepath.ToSlash(d)))
	}
	// encoding/json writes map keys sorted, so the encoding is canonical.
	canon := struct {
		Schema         string            `json:"schema"`
		Environment    string            `json:"environment"`
		Entrypoint     string            `json:"entrypoint"`
		JPath          []string          `json:"jpath"`
		ExtVars        map[string]string `json:"extVars"`
		ExtCode        map[string]string `json:"extCode"`
		TLAVars        map[string]string `json:"tlaVars"`
		TLACode        map[string]string `json:"tlaCode"`
		MaxStack       int               `json:"maxStack"`
		YAMLMaxBytes   int               `json:"parseYamlMaxBytes"`
		YAMLMaxNodes   int               `json:"parseYamlMaxNodes"`
		TkEnv          []byte            `json:"tkEnv"`
		HasTkEnv       bool              `json:"hasTkEnv"`
		Spec           []byte            `json:"spec"`
		HasSpec        bool              `json:"hasSpec"`
		NativeFormat   bool              `json:"nativeFormat"`
		KforgeVersion  string            `json:"kforgeVersion"`
		JsonnetVersion string            `json:"jsonnetVersion"`
		Format         string            `json:"format"`
	}{
		Schema:         keySchema,
		Environment:    in.Environment,
		Entrypoint:     path.Clean(filepath.ToSlash(in.Entrypoint)),
		JPath:          jpath,
		ExtVars:        nonNil(in.Options.ExtVars),
		ExtCode:        nonNil(in.Options.ExtCode),
		TLAVars:        nonNil(in.Options.TLAVars),
		TLACode:        nonNil(in.Options.TLACode),
		MaxStack:       maxStack,
		YAMLMaxBytes:   yamlBytes,
		YAMLMaxNodes:   yamlNodes,
		TkEnv:          in.Options.TkEnv,
		HasTkEnv:       in.Options.TkEnv != nil,
		Spec:           in.Spec,
		HasSpec:        in.Spec != nil,
		NativeFormat:   !in.Options.DisableNativeFormat,
		KforgeVersion:  in.KforgeVersion,
		JsonnetVersion: in.JsonnetVersion,
		Format:         in.Format,
	}
	b, err := json.Marshal(canon)
	if err != nil {
		// Only strings, byte slices, booleans, integers and string maps: always encodable.
		panic("encode cache key: " + err.Error())
	}
	sum := sha256.Sum256(b)
	var code []string
	for _, m := range []map[string]string{in.Options.ExtCode, in.Options.TLACode} {
		for _, v := range m {
			code = append(code, v)
		}
	}
	sort.Strings(code)
	return Key{id: hex.EncodeToString(sum[:]), jpath: jpath, code: code}
}

// String returns the key as 64 lower-case hex digits.
func (k Key) String() string { return k.id }

// JsonnetVersion is the version of go-jsonnet compiled into kforge, for Inputs.JsonnetVersion.
func JsonnetVersion() string { return gojsonnet.Version() }

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
