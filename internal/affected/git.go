package affected

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/fsutil"
)

// ChangedSince lists the files that differ between the revision ref and the working tree of
// the git repository holding root (the absolute kforge root): the files changed on the current
// branch since it forked from ref (`git diff ref...HEAD`), plus staged, unstaged and untracked
// changes (`git status`). Renames count as a deletion and an addition, deleted files are
// included. Paths are relative to root (slash separated, sorted), also when root is a
// subdirectory of the git repository; changes outside root are left out. git runs with ctx.
// A *NotRepositoryError or *UnknownRevisionError reports the two usage errors.
func ChangedSince(ctx context.Context, root, ref string) ([]string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, &UnknownRevisionError{Ref: ref}
	}
	top, err := git(ctx, root, "rev-parse", "--show-toplevel")
	if err != nil {
		var ee *gitExitError
		if errors.As(err, &ee) {
			return nil, &NotRepositoryError{Detail: ee.detail}
		}
		return nil, fmt.Errorf("list changes since %s: %w", ref, err)
	}
	prefix, err := rootPrefix(strings.TrimSuffix(string(top), "\n"), root)
	if err != nil {
		return nil, fmt.Errorf("list changes since %s: %w", ref, err)
	}
	commit, err := git(ctx, root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		var ee *gitExitError
		if errors.As(err, &ee) {
			return nil, &UnknownRevisionError{Ref: ref}
		}
		return nil, fmt.Errorf("list changes since %s: %w", ref, err)
	}
	sha := strings.TrimSpace(string(commit))
	diff, err := git(ctx, root, "diff", "--name-only", "--no-renames", "-z", sha+"...HEAD", "--")
	if err != nil {
		return nil, fmt.Errorf("list changes since %s: git diff: %w", ref, err)
	}
	status, err := git(ctx, root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
	if err != nil {
		return nil, fmt.Errorf("list changes since %s: git status: %w", ref, err)
	}
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if p == "" {
			return
		}
		if prefix != "" {
			if !strings.HasPrefix(p, prefix+"/") {
				return
			}
			p = strings.TrimPrefix(p, prefix+"/")
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range strings.Split(string(diff), "\x00") {
		add(p)
	}
	for _, p := range parseStatus(status) {
		add(p)
	}
	sort.Strings(out)
	return out, nil
}

// parseStatus reads `git status --porcelain=v1 -z`: "XY path\0", and for renames and copies
// (when they are reported despite --no-renames) "XY new\0old\0"; both paths count.
func parseStatus(b []byte) []string {
	var out []string
	fields := strings.Split(string(b), "\x00")
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if len(f) < 4 {
			continue
		}
		xy, p := f[:2], f[3:]
		out = append(out, strings.TrimSuffix(p, "/"))
		if strings.ContainsAny(xy, "RC") && i+1 < len(fields) {
			i++
			out = append(out, fields[i])
		}
	}
	return out
}

// rootPrefix returns root relative to the git top-level directory ("" when they are the same),
// comparing the paths with symlinks resolved.
func rootPrefix(top, root string) (string, error) {
	realTop, err := filepath.EvalSymlinks(filepath.FromSlash(top))
	if err != nil {
		return "", fmt.Errorf("resolve git top-level directory: %w", fsutil.WithoutPath(err))
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("resolve repository root: %w", fsutil.WithoutPath(err))
	}
	rel, err := filepath.Rel(realTop, realRoot)
	if err != nil || !isLocal(filepath.ToSlash(rel)) {
		return "", errors.New("the repository root is not inside the git work tree")
	}
	if rel == "." {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

// gitExitError is a git command that ran and failed.
type gitExitError struct {
	args   []string
	code   int
	detail string
}

func (e *gitExitError) Error() string {
	msg := fmt.Sprintf("git %s: exit status %d", strings.Join(e.args, " "), e.code)
	if e.detail != "" {
		msg += ": " + e.detail
	}
	return msg
}

// git runs git in dir and returns its standard output. A failure of git itself is a
// *gitExitError carrying the first line of its standard error, with dir written as ".".
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	// Reading only: never take the index lock another git process may hold.
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("run git %s: %w", args[0], ctx.Err())
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		line = strings.ReplaceAll(line, dir, ".")
		return nil, &gitExitError{args: args, code: ee.ExitCode(), detail: strings.TrimPrefix(line, "fatal: ")}
	}
	return nil, fmt.Errorf("run git %s: %w", args[0], err)
}
