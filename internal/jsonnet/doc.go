// Package jsonnet is kforge's single entry point to go-jsonnet: it builds the VM used for
// every evaluation, with Tanka's import search order confined to the repository root (the
// sandbox), Tanka-compatible native functions, external variables and top-level arguments,
// a stack limit, a record of every file an evaluation read, and errors whose positions and
// stack traces are repository-relative. A VM evaluates each time from scratch; a Session
// (one per goroutine) gives the same results while parsing shared files only once.
package jsonnet
