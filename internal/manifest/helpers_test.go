package manifest

import "encoding/json"

// jsonNumber builds a json.Number for comparisons.
func jsonNumber(s string) json.Number { return json.Number(s) }
