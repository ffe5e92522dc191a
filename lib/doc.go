// Package lib holds the Go tests of the platform library, the Jsonnet in this directory; it
// has no Go code of its own. They evaluate every environment under environments/ with
// go-jsonnet (import path: the environment's directory, lib, vendor-jsonnet), check the
// resources each one renders and the values the stack documentation names, parse every
// embedded configuration file, run the Jsonnet unit tests in lib/tests, and hold every Jsonnet
// file of lib/, environments/ and policies/ to jsonnetfmt and the linter.
package lib
