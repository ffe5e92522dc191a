// Package interp is kforge's Jsonnet evaluator. It evaluates the desugared ASTs go-jsonnet
// parses, with go-jsonnet's semantics to the byte: its object model (layers, super, `+:`,
// visibility, assertions), its laziness (thunks where go-jsonnet makes them, builtins that
// force what go-jsonnet's force), its stack accounting and its Go builtins, so a program it
// serves gives go-jsonnet's output. Code is compiled, on first use, into closures whose
// variables are resolved to frame slots, which is what makes it several times faster than
// go-jsonnet's tree walk over maps of captured variables.
//
// Whatever it cannot reproduce with certainty is declined (a *Decline): every runtime error,
// std.trace, and each case a builtin leaves to go-jsonnet. The caller (internal/jsonnet) then
// evaluates the program with go-jsonnet, which reports errors with its own messages and stack
// traces. Declining is always safe; returning a value go-jsonnet would not is the one thing
// this package must never do, and its differential tests against go-jsonnet check exactly that.
package interp
