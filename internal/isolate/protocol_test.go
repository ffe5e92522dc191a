package isolate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/jsonnet"
)

// fill sets every exported field reachable from v to a non-zero value, except interfaces and
// functions, so a round trip test notices any field that does not cross the wire.
func fill(t *testing.T, v reflect.Value, seed string) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		v.SetString("s-" + seed)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(7 + len(seed)))
	case reflect.Uint64, reflect.Uint, reflect.Uint32, reflect.Uint8:
		v.SetUint(uint64(3 + len(seed)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), fmt.Sprintf("%s%d", seed, i))
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		e := reflect.New(v.Type().Elem()).Elem()
		fill(t, k, seed+"k")
		fill(t, e, seed+"v")
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), seed)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), seed+v.Type().Field(i).Name)
			}
		}
	case reflect.Interface, reflect.Func:
		// Not sent: Options.TraceOut is replaced by trace frames.
	default:
		t.Fatalf("fill: unhandled kind %s at %s; teach the wire format about it", v.Kind(), seed)
	}
}

// roundTrip gob-encodes in and decodes into out, as the pipes between the processes do.
func roundTrip(t *testing.T, in, out any) {
	t.Helper()
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(in); err != nil {
		t.Fatalf("encode %T: %v", in, err)
	}
	if err := gob.NewDecoder(&b).Decode(out); err != nil {
		t.Fatalf("decode %T: %v", out, err)
	}
}

// TestWireCarriesEveryField fails when a field added to jsonnet.Options, jsonnet.Result or
// jsonnet.Error does not survive the trip to a worker and back.
func TestWireCarriesEveryField(t *testing.T) {
	var req request
	fill(t, reflect.ValueOf(&req).Elem(), "req")
	var gotReq request
	roundTrip(t, req, &gotReq)
	if !reflect.DeepEqual(gotReq, req) {
		t.Errorf("request changed on the wire:\n got %#v\nwant %#v", gotReq, req)
	}

	var resp response
	fill(t, reflect.ValueOf(&resp).Elem(), "resp")
	var gotResp response
	roundTrip(t, resp, &gotResp)
	if !reflect.DeepEqual(gotResp, resp) {
		t.Errorf("response changed on the wire:\n got %#v\nwant %#v", gotResp, resp)
	}
}

// TestFrameBody checks the raw body after a final frame: results of every size, including
// empty and larger than any buffer, arrive intact between other frames, and a stream cut in the
// middle of a body or a frame announcing an impossible body is an error.
func TestFrameBody(t *testing.T) {
	big := strings.Repeat("{\"k\": \"\u00e9\\n\"}\n", 100000)
	sent := []response{
		{Seq: 1, Trace: []byte("TRACE: x\n")},
		{Seq: 1, Done: true, Result: jsonnet.Result{JSON: big, Reads: []jsonnet.FileRead{{Path: "a.jsonnet"}}, Misses: []string{"b"}}},
		{Seq: 2, Done: true, Result: jsonnet.Result{JSON: ""}},
		{Seq: 3, Done: true, Error: &wireError{Message: "boom"}},
		{Seq: 4, Memory: 12},
		{Seq: 5, Done: true, Result: jsonnet.Result{JSON: "[ ]\n"}},
	}
	var stream bytes.Buffer
	bw := bufio.NewWriter(&stream)
	enc := gob.NewEncoder(bw)
	for _, r := range sent {
		if err := writeFrame(enc, bw, r); err != nil {
			t.Fatal(err)
		}
	}
	whole := stream.Bytes()
	br := bufio.NewReader(bytes.NewReader(whole))
	dec := gob.NewDecoder(br)
	for i, want := range sent {
		got, err := readFrame(dec, br)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("frame %d changed on the wire:\n got %.200v\nwant %.200v", i, got, want)
		}
	}
	if _, err := readFrame(dec, br); !errors.Is(err, io.EOF) {
		t.Errorf("after the last frame: %v, want EOF", err)
	}

	// The stream ends inside the big body.
	cut := bytes.Index(whole, []byte(big[:64])) + len(big)/2
	br = bufio.NewReader(bytes.NewReader(whole[:cut]))
	dec = gob.NewDecoder(br)
	if _, err := readFrame(dec, br); err != nil {
		t.Fatalf("trace frame: %v", err)
	}
	if _, err := readFrame(dec, br); err == nil || !strings.Contains(err.Error(), "read the result of frame 1") {
		t.Errorf("cut body: %v, want a read error", err)
	}

	// Frames that cannot have a body.
	for _, bad := range []response{{Seq: 7, BodySize: -1, Done: true}, {Seq: 8, BodySize: 3, Trace: []byte("t")}, {Seq: 9, BodySize: 3, Done: true, Error: &wireError{Message: "x"}}} {
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(bad); err != nil {
			t.Fatal(err)
		}
		b.WriteString("abc")
		br := bufio.NewReader(&b)
		if _, err := readFrame(gob.NewDecoder(br), br); err == nil || !strings.Contains(err.Error(), "has a body of") {
			t.Errorf("frame %d: %v, want a protocol error", bad.Seq, err)
		}
	}
}

