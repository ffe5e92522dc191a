// Package pipeline runs environments through kforge's stages: evaluate (internal/jsonnet),
// extract (internal/manifest) and, for the commands that ask for it, validate and compare. It is,
// with internal/cli, the only package that knows every stage.
package pipeline
