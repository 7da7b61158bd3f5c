Here's a deploy script that builds the image and restarts the service:

```bash
#!/usr/bin/env bash
set -euo pipefail

IMAGE="registry.example.com/shop/api:${GIT_SHA:-latest}"

build() {
  docker build -t "$IMAGE" .
  docker push "$IMAGE"
}

rollback() {
  # TODO: restore the previous image tag
  :
}

build
ssh deploy@api.example.com "docker pull $IMAGE && systemctl restart shop-api"
```

Make it executable with `chmod +x deploy.sh` before running it.
