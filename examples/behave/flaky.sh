#!/bin/sh
# Fails one trial in four: the fourth, eighth, ... (AIOPS_TRIAL counts from 0).
if [ $(( (${AIOPS_TRIAL:-0} + 1) % 4 )) -eq 0 ]; then
    echo "connection reset" >&2
    exit 1
fi
echo '{"status": "ok", "items": [1, 2, 3]}'
