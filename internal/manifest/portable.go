package manifest

import (
	"fmt"
	"strings"
)

// windowsReserved are the device names Windows refuses as a file name, also with an extension
// ("con.yaml"), compared case-insensitively.
func windowsReserved(stem string) bool {
	switch strings.ToUpper(stem) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
		"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		return true
	}
	return false
}

// PortableComponent escapes one file or directory name of the golden layout so that it can be
// checked out on Windows, macOS and Linux alike. Each byte Windows does not allow in a name
// (`<>:"\|?*` and control characters), and "%" itself, becomes "%" and its two upper-case hex
// digits, as in a URL ("system:auth-delegator" → "system%3Aauth-delegator"); so does a trailing
// dot or space, and the last character of a Windows device name (CON, PRN, AUX, NUL, COM1-9,
// LPT1-9) before the first dot ("con" → "co%6E"). Names without such characters are unchanged.
// Kubernetes names never contain "%", so unescaping ("%3A" → ":") gives the name back.
func PortableComponent(c string) string {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if ch < 0x20 || ch == 0x7f || strings.IndexByte(`<>:"\|?*%`, ch) >= 0 {
			fmt.Fprintf(&b, "%%%02X", ch)
			continue
		}
		b.WriteByte(ch)
	}
	out := b.String()
	if n := len(out); n > 0 && (out[n-1] == '.' || out[n-1] == ' ') {
		out = fmt.Sprintf("%s%%%02X", out[:n-1], out[n-1])
	}
	stem, rest, dotted := strings.Cut(out, ".")
	if windowsReserved(strings.TrimRight(stem, " ")) {
		n := len(stem)
		out = fmt.Sprintf("%s%%%02X", stem[:n-1], stem[n-1])
		if dotted {
			out += "." + rest
		}
	}
	return out
}
