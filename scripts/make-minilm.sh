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

# shellcheck source=lib/venv.sh
source scripts/lib/venv.sh
ensure_venv "import torch, transformers, onnx, onnxscript, onnxruntime" torch transformers onnx onnxscript onnxruntime
"$venv/bin/python" scripts/make-minilm.py --tokenizer-dir ../shared/models/all-MiniLM-L6-v2 --out "$out_dir"
