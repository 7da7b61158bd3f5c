#!/usr/bin/env bash
# Installs aiops for the composite action: a release's .deb, or a build from the
# action's own checkout when AIOPS_VERSION is "source". Puts it on PATH for later steps.
set -euo pipefail

version="${AIOPS_VERSION:-source}"
# "v0.1.0" names the release tagged v0.1.0, whose package is aiops_0.1.0_amd64.deb.
version="${version#v}"
action_path="${AIOPS_ACTION_PATH:?the action path is not known}"

if [ "$version" = "source" ]; then
  source_dir="$(cd "$action_path/../../.." && pwd)"
  build_dir="${RUNNER_TEMP:-/tmp}/aiops-build"
  # Each use of the action in a job runs this script; the first one builds.
  if [ -x "$build_dir/bin/aiops" ]; then
    echo "$build_dir/bin" >> "${GITHUB_PATH:?}"
    echo "aiops was built from source earlier in this job: $("$build_dir/bin/aiops" --version | head -n 1)"
    exit 0
  fi
  "$source_dir/scripts/install-deps"
  # A newer compiler's new warning must not fail the users' pipelines.
  cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIOPS_BUILD_TESTS=OFF \
    -DAIOPS_WARNINGS_AS_ERRORS=OFF
  cmake --build "$build_dir" --target aiops
  mkdir -p "$build_dir/bin"
  cp "$build_dir/tools/aiops/aiops" "$build_dir/bin/aiops"
  echo "$build_dir/bin" >> "${GITHUB_PATH:?}"
  "$build_dir/bin/aiops" --version
  exit 0
fi

if command -v aiops >/dev/null 2>&1; then
  installed="$(aiops --version | head -n 1 | awk '{print $2}')"
  if [ "$version" = "$installed" ]; then
    echo "aiops $installed is already installed"
    exit 0
  fi
fi

# GitHub leaves github.action_repository empty inside composite actions; the runner
# puts an action in _actions/OWNER/REPO/REF/, which names it.
repository="${AIOPS_ACTION_REPOSITORY:-}"
if [ -z "$repository" ]; then
  case "$action_path" in
    */_actions/*/*/*)
      rest="${action_path#*/_actions/}"
      owner="${rest%%/*}"
      rest="${rest#*/}"
      repository="$owner/${rest%%/*}"
      ;;
  esac
fi
if [ -z "$repository" ]; then
  echo "install.sh: the repository that holds the aiops releases is not known: set the repository input (owner/name), or version: source" >&2
  exit 1
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
deb="${RUNNER_TEMP:-/tmp}/aiops_${version}_amd64.deb"
url="https://github.com/${repository}/releases/download/v${version}/aiops_${version}_amd64.deb"
echo "downloading $url"
curl --fail --location --silent --show-error --retry 3 --output "$deb" "$url"
# The package's dependencies come from the archive, whose lists may be stale or empty.
$sudo apt-get update
$sudo apt-get install -y "$deb"
aiops --version
