"""Writes llama-architecture GGUF files with random weights for tests and benchmarks.

No instruction-tuned weights are reachable from this machine, so these models exist to exercise the real
llama.cpp code path (loading, tokenizing, grammar-constrained decoding, KV-cache reuse) at a realistic cost.
Their output is meaningless text; under a JSON-schema grammar it is still schema-valid JSON.

  tiny   2 layers, hidden 64, ~420-token vocabulary: fast enough for unit tests.
  0.5b   Qwen2.5-0.5B-like dimensions (24 layers, hidden 896, 14/2 heads, ffn 4864, 32000 vocab), the size of
         model a planner would really run; for benchmarks only.

The vocabulary is SentencePiece-style ("llama" tokenizer) with all 256 byte tokens as a fallback, so any
UTF-8 text (and so any JSON a grammar allows) can be produced, plus ChatML control tokens and a ChatML
jinja chat template. Weights come from a fixed seed: the same command writes the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import string
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType, GGUFWriter, TokenType

SPACE = "\u2581"  # SentencePiece's word-boundary marker
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# Pieces worth a single token in this domain; the rest of the vocabulary is filled with letter n-grams.
DOMAIN_WORDS = [
    '{"', '":', '","', '"}', '": "', "intent", "namespace", "target", "selector", "command", "summary",
    "kubectl", "flux", "rollout", "restart", "status", "history", "undo", "scale", "describe", "logs",
    "deployment", "statefulset", "daemonset", "pod", "node", "default", "get", "events", "top",
    "cordon", "uncordon", "drain", "reconcile", "suspend", "resume", "kustomization", "replicas",
    "--namespace", "--replicas", "-n", "app", "the", "and", "to",
]


@dataclass(frozen=True)
class Shape:
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    context: int


SHAPES = {
    "tiny": Shape(layers=2, hidden=64, heads=4, kv_heads=2, ffn=192, vocab=0, context=4096),
    "0.5b": Shape(layers=24, hidden=896, heads=14, kv_heads=2, ffn=4864, vocab=32000, context=4096),
}


def build_vocab(size: int) -> tuple[list[str], list[float], list[int]]:
    """size 0 means: only the base pieces (specials, bytes, printable characters, domain words)."""
    tokens: list[str] = ["<unk>", "<s>", "</s>"]
    types: list[int] = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL]
    tokens += ["<|im_start|>", "<|im_end|>"]
    types += [TokenType.CONTROL, TokenType.CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [TokenType.BYTE] * 256
    # A dict keeps insertion order and drops repeats (domain words that are also n-grams).
    pieces: dict[str, None] = {}
    for ch in string.printable:
        if ch not in " \t\n\r\x0b\x0c":
            pieces[ch] = None
    pieces[SPACE] = None
    for word in DOMAIN_WORDS:
        pieces[word] = None
        if word[0].isalpha():
            pieces[SPACE + word] = None
    ngrams = (
        prefix + "".join(combo)
        for n in (2, 3, 4)
        for combo in itertools.product(string.ascii_lowercase, repeat=n)
        for prefix in ("", SPACE)
    )
    while size and len(tokens) + len(pieces) < size:
        pieces[next(ngrams)] = None
    unique = [p for p in pieces if p not in tokens]
    # SentencePiece merges adjacent pieces by score; longer pieces score higher so words become one token.
    scores = [0.0] * len(tokens) + [float(len(p)) - i * 1e-6 for i, p in enumerate(unique)]
    tokens += unique
    types += [TokenType.NORMAL] * len(unique)
    return tokens, scores, types


def add_weight(writer: GGUFWriter, name: str, shape: tuple[int, ...], qtype: GGMLQuantizationType,
               rng: np.random.Generator) -> None:
    # numpy shape is (rows, cols) = (out, in); small std keeps activations finite through many layers.
    data = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)
    if qtype == GGMLQuantizationType.F32:
        writer.add_tensor(name, data)
        return
    writer.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)


def write_model(path: Path, shape: Shape, qtype: GGMLQuantizationType, name: str) -> None:
    tokens, scores, types = build_vocab(shape.vocab)
    rng = np.random.default_rng(20240601)
    tmp = path.with_suffix(path.suffix + ".tmp")
    writer = GGUFWriter(str(tmp), "llama")
    writer.add_name(name)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q8_0 if qtype == GGMLQuantizationType.Q8_0
                         else gguf.LlamaFileType.MOSTLY_Q4_0)
    writer.add_context_length(shape.context)
    writer.add_embedding_length(shape.hidden)
    writer.add_block_count(shape.layers)
    writer.add_feed_forward_length(shape.ffn)
    writer.add_head_count(shape.heads)
    writer.add_head_count_kv(shape.kv_heads)
    writer.add_rope_dimension_count(shape.hidden // shape.heads)
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_pad_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_space_prefix(False)
    writer.add_chat_template(CHATML_TEMPLATE)

    head_dim = shape.hidden // shape.heads
    kv_dim = head_dim * shape.kv_heads
    # No output.weight: llama.cpp ties the output projection to token_embd, as Qwen2.5-0.5B does.
    add_weight(writer, "token_embd.weight", (len(tokens), shape.hidden), qtype, rng)
    writer.add_tensor("output_norm.weight", np.ones(shape.hidden, dtype=np.float32))
    for b in range(shape.layers):
        writer.add_tensor(f"blk.{b}.attn_norm.weight", np.ones(shape.hidden, dtype=np.float32))
        writer.add_tensor(f"blk.{b}.ffn_norm.weight", np.ones(shape.hidden, dtype=np.float32))
        add_weight(writer, f"blk.{b}.attn_q.weight", (shape.hidden, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.attn_k.weight", (kv_dim, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.attn_v.weight", (kv_dim, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.attn_output.weight", (shape.hidden, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_gate.weight", (shape.ffn, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_up.weight", (shape.ffn, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_down.weight", (shape.hidden, shape.ffn), qtype, rng)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(tokens)} tokens)", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", default=".cache/models")
    parser.add_argument("--bench", action="store_true", help="also write the 0.5B-shaped Q8_0 and Q4_0 models")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [("tiny-llama-q8_0.gguf", "tiny", GGMLQuantizationType.Q8_0)]
    if args.bench:
        jobs += [
            ("bench-0.5b-q8_0.gguf", "0.5b", GGMLQuantizationType.Q8_0),
            ("bench-0.5b-q4_0.gguf", "0.5b", GGMLQuantizationType.Q4_0),
        ]
    for file_name, shape_name, qtype in jobs:
        path = out / file_name
        if path.exists():
            print(f"{path} exists, skipped", file=sys.stderr)
            continue
        write_model(path, SHAPES[shape_name], qtype, f"rag-k8s random {shape_name} {qtype.name}")


if __name__ == "__main__":
    main()
