// Package affected works out which environments a change touches: the files changed since a
// git revision (ChangedSince), the files an environment depends on when no evaluation recorded
// them (Dependencies, ReadSet), the paths whose creation would change what an import resolves
// to (Scanner.Probe), and the selection itself (Select), which falls back to every environment
// when a change reaches inputs that no read set describes (kforge.yaml, policies, the binary).
//
// Read sets handed to Select must describe the current working tree: a validated render-cache
// entry or a fresh evaluation or Dependencies call. A read set can only change when one of its
// files or one of its misses changes, so a current read set plus the list of changed files is
// enough to find every environment whose output may differ.
package affected
