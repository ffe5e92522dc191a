package kforge.meta

# METADATA
# title: Bad severity
# custom:
#   id: KF-META-001
#   severity: critical
deny contains "x" if {
	input.environment.name == "x"
}
