package drift

// Helpers for the external tests of this package.
var (
	NewRepo  = newRepo
	FilesMap = filesMap
)
