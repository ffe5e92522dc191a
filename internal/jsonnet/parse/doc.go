// Package parse is kforge's Jsonnet parser. It turns a file's text into the desugared AST
// go-jsonnet's parser, desugarer and static analyser produce for it (go-jsonnet's ast types,
// the same nodes in the same shape), without what kforge's evaluator never reads: fodder,
// source locations below the root, free-variable sets and the token stream. That makes it
// several times faster than go-jsonnet's SnippetToAST and far lighter on the heap.
//
// Whatever it is not certain to parse exactly as go-jsonnet does is refused with a
// *SyntaxError: every syntax or static error (unknown variable, self outside an object, ...),
// text that is not UTF-8, and the few constructs it leaves to go-jsonnet (duplicate function
// parameters, a \u escape of a UTF-16 surrogate). The caller then has go-jsonnet parse the
// file, which reports errors with its own messages and locations. Refusing is always safe;
// accepting text go-jsonnet rejects, or building a different tree, is the one thing this
// package must never do, and its differential tests against go-jsonnet check exactly that.
package parse
