package drift

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

// FuzzUnifiedDiff checks that the diff (computed on trimmed input, hunk positions shifted back)
// turns the old text into the new one when applied.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nX\ne\nf\ng\nh\n")
	f.Add("x", "x\n")
	f.Add("", "a\n")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\n6\n7\n8\n9\n10\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.Count(a, "\n")+strings.Count(b, "\n") > 2000 {
			return
		}
		diff := unifiedDiff("a/f", "b/f", []byte(a), []byte(b))
		if (a == b) != (diff == "") {
			t.Fatalf("diff of equal inputs must be empty, and only then: %q", diff)
		}
		got, err := applyUnified(splitLines([]byte(a)), diff)
		if err != nil {
			t.Fatalf("apply %q: %v", diff, err)
		}
		if want := splitLines([]byte(b)); strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("applying the diff gives %q, want %q\n%s", got, want, diff)
		}
	})
}

// applyUnified applies a unified diff to lines (each ending in "\n").
func applyUnified(a []string, diff string) ([]string, error) {
	var out []string
	next := 0 // index of the next line of a to copy
	lines := strings.SplitAfter(diff, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "@@ -") {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 4 {
			return nil, fmt.Errorf("bad hunk header %q", l)
		}
		startS, lenS, hasLen := strings.Cut(f[1][1:], ",")
		oldStart, err := strconv.Atoi(startS)
		if err != nil {
			return nil, fmt.Errorf("bad hunk header %q", l)
		}
		start := oldStart - 1
		if hasLen && lenS == "0" {
			start = oldStart
		}
		if start < next || start > len(a) {
			return nil, fmt.Errorf("hunk %q out of order", l)
		}
		out = append(out, a[next:start]...)
		next = start
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@ ") {
			i++
			body := lines[i]
			text := body[1:]
			switch body[0] {
			case ' ', '-':
				if next >= len(a) || a[next] != text {
					return nil, fmt.Errorf("line %d does not match %q", next+1, body)
				}
				if body[0] == ' ' {
					out = append(out, text)
				}
				next++
			case '+':
				out = append(out, text)
			default:
				return nil, fmt.Errorf("bad diff line %q", body)
			}
		}
	}
	return append(out, a[next:]...), nil
}

// placeholderText holds every text masking writes in place of values, which a value may
// legitimately share.
const placeholderText = Masked + "\n" + MaskedOld + "\n" + MaskedNew + "\n" + wholeComment + "masked: "

// fuzzSecret is a Secret with one stringData value, and the same Secret with the value empty.
func fuzzSecret(key, value string) (content, skeleton []byte, err error) {
	secret := func(v string) ([]byte, error) {
		return yaml.Marshal(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s"}, "stringData": map[string]any{key: v}})
	}
	if content, err = secret(value); err != nil {
		return nil, nil, err
	}
	skeleton, err = secret("")
	return content, skeleton, err
}

// assertNoValueLines fails when a line of value (4 bytes or more) that is not part of the
// skeleton or of the placeholders appears in out.
func assertNoValueLines(t *testing.T, out, value string, skeleton []byte) {
	t.Helper()
	for _, line := range strings.Split(value, "\n") {
		line = strings.TrimSpace(line)
		if len(line) >= 4 && strings.Contains(out, line) && !strings.Contains(string(skeleton), line) && !strings.Contains(placeholderText, line) {
			t.Fatalf("value line %q leaked:\n%s", line, out)
		}
	}
}

// FuzzMaskSecret checks that no secret value survives masking, whatever the value and key.
func FuzzMaskSecret(f *testing.F) {
	f.Add("password", "hunter2-secret")
	f.Add("tls.crt", "-----BEGIN-----\nline-one-secret\n\nline-two-secret\n")
	f.Add("yes", "yes")
	f.Add("k", "a\tb\r\nc  \n")
	f.Add("a: b", "'quoted' \"secret\" value")
	f.Fuzz(func(t *testing.T, key, value string) {
		content, skeleton, err := fuzzSecret(key, value)
		if err != nil {
			return
		}
		assertNoValueLines(t, string(MaskSecret(content)), value, skeleton)
	})
}

// FuzzMaskSecretPair checks that masking two versions leaks neither value, and that the masked
// versions differ exactly when the values do.
func FuzzMaskSecretPair(f *testing.F) {
	f.Add("password", "old-secret", "new-secret")
	f.Add("token", "same-value", "same-value")
	f.Add("tls.crt", "-----BEGIN-----\nline-one\n", "-----BEGIN-----\nline-one\nline-two\n")
	f.Add("k", "<masked, new value>", "<masked>")
	f.Fuzz(func(t *testing.T, key, oldValue, newValue string) {
		if !utf8.ValidString(oldValue) || !utf8.ValidString(newValue) {
			return // YAML text is UTF-8: invalid bytes do not survive encoding unchanged
		}
		oldDoc, oldSkeleton, err := fuzzSecret(key, oldValue)
		if err != nil {
			return
		}
		newDoc, newSkeleton, err := fuzzSecret(key, newValue)
		if err != nil {
			return
		}
		mo, mn := MaskSecretPair(oldDoc, newDoc)
		for _, out := range []string{string(mo), string(mn)} {
			assertNoValueLines(t, out, oldValue, oldSkeleton)
			assertNoValueLines(t, out, newValue, newSkeleton)
		}
		if same := bytes.Equal(mo, mn); same != (oldValue == newValue) {
			t.Fatalf("masked versions equal = %v for values %q and %q:\n%s\n---\n%s", same, oldValue, newValue, mo, mn)
		}
	})
}
