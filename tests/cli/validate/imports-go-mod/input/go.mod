module github.com/acme/inventory

go 1.22

require (
	github.com/gin-gonic/gin v1.9.1
	github.com/google/uuid v1.6.0 // ids
)

replace github.com/acme/shared => ../shared
