#!/usr/bin/env bash
# Builds the random-weight MiniLM-shaped ONNX test model under .cache/models/minilm-random (see make-minilm.py).
# Idempotent: exits at once when the model and its reference embedding exist.
# Python packages come from the local pip mirror (PyPI is unreachable here), into the venv under .cache/venv
# that the other fixture scripts share.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=".cache/models/minilm-random"
if [ -f "$out_dir/onnx/model.onnx" ] && [ -f "$out_dir/reference.json" ] && [ -f "$out_dir/tokenizer.json" ]; then
  echo "minilm-random already built: $out_dir" >&2
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

if ! "$venv/bin/python" -c "import torch, transformers, onnx, onnxscript, onnxruntime" >/dev/null 2>&1; then
  # pip's global config lists the mirrors as extra index URLs; without an explicit --index-url pip tries PyPI
  # first and only falls back to them after minutes of retries.
  read -r -a mirrors <<<"$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
  pip_args=()
  if [ "${#mirrors[@]}" -ge 1 ]; then pip_args+=(--index-url "${mirrors[0]}"); fi
  if [ "${#mirrors[@]}" -ge 2 ]; then pip_args+=(--extra-index-url "${mirrors[1]}"); fi
  echo "installing torch (cpu), transformers, onnx, onnxscript, onnxruntime into $venv" >&2
  "$venv/bin/python" -m pip install --quiet "${pip_args[@]}" torch transformers onnx onnxscript onnxruntime
fi

flock -u 9
"$venv/bin/python" scripts/make-minilm.py --tokenizer-dir ../shared/models/all-MiniLM-L6-v2 --out "$out_dir"
