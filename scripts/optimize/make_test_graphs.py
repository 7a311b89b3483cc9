#!/usr/bin/python3
"""Small single-purpose ONNX graphs (MatMul, Gemm, Conv, LayerNorm, an oscillator's
running phase) for the optimizer tests.

  make_test_graphs.py OUT_DIR   writes matmul.onnx gemm.onnx conv.onnx layernorm.onnx phase.onnx
                                old_opset.onnx
Weights are seeded, so every run writes the same files.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization needs 17
rng = np.random.default_rng(7)


def weight(name, *shape, scale=0.1):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def model(name, nodes, inputs, outputs, initializers):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=initializers)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="voxlet-test")
    built.ir_version = 8
    onnx.checker.check_model(built)
    return built


def io(name, *shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def matmul_graph():
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["hb"]),
             helper.make_node("Relu", ["hb"], ["r"]), helper.make_node("MatMul", ["r", "w2"], ["y"])]
    return model("matmul", nodes, [io("x", "batch", 64)], [io("y", "batch", 32)],
                 [weight("w1", 64, 128), weight("b1", 128), weight("w2", 128, 32)])


def gemm_graph():
    nodes = [helper.make_node("Gemm", ["x", "w", "c"], ["y"], transB=1, alpha=0.5, beta=2.0)]
    return model("gemm", nodes, [io("x", 4, 96)], [io("y", 4, 48)], [weight("w", 48, 96), weight("c", 48)])


def conv_graph():
    nodes = [helper.make_node("Conv", ["x", "w1", "b1"], ["h"], pads=[2, 2]), helper.make_node("Relu", ["h"], ["r"]),
             helper.make_node("Conv", ["r", "w2", "b2"], ["y"], pads=[1, 1])]
    return model("conv", nodes, [io("x", 1, 16, "time")], [io("y", 1, 8, "time")],
                 [weight("w1", 32, 16, 5), weight("b1", 32), weight("w2", 8, 32, 3), weight("b2", 8)])


def layernorm_graph():
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"]),
             helper.make_node("LayerNormalization", ["h", "gamma", "beta"], ["n"], axis=-1),
             helper.make_node("Softmax", ["n"], ["y"], axis=-1)]
    gamma = numpy_helper.from_array((1 + 0.1 * rng.standard_normal(64)).astype(np.float32), "gamma")
    return model("layernorm", nodes, [io("x", 1, "time", 48)], [io("y", 1, "time", 64)], [weight("w", 48, 64), gamma, weight("beta", 64)])


def phase_graph():
    """A harmonic oscillator's running phase: y = sin(2 pi CumSum(increments)) + x.

    The increments (0.3-0.45 cycles per sample, 4096 samples) sum to ~1,500 cycles,
    where fp16 has no fractional bits left, so fp16.py must keep CumSum -> Mul -> Sin
    in float32 (the phase rule) and stop there: the Add after Sin runs in fp16."""
    increments = (0.3 + 0.15 * rng.random((1, 4096))).astype(np.float32)
    nodes = [helper.make_node("CumSum", ["increments", "axis"], ["cycles"]),
             helper.make_node("Mul", ["cycles", "two_pi"], ["radians"]),
             helper.make_node("Sin", ["radians"], ["wave"]),
             helper.make_node("Add", ["wave", "x"], ["y"])]
    return model("phase", nodes, [io("x", 1, 4096)], [io("y", 1, 4096)],
                 [numpy_helper.from_array(increments, "increments"),
                  numpy_helper.from_array(np.array(1, dtype=np.int64), "axis"),
                  numpy_helper.from_array(np.array(2 * np.pi, dtype=np.float32), "two_pi")])


def old_opset_graph():
    """Opset 11: valid ONNX the optimizer must refuse with UNSUPPORTED_MODEL."""
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"])]
    graph = helper.make_graph(nodes, "old", [io("x", 1, 32)], [io("y", 1, 32)], [weight("w", 32, 32)])
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    built.ir_version = 6
    return built


GRAPHS = {"matmul": matmul_graph, "gemm": gemm_graph, "conv": conv_graph, "layernorm": layernorm_graph,
          "phase": phase_graph, "old_opset": old_opset_graph}

if __name__ == "__main__":
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name, build in GRAPHS.items():
        onnx.save(build(), os.path.join(out_dir, f"{name}.onnx"))
