//go:build !linux

package golden

// exchange is not available outside Linux; Update renames the old tree aside instead.
func exchange(_, _ string) error { return errNoExchange }
