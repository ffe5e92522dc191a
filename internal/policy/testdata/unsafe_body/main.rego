package main

deny_image contains msg if {
	msg := image
}
