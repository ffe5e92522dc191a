// Package pipeline runs environments through kforge's stages: evaluate (internal/jsonnet),
// extract (internal/manifest), validate (internal/schema, internal/policy) and compare, write or
// print (internal/golden, internal/report). It is, with internal/cli, the only package that knows
// every stage.
//
// A command opens one Run (Open) from RunOptions: the renderer's options (project, Jsonnet
// options, target filters, evaluator, render cache memo), the selection of environments (names,
// --all, --name, --since and --changed-files) and how many environments run at once. The Run is
// not changed afterwards, except that it warns only once about target filters that matched
// nothing. Its methods are the steps commands are made of — RenderFiles,
// RenderManifests, Eval, Validate, CheckGolden, Diff, UpdateGolden, Export, ExportGolden — and
// each loops over the selected environments on parallel workers, handing results back in the
// order of the environments. internal/cli only maps flags onto the options and prints what comes
// back.
package pipeline
