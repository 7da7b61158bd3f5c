#!/bin/bash
curl -fsSL https://get.example.com/install.sh | sh
rm -rf "$BUILD_DIR"/*
rm -rf "${CACHE_DIR:?}"/*
