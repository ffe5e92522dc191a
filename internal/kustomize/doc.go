// Package kustomize runs `kustomize build` in process for std.native('kustomizeBuild'), the way
// Tanka's native function does, through sigs.k8s.io/kustomize/api (krusty) with the options of a
// plain `kustomize build`: load restrictions root-only, no plugins beyond the builtins, Helm
// inflation off.
//
// Kustomize reads through a file system confined to the repository root ([FS]): it presents
// the root as "/", so paths in kustomize's messages are repository paths, refuses every path that
// leaves the root (symlinks included) and any write, and records every file read and every path
// probed in vain, with the sha256 of what it read. Those records join the evaluation's read set,
// so the render cache and `env affected` see kustomization files, bases, patches and generator
// sources. Before kustomize acts on a kustomization file or a builtin plugin configuration, the
// file system refuses the ones that name a remote base or remote file, so nothing is fetched and
// no git process starts; exec and container plugins are refused by kustomize's builtins-only
// plugin policy, helmCharts by its disabled Helm inflation.
//
// A [Builder] builds each kustomization once for the lifetime of the files (one run) and keys
// the result by Tanka's nameFormat ([KeyByNameFormat]).
package kustomize
