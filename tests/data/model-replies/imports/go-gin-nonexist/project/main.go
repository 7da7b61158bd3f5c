package main

import (
	"net/http"

	"github.com/foo/nonexist/ginauth"
	"github.com/gin-gonic/gin"
	"github.com/acme/notes/store"
)

func main() {
	router := gin.Default()
	router.Use(ginauth.BearerToken())
	router.GET("/notes", func(c *gin.Context) {
		c.JSON(http.StatusOK, store.All())
	})
	_ = router.Run("127.0.0.1:8080")
}
