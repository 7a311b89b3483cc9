#!/usr/bin/python3
"""Turns scripts/optimize/make_test_voice.py's model into a stock Piper export.

  piper_interface.py IN.onnx OUT.onnx [--keep-durations] [--metadata KEY=VALUE ...]

Piper's exported voices have no `durations` output and return audio as
`output` float32 [1, 1, 1, samples]; inputs stay `input` int64 [1, N],
`input_lengths` int64 [1], `scales` float32 [3] (and `sid` int64 [1] when the
input model has it). Deterministic.

--keep-durations keeps the per-id `durations` output (exports patched for
word timings have one); --metadata adds ONNX metadata_props, as sherpa-onnx's
conversion of Piper voices does (model_type=vits comment=piper voice=en-us ...).
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def to_piper(model, keep_durations=False):
    graph = model.graph
    kept = [value for value in graph.output if keep_durations or value.name != "durations"]
    del graph.output[:]
    graph.output.extend(kept)
    for node in graph.node:
        for i, name in enumerate(node.output):
            if name == "output":
                node.output[i] = "audio_3d"
    graph.initializer.append(numpy_helper.from_array(np.array([2], np.int64), "piper_axis"))
    graph.node.append(helper.make_node("Unsqueeze", ["audio_3d", "piper_axis"], ["output"]))
    output = next(value for value in graph.output if value.name == "output")
    output.CopyFrom(helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, 1, "samples"]))
    return onnx.shape_inference.infer_shapes(model)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--keep-durations", action="store_true")
    parser.add_argument("--metadata", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    model = to_piper(onnx.load(args.input), args.keep_durations)
    for item in args.metadata:
        key, _, value = item.partition("=")
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    onnx.save(model, args.output)


if __name__ == "__main__":
    main()
