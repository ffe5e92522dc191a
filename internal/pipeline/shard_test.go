package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/pipeline"
)

func TestParseShard(t *testing.T) {
	for _, v := range []string{"1/1", "1/2", "2/2", "5/7"} {
		s, err := pipeline.ParseShard(v)
		if err != nil || s.String() != v {
			t.Errorf("ParseShard(%q) = %v, %v", v, s, err)
		}
	}
	for _, v := range []string{"", "1", "0/2", "3/2", "1/0", "-1/2", "a/b", "1/2/3", " 1/2"} {
		if s, err := pipeline.ParseShard(v); err == nil {
			t.Errorf("ParseShard(%q) = %v, want an error", v, s)
		}
	}
}

// checkPartition checks that for every N in 1…5 each name is in exactly one shard, the same one
// every time and whatever the order of the list.
func checkPartition(t *testing.T, names []string, shardOf func(names []string, s pipeline.Shard) []string) {
	t.Helper()
	for n := 1; n <= 5; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			s := pipeline.Shard{Index: i, Count: n}
			got := shardOf(names, s)
			if again := shardOf(names, s); !reflect.DeepEqual(got, again) {
				t.Errorf("shard %s: %v, then %v", s, got, again)
			}
			reversed := make([]string, len(names))
			for j, name := range names {
				reversed[len(names)-1-j] = name
			}
			inReverse := map[string]bool{}
			for _, name := range shardOf(reversed, s) {
				inReverse[name] = true
			}
			for _, name := range got {
				if seen[name] != 0 {
					t.Errorf("%s is in shards %d/%d and %s", name, seen[name], n, s)
				}
				seen[name] = i
				if !inReverse[name] {
					t.Errorf("%s is in shard %s of the list but not of the reversed list", name, s)
				}
			}
		}
		for _, name := range names {
			if seen[name] == 0 {
				t.Errorf("%s is in no shard of %d", name, n)
			}
		}
	}
}

// TestShardsOfReferenceRepository partitions the reference repository's environments, whose
// golden directories give their costs.
func TestShardsOfReferenceRepository(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	r := pipeline.NewRenderer(pipeline.Options{Project: projectAt(t, dir)})
	envs, err := r.Environments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) < 2 {
		t.Fatalf("the reference repository has %d environments", len(envs))
	}
	byName := map[string]environment.Environment{}
	names := make([]string, len(envs))
	for i, e := range envs {
		byName[e.Name] = e
		names[i] = e.Name
	}
	checkPartition(t, names, func(names []string, s pipeline.Shard) []string {
		list := make([]environment.Environment, len(names))
		for i, name := range names {
			list[i] = byName[name]
		}
		kept, err := r.ShardEnvironments(list, s)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(kept))
		for i, e := range kept {
			out[i] = e.Name
		}
		return out
	})
	// A run opened with a shard selects the same environments.
	for i := 1; i <= 2; i++ {
		s := pipeline.Shard{Index: i, Count: 2}
		want, err := r.ShardEnvironments(envs, s)
		if err != nil {
			t.Fatal(err)
		}
		run := open(t, dir, pipeline.Selection{All: true, Shard: s})
		if !reflect.DeepEqual(run.Envs(), want) {
			t.Errorf("Open with shard %s selected %d environments, ShardEnvironments %d", s, len(run.Envs()), len(want))
		}
	}
}

// TestPartitionSynthetic partitions 50 names with and without known costs, and checks the
// greedy balance: no shard's cost exceeds the average by more than the largest cost.
func TestPartitionSynthetic(t *testing.T) {
	names := make([]string, 50)
	costs := make([]int64, 50)
	unknown := make([]int64, 50)
	for i := range names {
		names[i] = fmt.Sprintf("environments/env-%02d", i)
		costs[i] = int64(1000 + (i*7919)%5000)
		unknown[i] = -1
	}
	mixed := append([]int64(nil), costs...)
	for i := 0; i < len(mixed); i += 3 {
		mixed[i] = -1
	}
	for _, tc := range []struct {
		name  string
		costs []int64
	}{{"costs", costs}, {"hash", unknown}, {"mixed", mixed}} {
		t.Run(tc.name, func(t *testing.T) {
			cost := map[string]int64{}
			for i, name := range names {
				cost[name] = tc.costs[i]
			}
			checkPartition(t, names, func(list []string, s pipeline.Shard) []string {
				c := make([]int64, len(list))
				for i, name := range list {
					c[i] = cost[name]
				}
				var out []string
				for i, shard := range pipeline.Partition(list, c, s.Count) {
					if shard == s.Index {
						out = append(out, list[i])
					}
				}
				return out
			})
		})
	}
	for n := 2; n <= 5; n++ {
		load := make([]int64, n)
		var total, largest int64
		for i, shard := range pipeline.Partition(names, costs, n) {
			load[shard-1] += costs[i]
			total += costs[i]
			largest = max(largest, costs[i])
		}
		for i, l := range load {
			if l > total/int64(n)+largest {
				t.Errorf("%d shards: shard %d costs %d, the average is %d", n, i+1, l, total/int64(n))
			}
		}
	}
}
