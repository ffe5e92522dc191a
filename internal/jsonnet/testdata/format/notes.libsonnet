100% plain text, not Jsonnet: %s (
