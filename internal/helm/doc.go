// Package helm renders Helm charts in process for Tanka's std.native('helmTemplate'): the
// chart is loaded from the repository through an FS (which confines reads to the repository
// root and records them), rendered with the Helm SDK the way `helm template` renders it
// (client only: no cluster, no network, no DNS, `lookup` finds nothing), and returned as an
// object keyed by Tanka's name format.
package helm
