package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/fsutil"
)

// Shard is one part of a partition of the selected environments into Count parts (--shard
// Index/Count, 1-based). The zero Shard is the whole selection.
//
// The partition is a pure function of the selected environments' names and of the sizes of
// their committed golden directories, so every machine that checks out the same commit and
// passes the same selection computes the same shards, whatever its render cache holds:
//
//   - An environment whose golden directory exists costs the total size in bytes of the files in
//     it. These environments are assigned first, greedily (longest processing time first): in
//     order of cost, largest first, ties by name, each to the shard with the least total cost so
//     far, ties to the lowest shard.
//   - An environment without a golden directory goes to shard 1 + FNV-1a-64(name) mod Count.
//
// Every environment is in exactly one shard for any Count. The render cache's timings are not
// used: they differ between machines, and so would the shards. The golden directories'
// sizes are read when the run opens; an update of golden/ changes them, so the shards of one
// update must all start from the same commit.
type Shard struct {
	// Index is the shard, 1…Count.
	Index int
	// Count is the number of shards; 0 means the run is not sharded.
	Count int
}

// Sharded reports whether s narrows the selection.
func (s Shard) Sharded() bool { return s.Count > 0 }

// First reports whether s is the first shard or the whole selection: findings about the
// repository rather than an environment (stale golden directories, kforge.yaml settings) come
// from it only, so that the reports of all shards hold each of them once.
func (s Shard) First() bool { return s.Count == 0 || s.Index == 1 }

// String is s as --shard takes it, "I/N"; empty for the zero Shard.
func (s Shard) String() string {
	if !s.Sharded() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard parses "I/N" with 1 ≤ I ≤ N.
func ParseShard(v string) (Shard, error) {
	is, ns, ok := strings.Cut(v, "/")
	if !ok {
		return Shard{}, fmt.Errorf("%q is not I/N (e.g. 1/4)", v)
	}
	i, errI := strconv.Atoi(is)
	n, errN := strconv.Atoi(ns)
	if errI != nil || errN != nil {
		return Shard{}, fmt.Errorf("%q is not I/N with whole numbers (e.g. 1/4)", v)
	}
	if n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("%q: want 1 ≤ I ≤ N", v)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardEnvironments keeps the environments of envs in shard s, in their order (all of them for
// the zero Shard). The costs are the sizes of their golden directories (see Shard).
func (r *Renderer) ShardEnvironments(envs []environment.Environment, s Shard) ([]environment.Environment, error) {
	if !s.Sharded() {
		return envs, nil
	}
	names := make([]string, len(envs))
	costs := make([]int64, len(envs))
	for i, env := range envs {
		names[i] = env.Name
		dir := r.GoldenTarget(env).Dir
		cost, err := dirSize(r.project.Abs(dir))
		if err != nil {
			return nil, fmt.Errorf("shard %s: size of %s: %w", s, dir, fsutil.WithoutPath(err))
		}
		costs[i] = cost
	}
	shards := Partition(names, costs, s.Count)
	var out []environment.Environment
	for i, env := range envs {
		if shards[i] == s.Index {
			out = append(out, env)
		}
	}
	return out, nil
}

// Partition assigns each of names a shard 1…n by the rule of Shard; costs[i] is names[i]'s
// cost, negative when unknown. The result is in the order of names.
func Partition(names []string, costs []int64, n int) []int {
	out := make([]int, len(names))
	var known []int
	for i := range names {
		if costs[i] >= 0 {
			known = append(known, i)
			continue
		}
		out[i] = hashShard(names[i], n)
	}
	slices.SortFunc(known, func(a, b int) int {
		if c := cmp.Compare(costs[b], costs[a]); c != 0 {
			return c
		}
		return cmp.Compare(names[a], names[b])
	})
	load := make([]int64, n)
	for _, i := range known {
		least := 0
		for s := 1; s < n; s++ {
			if load[s] < load[least] {
				least = s
			}
		}
		load[least] += costs[i]
		out[i] = least + 1
	}
	return out
}

// hashShard is 1 + FNV-1a-64(name) mod n.
func hashShard(name string, n int) int {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name)) // A hash.Hash never returns an error.
	return 1 + int(h.Sum64()%uint64(n))
}

// dirSize is the total size of the regular files below dir, -1 when dir does not exist.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	return total, nil
}
