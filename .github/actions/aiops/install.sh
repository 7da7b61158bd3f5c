#!/usr/bin/env bash
# Installs aiops for the composite action: a release's .deb, or a build from the
# action's own checkout when AIOPS_VERSION is "source". Puts it on PATH for later steps.
set -euo pipefail

version="${AIOPS_VERSION:-source}"
if command -v aiops >/dev/null 2>&1; then
  installed="$(aiops --version | head -n 1 | awk '{print $2}')"
  if [ "$version" = "$installed" ]; then
    echo "aiops $installed is already installed"
    exit 0
  fi
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ "$version" = "source" ]; then
  source_dir="$(cd "${AIOPS_ACTION_PATH:?}/../../.." && pwd)"
  build_dir="${RUNNER_TEMP:-/tmp}/aiops-build"
  "$source_dir/scripts/install-deps"
  cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIOPS_BUILD_TESTS=OFF
  cmake --build "$build_dir" --target aiops
  mkdir -p "$build_dir/bin"
  cp "$build_dir/tools/aiops/aiops" "$build_dir/bin/aiops"
  echo "$build_dir/bin" >> "${GITHUB_PATH:?}"
  "$build_dir/bin/aiops" --version
  exit 0
fi

repository="${AIOPS_ACTION_REPOSITORY:?the action repository is not known: set version: source}"
deb="${RUNNER_TEMP:-/tmp}/aiops_${version}_amd64.deb"
url="https://github.com/${repository}/releases/download/v${version}/aiops_${version}_amd64.deb"
echo "downloading $url"
curl --fail --location --silent --show-error --retry 3 --output "$deb" "$url"
$sudo apt-get install -y "$deb"
aiops --version
