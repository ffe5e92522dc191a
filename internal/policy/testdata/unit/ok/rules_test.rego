package main_test

import data.main

test_deny_without_replicas if {
	main.deny["replicas must be set"] with input as {"kind": "Deployment", "spec": {}}
}

test_allow_with_replicas if {
	count(main.deny) == 0 with input as {"kind": "Deployment", "spec": {"replicas": 2}}
}

todo_test_later if {
	false
}
