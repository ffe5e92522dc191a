package lib

reason = "v0 syntax runs unchanged"
