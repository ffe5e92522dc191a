package golden

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// ReadGitTree reads an environment directory as it is at a git ref: t.Root is the directory git
// runs in (the repository root, or the kforge project inside a larger repository) and t.Dir the
// environment directory relative to it. Like [ReadDir] it returns the .yaml files, with
// Resource, Kind and Secret from their content, and reports symbolic links, submodules, hidden
// and non-YAML files as unexpected. A directory that does not exist at ref is an empty Tree.
// The listing comes from `git ls-tree` and the contents from one `git cat-file --batch`
// (rather than a `git show` per file). Errors say when t.Root is not in a git repository or
// ref is unknown.
func ReadGitTree(ctx context.Context, t Target, ref string) (Tree, error) {
	if t.Root == "" {
		return Tree{}, fmt.Errorf("read %s at %s: no repository root", t.Dir, ref)
	}
	if err := t.check(); err != nil {
		return Tree{}, err
	}
	if ref == "" || strings.HasPrefix(ref, "-") || strings.ContainsAny(ref, "\x00\n") {
		return Tree{}, fmt.Errorf("read %s at %q: invalid git ref", t.Dir, ref)
	}
	if _, err := git(ctx, t.Root, nil, "rev-parse", "--git-dir"); err != nil {
		return Tree{}, fmt.Errorf("read %s at %s: not a git repository: %w", t.Dir, ref, err)
	}
	out, err := git(ctx, t.Root, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return Tree{}, fmt.Errorf("read %s at %s: unknown git ref %q", t.Dir, ref, ref)
	}
	commit := strings.TrimSpace(string(out))
	out, err = git(ctx, t.Root, nil, "ls-tree", "-r", "-z", "--long", commit, "--", t.Dir)
	if err != nil {
		return Tree{}, fmt.Errorf("read %s at %s: list files: %w", t.Dir, ref, err)
	}
	var tree Tree
	var blobs []gitBlob
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		e, err := parseLsTree(string(rec))
		if err != nil {
			return Tree{}, fmt.Errorf("read %s at %s: %w", t.Dir, ref, err)
		}
		rel, ok := strings.CutPrefix(e.path, t.Dir+"/")
		if !ok {
			return Tree{}, fmt.Errorf("read %s at %s: not a directory at that ref", t.Dir, ref)
		}
		switch {
		case e.typ == "commit":
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "git submodule"})
		case e.mode == "120000":
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "symbolic link"})
		case e.typ != "blob":
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "git " + e.typ})
		case hasHidden(rel):
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "hidden entry"})
		case !strings.HasSuffix(rel, ".yaml"):
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "not a .yaml file"})
		case pathProblem(rel) != "":
			tree.Unexpected = append(tree.Unexpected, Unexpected{Path: rel, Reason: "unsafe file name: " + pathProblem(rel)})
		case e.size > MaxFileSize:
			return Tree{}, fmt.Errorf("read %s at %s: file too large (%d bytes, limit %d)", t.Display(rel), ref, e.size, MaxFileSize)
		default:
			blobs = append(blobs, gitBlob{path: rel, oid: e.oid})
		}
	}
	contents, err := catBlobs(ctx, t.Root, blobs)
	if err != nil {
		return Tree{}, fmt.Errorf("read %s at %s: %w", t.Dir, ref, err)
	}
	for i, b := range blobs {
		f := File{Path: b.path, Content: contents[i]}
		fillMeta(&f)
		tree.Files = append(tree.Files, f)
	}
	sort.Slice(tree.Files, func(i, j int) bool { return tree.Files[i].Path < tree.Files[j].Path })
	sort.Slice(tree.Unexpected, func(i, j int) bool { return tree.Unexpected[i].Path < tree.Unexpected[j].Path })
	return tree, nil
}

type gitBlob struct{ path, oid string }

type lsTreeEntry struct {
	mode, typ, oid, path string
	size                 int64
}

// parseLsTree parses one `git ls-tree --long -z` record: "<mode> <type> <oid> <size>\t<path>".
func parseLsTree(rec string) (lsTreeEntry, error) {
	meta, p, ok := strings.Cut(rec, "\t")
	f := strings.Fields(meta)
	if !ok || len(f) != 4 {
		return lsTreeEntry{}, fmt.Errorf("unexpected git ls-tree output %q", rec)
	}
	e := lsTreeEntry{mode: f[0], typ: f[1], oid: f[2], path: p}
	if f[3] != "-" {
		n, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return lsTreeEntry{}, fmt.Errorf("unexpected git ls-tree size %q", f[3])
		}
		e.size = n
	}
	return e, nil
}

func hasHidden(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if strings.HasPrefix(c, ".") {
			return true
		}
	}
	return false
}

// catBlobs reads the contents of blobs, in order, with one `git cat-file --batch`.
func catBlobs(ctx context.Context, dir string, blobs []gitBlob) ([][]byte, error) {
	if len(blobs) == 0 {
		return nil, nil
	}
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.oid + "\n")
	}
	out, err := git(ctx, dir, &in, "cat-file", "--batch")
	if err != nil {
		return nil, fmt.Errorf("read files: %w", err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	contents := make([][]byte, len(blobs))
	for i, b := range blobs {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("read %s: truncated git cat-file output", b.path)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			return nil, fmt.Errorf("read %s: unexpected git cat-file output %q", b.path, strings.TrimSpace(header))
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || size < 0 || size > MaxFileSize {
			return nil, fmt.Errorf("read %s: unexpected size %q", b.path, f[2])
		}
		buf := make([]byte, size+1)
		if _, err := io.ReadFull(r, buf); err != nil || buf[size] != '\n' {
			return nil, fmt.Errorf("read %s: truncated git cat-file output", b.path)
		}
		contents[i] = buf[:size]
	}
	return contents, nil
}

// git runs git in dir and returns its standard output; the error carries git's message.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"--literal-pathspecs", "-c", "core.quotepath=off"}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, errors.New("git is not installed")
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(msg)
	}
	return stdout.Bytes(), nil
}
