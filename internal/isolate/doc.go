// Package isolate bounds the time and memory of Jsonnet evaluations by running them in worker
// processes.
//
// go-jsonnet cannot be interrupted: an evaluation that loops (exponential recursion well inside
// the stack limit, a fold over a huge range) or allocates without end keeps its goroutine, a core
// and its memory until the process dies. So the only way to stop one environment while the
// others finish is to run it in a process that can be killed.
//
// A [Pool] is a jsonnet.Evaluator that keeps up to Size worker processes (kforge re-executed
// as the hidden `kforge __worker` command, which calls [Serve]) and hands each evaluation to an
// idle one, so workers are started once per run, not once per environment. Per evaluation it
// enforces [Limits]:
//
//   - EvalTimeout: the parent kills the worker when the evaluation runs longer and returns a
//     *[LimitError]; the next evaluation starts a fresh worker.
//   - MaxMemory: the worker samples its own memory (runtime/metrics, total mapped minus
//     released) while it evaluates, with the Go runtime's soft limit set just below it so the
//     garbage collector works first. Above the limit it sends a memory frame and exits; the
//     parent kills it and returns a *LimitError. A worker killed by the kernel (OOM killer) is
//     reported as such.
//   - MaxOutputBytes: the worker measures the manifested JSON before sending it.
//
// Errors cross the process boundary intact: a *jsonnet.Error arrives with its kind, position,
// message and trace, so messages are byte-identical to an in-process evaluation. A worker that
// crashes (a Go fatal error such as a stack overflow in a deeply nested value) is reported as a
// *[WorkerError] with the first line of the crash, never with the Go stack dump.
//
// Workers get a minimal environment ([WorkerEnv]: only Go runtime settings), so nothing an
// evaluation runs can see the parent's environment variables. On Linux a worker is killed
// when the kforge process that started it dies. Idle workers are stopped after IdleTimeout, so
// a long-lived caller does not keep processes around.
//
// # Protocol
//
// The parent writes gob-encoded requests on the worker's standard input, one at a time; the
// worker answers on standard output with frames of the same sequence number: any number of
// trace frames (std.trace output, forwarded to Options.TraceOut), at most one restart frame
// (the output sink's attempt failed and the normal evaluation begins: the parent restarts the
// EvalTimeout clock, so that evaluation's own error is reported), then either a final frame
// with the result or error, or a memory frame after which it exits. A final frame with a result
// is followed by the result's JSON as a raw body of the length the frame gives, so the largest
// part of the answer is neither copied into a gob message nor decoded from one. Standard error is kept
// (its tail) only to explain a crash. The worker exits cleanly when its standard input ends.
//
// [Local] is the in-process counterpart (--isolate=false): it checks MaxOutputBytes and
// returns at EvalTimeout, but cannot stop the evaluation, which keeps running until it ends
// or the process exits, and does not bound memory.
package isolate
