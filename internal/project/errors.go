package project

import (
	"fmt"
	"strconv"
)

// RootNotFoundError reports that no repository marker exists in the start
// directory or any of its parents.
type RootNotFoundError struct {
	// Start is the path the search began from, as the caller gave it.
	Start string
}

// Error implements error.
func (e *RootNotFoundError) Error() string {
	return fmt.Sprintf("no repository root found above %s: add %s or %s", e.Start, ConfigFile, JsonnetFile)
}

// ConfigError reports an invalid kforge.yaml.
type ConfigError struct {
	// File is the repository-relative path of the configuration file.
	File string
	// Line is the 1-based line of the offending text, 0 when unknown.
	Line int
	// Key is the dotted key the error is about ("limits.maxStack"), empty for
	// document-level errors such as invalid YAML.
	Key string
	// Message says what is wrong.
	Message string
}

// Error implements error.
func (e *ConfigError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Key == "" {
		return loc + ": " + e.Message
	}
	return loc + ": " + e.Key + ": " + e.Message
}

// NoBaseError reports that no directory between a path and the repository
// root holds the entrypoint file, so the path is not inside an environment.
type NoBaseError struct {
	// Path is the repository-relative directory the search began from.
	Path string
	// File is the entrypoint file name searched for ("main.jsonnet").
	File string
}

// Error implements error.
func (e *NoBaseError) Error() string {
	return fmt.Sprintf("no %s found in %s or its parents up to the repository root: not an environment", e.File, e.Path)
}
