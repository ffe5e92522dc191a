// Package finding is kforge's one outcome model: every conclusion a run can
// reach about the repository — a policy finding, a schema violation, golden
// drift — is a [Finding] of a [Rule], with a [Severity], the [ResourceRef] it
// is about and the [Location] it points at. The producers (policy, schema,
// golden drift) build findings; report renders them; nothing here knows
// either side.
package finding
