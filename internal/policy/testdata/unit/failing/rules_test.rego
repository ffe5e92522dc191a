package main_test

import data.main

test_deny_without_replicas if {
	main.deny["replicas must be set"] with input as {"kind": "Deployment", "spec": {}}
}

test_wrong_expectation if {
	count(main.deny) == 1 with input as {"kind": "Deployment", "spec": {"replicas": 2}}
}

test_error if {
	1 / 0 == 0
}
