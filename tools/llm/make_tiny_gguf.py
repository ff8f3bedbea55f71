#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF model with random weights, for testing Agora's language-model backend.

The vocabulary is byte-level: <unk>, <s>, </s> and the 256 byte tokens <0x00>..<0xFF> (SentencePiece byte
fallback), so any text tokenises and JSON-schema constrained decoding can spell any reply. The model knows
nothing; with a grammar it still answers valid JSON, which is all the integration test needs.

Usage: make_tiny_gguf.py OUT.gguf [--layers 2] [--width 64] [--context 4096] [--seed 1]
"""

import argparse

import gguf
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    width, ff, heads = args.width, 2 * args.width, args.heads

    tokens = [b"<unk>", b"<s>", b"</s>"] + [f"<0x{b:02X}>".encode() for b in range(256)]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + [gguf.TokenType.BYTE] * 256
    vocab = len(tokens)

    writer = gguf.GGUFWriter(args.out, "llama")
    writer.add_name("agora-tiny-random")
    writer.add_context_length(args.context)
    writer.add_embedding_length(width)
    writer.add_block_count(args.layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_rope_dimension_count(width // heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * vocab)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)

    def weights(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    # numpy shapes are (rows, columns); GGUF stores them reversed, as ggml's ne = [columns, rows].
    writer.add_tensor("token_embd.weight", weights(vocab, width))
    writer.add_tensor("output_norm.weight", np.ones(width, dtype=np.float32))
    writer.add_tensor("output.weight", weights(vocab, width))
    for i in range(args.layers):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(width, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"blk.{i}.{name}.weight", weights(width, width))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(width, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_gate.weight", weights(ff, width))
        writer.add_tensor(f"blk.{i}.ffn_up.weight", weights(ff, width))
        writer.add_tensor(f"blk.{i}.ffn_down.weight", weights(width, ff))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
