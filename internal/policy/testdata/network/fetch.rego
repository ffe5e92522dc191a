package kforge.network

# METADATA
# title: Fetches something
# custom:
#   id: KF-NET-001
deny contains {"msg": resp.body} if {
	resp := http.send({"method": "GET", "url": "https://example.com"})
	resp.status_code != 200
}
