package kforge.slow

# METADATA
# title: Never finishes in time
# custom:
#   id: KF-SLOW-001
deny contains {"msg": "found"} if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i * j == -1
}
