package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/acme/inventory/internal/store"
	"github.com/acme/shared/auth"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/foo/nonexist/middleware"
	"encoding/yaml"
)

func main() {
	_ = context.Background()
	slog.Info("start")
	_ = http.StatusOK
	_ = store.New
	_ = auth.Check
	_ = gin.New
	_ = uuid.New
	_ = middleware.Log
}
