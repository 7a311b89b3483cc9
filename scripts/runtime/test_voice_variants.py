#!/usr/bin/python3
"""Derives test models from scripts/optimize/make_test_voice.py's Piper-interface voice.

  test_voice_variants.py speakers IN.onnx OUT.onnx [--speakers 2] [--seed 7]
      adds Piper's multi-speaker input `sid` int64 [1]: a speaker embedding row is
      added to every token embedding, so each speaker gives different audio.
  test_voice_variants.py rename-input IN.onnx OUT.onnx --name OLD --to NEW
      renames a graph input (a model whose interface does not match its config).

Deterministic for a given input model and seed.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def add_speakers(model, speakers, seed):
    graph = model.graph
    embedding = next(init for init in graph.initializer if init.name == "embedding")
    channels = numpy_helper.to_array(embedding).shape[1]
    table = np.random.default_rng(seed).standard_normal((speakers, channels)).astype(np.float32)
    graph.initializer.append(numpy_helper.from_array(table, "speaker_embedding"))
    gather = next(i for i, node in enumerate(graph.node) if node.output[0] == "embedded")
    graph.node[gather].output[0] = "token_embedded"
    # Gather([S,C], sid[1]) -> [1,C]; broadcasting adds it to every [1,N,C] position.
    new_nodes = [
        helper.make_node("Gather", ["speaker_embedding", "sid"], ["speaker_vector"]),
        helper.make_node("Add", ["token_embedded", "speaker_vector"], ["embedded"]),
    ]
    for offset, node in enumerate(new_nodes):
        graph.node.insert(gather + 1 + offset, node)
    graph.input.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    return model


def rename_input(model, old, new):
    graph = model.graph
    next(value for value in graph.input if value.name == old).name = new
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == old:
                node.input[i] = new
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    speakers = sub.add_parser("speakers")
    speakers.add_argument("input")
    speakers.add_argument("output")
    speakers.add_argument("--speakers", type=int, default=2)
    speakers.add_argument("--seed", type=int, default=7)
    rename = sub.add_parser("rename-input")
    rename.add_argument("input")
    rename.add_argument("output")
    rename.add_argument("--name", required=True)
    rename.add_argument("--to", required=True)
    args = parser.parse_args()
    model = onnx.load(args.input)
    if args.command == "speakers":
        model = add_speakers(model, args.speakers, args.seed)
    else:
        model = rename_input(model, args.name, args.to)
    onnx.checker.check_model(model)
    onnx.save(model, args.output)


if __name__ == "__main__":
    main()
