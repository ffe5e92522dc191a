// Package golden is the golden store: the directories that hold the rendered manifests of
// environments (golden/<env>/). It reads them ([ReadDir], and [ReadGitTree] for the tree at a
// git ref), replaces them atomically under a lock ([Update]), removes the ones no environment
// renders any more ([RemoveStale]), checks the paths written into them ([ValidateFiles]) and
// parses the files committed in them ([Parse], the one reader of committed golden bytes).
// Comparing a directory with what was rendered is internal/drift's job, writing a Tanka-style
// export directory internal/export's, printing either internal/report's.
//
// It works on plain data: a [File] is a slash path relative to an environment's directory, the
// canonical YAML bytes made by internal/manifest, the resource it holds and whether it is a
// Secret. Nothing here formats YAML or knows how manifests are made.
//
// # Layout
//
// An environment's golden directory (golden/<env>/) holds nothing but the environment's YAML
// files, one per resource, at the paths the caller chose. Argo CD and Flux parse every YAML
// file below the directory they deploy, so kforge keeps its own bookkeeping out of it:
//
//   - the lock is <parent>/.kforge.lock, beside the environment directory (golden/.kforge.lock
//     for golden/prod); it exists only while an update runs and is removed when it ends;
//   - an update stages the new tree in <parent>/.<env>.kforge-tmp-<random> and, when it has to
//     move the old tree aside, uses <parent>/.<env>.kforge-old-<random>. Both are removed by
//     the update that made them, or by the next update (or [RemoveStale]) after a crash.
//
// File paths must be relative, clean, free of "..", NUL, backslashes, control characters and
// hidden (dot) components, each component at most 255 bytes, and unique even on file systems
// that ignore case or Unicode normalisation ([ValidateFiles]).
//
// # Atomicity and crash windows
//
// [Update] holds the lock for its whole run when it writes: it writes every file into the staging directory
// (mode 0644, directories 0755), makes them durable (one syncfs of the file system on Linux,
// an fsync of each file and directory elsewhere), and then swaps:
//
//   - On Linux it exchanges the staging directory and the environment directory with one
//     renameat2(RENAME_EXCHANGE): readers see the old tree or the new one, never neither. It
//     then removes the staging name, which now holds the old tree.
//   - Where exchange is unavailable it renames the old directory to .<env>.kforge-old-*,
//     renames the staging directory into place, and removes the old tree.
//
// A run killed before the swap leaves the old directory untouched plus a staging directory.
// Killed after the swap, it leaves the new directory plus the old tree under a hidden name.
// Only the fallback has a window in which golden/<env> is missing (between its two renames);
// the next update then finds exactly one .<env>.kforge-old-* and renames it back before doing
// anything else. In every case the environment directory is entirely old or entirely new, and
// the next run removes the leftovers.
//
// An update whose files equal what is on disk (same paths, bytes and modes, nothing unexpected)
// does not touch the environment directory at all, so a second update leaves mtimes and git
// clean. That check first runs without the lock: the directory is read through one handle, so it
// sees one complete tree even while another run swaps a new one in, and only a full match with no
// leftovers beside it returns early. Everything else takes the lock and decides again, so the
// workers of a warm export confirm their unchanged environments in parallel.
package golden
