// Package stack tests the reference repository's Jsonnet: it evaluates every environment
// under environments/ with go-jsonnet (import path: the environment's directory, lib,
// vendor-jsonnet), checks the resources each one renders and the values the stack
// documentation names, parses every embedded configuration file, runs the Jsonnet unit tests
// in lib/tests, and holds every Jsonnet file to jsonnetfmt and the linter.
package stack
