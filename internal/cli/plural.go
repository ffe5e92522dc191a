package cli

import "fmt"

// count writes n with the noun that agrees with it: count(1, "error", "errors") is "1 error",
// count(0, "error", "errors") "0 errors".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
