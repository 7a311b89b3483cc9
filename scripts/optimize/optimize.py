#!/usr/bin/python3
"""Graph rewriting half of `voxlet optimize` (the JS half verifies and writes configs).

  optimize.py inspect MODEL                      -> JSON: inputs, outputs, ops
  optimize.py convert MODEL --to MODE -o OUT     -> JSON: what was changed
      MODE: fp16 | int8 | int8-weights | pruned[:AMOUNT]

Errors go to stderr as `optimize: error [CODE]: message`, exit status 1.
Runs on Debian's /usr/bin/python3 with python3-onnx and python3-numpy.
"""
import argparse
import json
import sys

import onnx

from fp16 import convert_to_fp16
from graph_tools import GraphIndex
from model_io import OptimizeError, load_model, save_model
from prune import prune
from quantize import quantize_dynamic, quantize_weights_only

MODES = ("fp16", "int8", "int8-weights", "pruned")
DEFAULT_PRUNE_AMOUNT = 0.3
ELEMENT_TYPES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.FLOAT16: "float16",
                 onnx.TensorProto.INT64: "int64", onnx.TensorProto.INT32: "int32"}


def parse_mode(text):
    name, _, amount_text = text.partition(":")
    if name not in MODES or (amount_text and name != "pruned"):
        raise OptimizeError("INVALID_ARGUMENT", f'unsupported --to "{text}"; expected one of: fp16, int8, int8-weights, pruned[:AMOUNT]')
    if name != "pruned":
        return name, None
    try:
        amount = float(amount_text) if amount_text else DEFAULT_PRUNE_AMOUNT
    except ValueError:
        amount = -1.0
    if not 0.0 < amount < 1.0:
        raise OptimizeError("INVALID_ARGUMENT", f'pruning amount "{amount_text}" must be a number between 0 and 1 (exclusive), e.g. pruned:0.3')
    return name, amount


def convert(model, mode, amount):
    if mode == "fp16":
        return convert_to_fp16(model)
    if mode == "int8":
        return quantize_dynamic(model)
    if mode == "int8-weights":
        return quantize_weights_only(model)
    return prune(model, amount)


def describe_value(value, index_bounds):
    tensor = value.type.tensor_type
    shape = [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in tensor.shape.dim]
    described = {"name": value.name, "type": ELEMENT_TYPES.get(tensor.elem_type, str(tensor.elem_type)), "shape": shape}
    if value.name in index_bounds:
        described["index_bound"] = index_bounds[value.name]
    return described


def gather_index_bounds(model):
    """Graph inputs used as Gather indices into an initializer: valid ids are 0..rows-1."""
    index = GraphIndex(model.graph)
    bounds = {}
    for node in model.graph.node:
        if node.op_type == "Gather" and node.input[0] in index.initializers and node_axis(node) == 0:
            rows = index.initializers[node.input[0]].dims[0]
            bounds[node.input[1]] = min(bounds.get(node.input[1], rows), rows)
    return bounds


def node_axis(node):
    return next((a.i for a in node.attribute if a.name == "axis"), 0)


def inspect(model):
    bounds = gather_index_bounds(model)
    initializer_names = {t.name for t in model.graph.initializer}
    return {
        "inputs": [describe_value(v, bounds) for v in model.graph.input if v.name not in initializer_names],
        "outputs": [describe_value(v, {}) for v in model.graph.output],
        "ops": sorted({n.op_type for n in model.graph.node}),
        "nodes": len(model.graph.node),
    }


def main(argv):
    parser = argparse.ArgumentParser(prog="optimize.py")
    parser.add_argument("command", choices=("inspect", "convert"))
    parser.add_argument("model")
    parser.add_argument("--to")
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    if args.command == "inspect":
        report = inspect(model)
    else:
        if not args.to or not args.output:
            raise OptimizeError("INVALID_ARGUMENT", "convert needs --to MODE and -o OUT")
        mode, amount = parse_mode(args.to)
        report = convert(model, mode, amount)
        save_model(model, args.output)
        report["mode"] = mode
    print(json.dumps(report))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except OptimizeError as error:
        print(f"optimize: error [{error.code}]: {error}", file=sys.stderr)
        sys.exit(1)
