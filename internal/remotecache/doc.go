// Package remotecache keeps kforge's render cache entries (cache.Bundle) in a store shared by
// many runners: an OCI registry, through oras-go, or a directory on a mounted share. Its one
// job is the mapping of an entry to an OCI artifact and back; the cache package decides when
// to fetch and push and verifies what comes back.
//
// One entry is one OCI image manifest (application/vnd.oci.image.manifest.v1+json) tagged with
// the entry's key (64 hex digits):
//
//	artifactType  application/vnd.kforge.render-cache.v1
//	config        the empty descriptor (application/vnd.oci.empty.v1+json, "{}")
//	layers[0]     application/vnd.kforge.render-cache.record.v1   the entry record (title record)
//	layers[1]     application/vnd.kforge.render-cache.output.v1   the rendered output (title output.json)
//	annotations   org.kforge.render-cache.key = the key, org.kforge.render-cache.schema = 1
//
// A memo (data the pipeline derived from an output, such as its encoded YAML files) is one
// manifest tagged "memo-" + its id, of artifactType application/vnd.kforge.render-cache.memo.v1,
// with one layer (application/vnd.kforge.render-cache.memo.v1, the memo file) and the annotation
// org.kforge.render-cache.memo = its id.
//
// Blobs are content addressed, so an output shared by several entries is stored once, and a
// push skips the blobs the store already has. A push uploads the blobs before the manifest and
// the tag, so a reader never sees a manifest whose blobs are missing; two runners pushing one
// key each leave a whole artifact and the last tag wins. Fetching reads the manifest by tag,
// then its two layers, checking each against its descriptor's size and digest.
//
// A directory (file:///path) holds the same artifacts in a layout several processes can share
// without locks, every file written to a temporary name and renamed:
//
//	blobs/sha256/<hex>   blobs and manifests, content addressed
//	tags/<kk>/<key>      the descriptor (JSON) of the manifest tagged key
package remotecache