func TestWireErrorDecode(t *testing.T) {
	je := &jsonnet.Error{Kind: jsonnet.KindRuntime, File: "a.jsonnet", Line: 2, Column: 3, Message: "boom",
		Trace: []jsonnet.Frame{{File: "a.jsonnet", Line: 2, Column: 3, Name: "function <f>"}, {Name: "During manifestation"}}}
	le := &LimitError{Limit: LimitMaxOutputBytes, File: "a.jsonnet", Max: 1024, Used: 2048}
	tests := []struct {
		name string
		err  error
		// same says the decoded error is the typed error itself.
		same bool
	}{
		{name: "jsonnet error", err: je, same: true},
		{name: "wrapped jsonnet error", err: fmt.Errorf("evaluate: %w", je)},
		{name: "limit error", err: le, same: true},
		{name: "wrapped limit error", err: fmt.Errorf("x: %w", le)},
		{name: "plain error", err: errors.New("create Jsonnet VM: max stack must be positive, got -1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wireError
			roundTrip(t, encodeError(tt.err), &w)
			got := w.decode()
			if got.Error() != tt.err.Error() {
				t.Errorf("message = %q, want %q", got, tt.err)
			}
			var gotJ, wantJ *jsonnet.Error
			if errors.As(got, &gotJ) != errors.As(tt.err, &wantJ) || !reflect.DeepEqual(gotJ, wantJ) {
				t.Errorf("jsonnet error = %#v, want %#v", gotJ, wantJ)
			}
			var gotL, wantL *LimitError
			if errors.As(got, &gotL) != errors.As(tt.err, &wantL) || !reflect.DeepEqual(gotL, wantL) {
				t.Errorf("limit error = %#v, want %#v", gotL, wantL)
			}
			var re *remoteError
			if errors.As(got, &re) == tt.same {
				t.Errorf("decoded as %T", got)
			}
		})
	}
}

func TestLimitErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&LimitError{Limit: LimitEvalTimeout, File: "environments/x/main.jsonnet", Max: int64(2 * time.Minute)},
			"environments/x/main.jsonnet: evaluation stopped after 2m0s (limits.evalTimeout; --eval-timeout)"},
		{&LimitError{Limit: LimitMaxMemory, File: "environments/x/main.jsonnet", Max: 2 << 30, Used: 2<<30 + 1},
			"environments/x/main.jsonnet: evaluation stopped: it used 2147483649 bytes (2048.0 MiB) of memory, more than the limit of 2 GiB (limits.maxMemory; --max-memory)"},
		{&LimitError{Limit: LimitMaxOutputBytes, Max: 1000, Used: 1001},
			"evaluation stopped: the output is 1001 bytes, more than the limit of 1000 bytes (limits.maxOutputBytes; --max-output-bytes)"},
		{&WorkerError{File: "a.jsonnet", Reason: "exit status 2: stack overflow"}, "a.jsonnet: evaluation worker failed: exit status 2: stack overflow"},
		{&WorkerError{Reason: "x"}, "evaluation worker failed: x"},
		{&MemoryError{Used: 3 << 20, Max: 2 << 20}, "evaluation worker stopped: it used 3 MiB of memory, more than the limit of 2 MiB"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v:\n got %q\nwant %q", tt.err, got, tt.want)
		}
	}
}

