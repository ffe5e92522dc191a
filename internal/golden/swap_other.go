//go:build !linux

package golden

// exchange is not available outside Linux; Update renames the old tree aside instead.
func exchange(a, b string) error { return errNoExchange }
