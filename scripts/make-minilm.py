"""Builds a MiniLM-shaped BERT with RANDOM weights as a transformers.js model folder, for tests and timing.

No real weights are reachable from this machine, so the network is random (fixed seed): tokenization, shapes,
pooling and timing are real; similarity quality is meaningless. The real tokenizer and config are copied from
the weights-free all-MiniLM-L6-v2 folder. A reference embedding computed in PyTorch (mean pooling + L2 norm)
lets the TypeScript tests check the ONNX path end to end.

Output layout (what transformers.js expects):
  config.json tokenizer.json tokenizer_config.json special_tokens_map.json vocab.txt
  onnx/model.onnx            fp32
  onnx/model_quantized.onnx  dynamic int8 (dtype 'q8')
  reference.json             {sentences, embeddings} from PyTorch, fp32
"""

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import torch
from transformers import AutoTokenizer, BertConfig, BertModel

TOKENIZER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]
REFERENCE_SENTENCES = [
    "restart the checkout deployment in namespace shop",
    "why does my pod keep crashing?",
]
SEED = 1234


class Encoder(torch.nn.Module):
    """Fixes the ONNX input order: transformers 5 changed BertModel.forward's positional arguments."""

    def __init__(self, bert: BertModel):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def mean_pool_normalized(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1)


def build(tokenizer_dir: Path, out: Path) -> None:
    config = BertConfig.from_pretrained(str(tokenizer_dir))
    shape = (config.num_hidden_layers, config.hidden_size, config.num_attention_heads, config.intermediate_size, config.vocab_size)
    if shape != (6, 384, 12, 1536, 30522):
        raise SystemExit(f"{tokenizer_dir}/config.json is not MiniLM-L6-shaped: {shape}")

    torch.manual_seed(SEED)
    model = BertModel(config, add_pooling_layer=False).eval()
    encoder = Encoder(model).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))

    # Reference first: the legacy exporter can leave the in-memory model changed.
    batch = tokenizer(REFERENCE_SENTENCES, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = encoder(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        embeddings = mean_pool_normalized(hidden, batch["attention_mask"])

    (out / "onnx").mkdir(parents=True)
    for name in TOKENIZER_FILES:
        shutil.copyfile(tokenizer_dir / name, out / name)

    with torch.no_grad():
        torch.onnx.export(
            encoder,
            (batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]),
            str(out / "onnx" / "model.onnx"),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=18,
            dynamo=False,
        )

    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(out / "onnx" / "model.onnx"), str(out / "onnx" / "model_quantized.onnx"), weight_type=QuantType.QInt8
    )

    reference = {
        "note": f"random weights, torch seed {SEED}; PyTorch fp32, mean pooling over the attention mask, L2-normalized",
        "sentences": REFERENCE_SENTENCES,
        "input_ids": batch["input_ids"].tolist(),
        "embeddings": embeddings.tolist(),
    }
    (out / "reference.json").write_text(json.dumps(reference))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokenizer-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename at the end so an interrupted run never leaves a half-built model.
    work = Path(tempfile.mkdtemp(prefix=".minilm-", dir=args.out.parent))
    try:
        build(args.tokenizer_dir, work / "model")
        if args.out.exists():
            shutil.rmtree(args.out)
        (work / "model").rename(args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
