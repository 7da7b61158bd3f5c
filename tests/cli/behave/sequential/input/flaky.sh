#!/bin/sh
# Fails one trial in four (AIOPS_TRIAL counts from 0).
if [ $(( (AIOPS_TRIAL + 1) % 4 )) -eq 0 ]; then
    echo "connection reset" >&2
    exit 1
fi
echo ok
