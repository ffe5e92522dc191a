// Package cache is kforge's exact render cache: it keeps an environment's rendered output on
// disk and hands it back only when nothing the evaluation depends on has changed.
//
// An entry is found by a Key built from every input known before evaluation (entrypoint,
// environment object and spec.json, import path, external variables and top-level arguments,
// stack limit, native formatting, kforge build and go-jsonnet version). The entry records the
// files the evaluation read, extended with their static import closure, with their sha256,
// and the import-search misses: the paths the import search tried before the file it found. A lookup re-hashes every recorded file and
// checks that every miss is still absent, so a changed library file, a deleted one, or a new
// file that would now shadow an import (environments/prod/x.libsonnet in front of
// lib/x.libsonnet) all turn the entry into a miss.
//
// Layout under the directory given to Open (the caller passes os.UserCacheDir()/kforge or
// --cache-dir; the package reads no environment variables):
//
//	v1/entries/<kk>/<key>   one small record per key: checksum line, then JSON
//	v1/blobs/<hh>/<sha256>  the output itself, content addressed
//	v1/memo/<hh>/<id>       data derived from an output (PutMemo), e.g. its manifests' YAML
//
// Every file is written to a temporary file in its final directory and renamed into place,
// so readers see a whole old file or a whole new one, and several processes can share the
// directory without locks: two writers of one key each leave a complete entry, the last one
// wins. A record whose checksum does not match, or a blob whose content does not match its
// name, is a miss, and the next Put replaces it. Prune bounds the size, evicting the least
// recently used files first (a hit refreshes the modification time).
//
// A Store may have a shared store behind its directory (WithRemote, a Remote such as
// internal/remotecache's OCI registry): a local miss is looked up there, a fetched entry is
// used only after it is verified (record checksum and key, output sha256 and size, the recorded
// files against the repository) and is then copied into the directory, memos likewise; Put and
// PutMemo push in the background through a bounded queue that Close drains. The first failure
// of the remote switches it off for the rest of the run with one warning; it never fails a
// lookup or a store.
package cache
