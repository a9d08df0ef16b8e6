module github.com/flasky-go/flasky

go 1.25.0

require (
	github.com/gorilla/schema v1.4.1
	github.com/julienschmidt/httprouter v1.3.0
)

require golang.org/x/image v0.45.0

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