func TestCrashLine(t *testing.T) {
	tests := []struct {
		name, stderr, want string
	}{
		{name: "fatal error after runtime lines",
			stderr: "runtime: goroutine stack exceeds 1000000000-byte limit\nruntime: sp=0xc\nfatal error: stack overflow\n\nruntime stack:\ngoroutine 1 [running]:\nmain.main()\n",
			want:   "stack overflow"},
		{name: "panic", stderr: "panic: runtime error: index out of range [3] with length 2\n\ngoroutine 7 [running]:\n", want: "crashed: runtime error: index out of range [3] with length 2"},
		{name: "kforge error", stderr: "Error: serve evaluations: context canceled\n", want: "serve evaluations: context canceled"},
		{name: "nothing", stderr: "", want: ""},
		{name: "only a dump", stderr: "goroutine 1 [running]:\nmain.main()\n", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := crashLine(tt.stderr); got != tt.want {
				t.Errorf("crashLine = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWorkerEnv(t *testing.T) {
	got := WorkerEnv([]string{"PATH=/bin", "GOGC=off", "AWS_SECRET_ACCESS_KEY=x", "GODEBUG=madvdontneed=1", "GOGC_X=1", "=weird", "GOMAXPROCS"})
	want := []string{"GOGC=off", "GODEBUG=madvdontneed=1", "GOMAXPROCS"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WorkerEnv = %q, want %q", got, want)
	}
	if got := WorkerEnv(nil); got == nil || len(got) != 0 {
		t.Errorf("WorkerEnv(nil) = %#v, want an empty, non-nil slice", got)
	}
}

func TestHeadBufferKeepsTheStart(t *testing.T) {
	h := &headBuffer{max: 8}
	for _, s := range []string{"fatal", " error", ": more"} {
		if n, err := h.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := h.String(); got != "fatal er" {
		t.Errorf("head = %q", got)
	}
}

// TestServeSequentialRequests drives Serve directly: answers carry the request's sequence
// number, each request gets exactly one final frame, and the end of input ends Serve cleanly.
func TestServeSequentialRequests(t *testing.T) {
	opts := testOptions(t)
	var in bytes.Buffer
	enc := gob.NewEncoder(&in)
	codes := []string{"{ a: 1 }", "error 'second fails'", "{ b: std.trace('t', 2) }", "{ a: ", "[]"}
	for i, code := range codes {
		req := request{Seq: uint64(10 + i), Options: opts, Trace: true, Filename: "environments/ok/<eval>", Code: code, MaxOutputBytes: 1 << 20, MaxMemory: 1 << 30}
		if err := enc.Encode(req); err != nil {
			t.Fatal(err)
		}
	}
	frames := serveFrames(t, &in)
	want := []string{
		`10 ok "{\n   \"a\": 1\n}\n"`,
		`11 error environments/ok/<eval>:1:1: second fails`,
		`12 trace "TRACE: environments/ok/<eval>:1 t\n"`,
		`12 ok "{\n   \"b\": 2\n}\n"`,
		`13 error environments/ok/<eval>:1:6: Unexpected end of file`,
		`14 ok "[ ]\n"`,
	}
	if !reflect.DeepEqual(frames, want) {
		t.Errorf("frames:\n%s\nwant\n%s", strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
}

func TestServeRejectsGarbage(t *testing.T) {
	err := Serve(context.Background(), strings.NewReader("not gob at all"), io.Discard, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "read request: ") {
		t.Errorf("Serve = %v, want a read error", err)
	}
}

func TestLocal(t *testing.T) {
	opts := testOptions(t)
	t.Run("result", func(t *testing.T) {
		res, err := Local{Limits: Limits{EvalTimeout: time.Minute, MaxOutputBytes: 1 << 20}}.Evaluate(context.Background(), opts, "environments/ok/main.jsonnet", "")
		if err != nil || !strings.Contains(res.JSON, `"ok"`) {
			t.Fatalf("Evaluate = %q, %v", res.JSON, err)
		}
	})
	t.Run("output too large", func(t *testing.T) {
		_, err := Local{Limits: Limits{MaxOutputBytes: 100}}.Evaluate(context.Background(), opts, "environments/ok/<eval>", "std.range(1, 100)")
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != LimitMaxOutputBytes || le.Used <= 100 {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("timeout returns in time", func(t *testing.T) {
		start := time.Now()
		_, err := Local{Limits: Limits{EvalTimeout: 300 * time.Millisecond}}.Evaluate(context.Background(), opts, "environments/ok/<eval>", "local f(n) = if n == 0 then 1 else f(n - 1) + f(n - 1); f(21)")
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != LimitEvalTimeout {
			t.Fatalf("error = %v", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("returned after %s", took)
		}
	})
	t.Run("errors unchanged", func(t *testing.T) {
		_, err := Local{}.Evaluate(context.Background(), opts, "environments/ok/<eval>", "error 'x'")
		var je *jsonnet.Error
		if !errors.As(err, &je) || je.Message != "x" {
			t.Fatalf("error = %#v", err)
		}
	})
}

// TestServeRestartsAfterFailedSinkAttempt checks that a worker announces the normal evaluation
// that follows a failed output-sink attempt (a Restart frame before the final error frame), so
// the parent gives that evaluation its own timeout, and that a file the sink serves has none.
func TestServeRestartsAfterFailedSinkAttempt(t *testing.T) {
	opts := testOptions(t)
	var in bytes.Buffer
	enc := gob.NewEncoder(&in)
	for i, file := range []string{"lib/bad.libsonnet", "environments/ok/main.jsonnet"} {
		req := request{Seq: uint64(1 + i), Options: opts, Filename: file, MaxOutputBytes: 1 << 20, MaxMemory: 1 << 30}
		if err := enc.Encode(req); err != nil {
			t.Fatal(err)
		}
	}
	frames := serveFrames(t, &in)
	want := []string{
		"1 restart",
		"1 error lib/bad.libsonnet:2:10: boom from the library",
		`2 ok "{\n   \"cm\": {\n      \"apiVersion\": \"v1\",\n      \"data\": {\n         \"text\": \"hello\\n\"\n      },\n      \"kind\": \"ConfigMap\",\n      \"metadata\": {\n         \"name\": \"ok\"\n      }\n   }\n}\n"`,
	}
	if !reflect.DeepEqual(frames, want) {
		t.Errorf("frames:\n%s\nwant\n%s", strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
}

// serveFrames runs Serve on the encoded requests in and describes every frame it answers
// with, one line each: "SEQ trace TEXT", "SEQ restart", "SEQ error FIRST-LINE" or "SEQ ok JSON".
func serveFrames(t *testing.T, in io.Reader) []string {
	t.Helper()
	var out bytes.Buffer
	if err := Serve(context.Background(), in, &out, nil); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	br := bufio.NewReader(&out)
	dec := gob.NewDecoder(br)
	var frames []string
	for {
		f, err := readFrame(dec, br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			return frames
		}
		switch {
		case f.Trace != nil:
			frames = append(frames, fmt.Sprintf("%d trace %q", f.Seq, f.Trace))
		case f.Restart:
			frames = append(frames, fmt.Sprintf("%d restart", f.Seq))
		case f.Error != nil:
			first, _, _ := strings.Cut(f.Error.Message, "\n")
			frames = append(frames, fmt.Sprintf("%d error %s", f.Seq, first))
		default:
			frames = append(frames, fmt.Sprintf("%d ok %q", f.Seq, f.Result.JSON))
		}
	}
}
