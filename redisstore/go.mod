module github.com/flasky-go/flasky/redisstore

go 1.25.0

replace github.com/flasky-go/flasky => ../

require (
	github.com/flasky-go/flasky v0.0.0-00010101000000-000000000000
	github.com/redis/go-redis/v9 v9.22.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/gorilla/schema v1.4.1 // indirect
	github.com/julienschmidt/httprouter v1.3.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/image v0.45.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
