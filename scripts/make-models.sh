#!/usr/bin/env bash
# Builds every generated test model under .cache/models (none of them can be downloaded here):
#   - the random-weight MiniLM ONNX model (scripts/make-minilm.sh)
#   - tiny-llama-q8_0.gguf, a random-weight llama GGUF for the LLM planner tests (scripts/make-tiny-gguf.py)
#   - with --bench: 0.5B-shaped Q8_0 and Q4_0 GGUFs for benchmarks (~900 MB, a few minutes)
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
if [ -f "$models/tiny-llama-q8_0.gguf" ] && { [ "${#bench[@]}" -eq 0 ] || { [ -f "$models/bench-0.5b-q8_0.gguf" ] && [ -f "$models/bench-0.5b-q4_0.gguf" ]; }; }; then
  echo "GGUF test models already built: $models" >&2
  exit 0
fi

mkdir -p .cache
venv=".cache/venv"
# Other fixture scripts share the venv; the lock keeps two of them from creating or filling it at once.
exec 9>".cache/venv.lock"
flock 9

if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv" >&2
  python3 -m venv "$venv"
fi

if ! "$venv/bin/python" -c "import gguf, numpy" >/dev/null 2>&1; then
  # pip's global config lists the mirrors as extra index URLs; without an explicit --index-url pip tries PyPI
  # first and only falls back to them after minutes of retries.
  read -r -a mirrors <<<"$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
  pip_args=()
  if [ "${#mirrors[@]}" -ge 1 ]; then pip_args+=(--index-url "${mirrors[0]}"); fi
  if [ "${#mirrors[@]}" -ge 2 ]; then pip_args+=(--extra-index-url "${mirrors[1]}"); fi
  echo "installing gguf, numpy into $venv" >&2
  "$venv/bin/python" -m pip install --quiet "${pip_args[@]}" gguf numpy
fi

flock -u 9
"$venv/bin/python" scripts/make-tiny-gguf.py --out-dir "$models" "${bench[@]}"
