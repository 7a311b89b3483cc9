#!/usr/bin/python3
"""A generated model with Piper's exact interface, for optimizer tests and benchmarks.

  make_test_voice.py OUT.onnx [--channels 192] [--blocks 3] [--symbols 256] [--seed 1]

Inputs `input` int64 [1,N], `input_lengths` int64 [1], `scales` float32 [3];
outputs `output` float32 [1,1,N*256] audio and `durations` float32 [1,N].
Embedding (Gather) -> blocks of Conv1d(k5) -> Relu -> Conv1d(k1) + residual ->
LayerNorm -> MatMul+bias -> Relu -> MatMul to 256 samples per id -> Tanh.
Seeded random weights: not speech, but every output sample depends on the
weights, so precision changes show up as real SNR numbers.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SAMPLES_PER_ID = 256


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.initializers = [], []

    def weight(self, name, shape, fan_in):
        values = self.rng.standard_normal(shape) / np.sqrt(fan_in)
        return self.constant(name, values.astype(np.float32))

    def constant(self, name, values):
        self.initializers.append(numpy_helper.from_array(np.asarray(values), name))
        return name

    def node(self, op, inputs, output, **attributes):
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output


def conv_block(b, x_nc, channels, i):
    """[1,N,C] -> [1,N,C]: two convolutions with a residual and a LayerNorm."""
    x_cn = b.node("Transpose", [x_nc], f"block{i}_in_cn", perm=[0, 2, 1])
    h = b.node("Conv", [x_cn, b.weight(f"block{i}_conv1_w", (channels, channels, 5), channels * 5),
                        b.constant(f"block{i}_conv1_b", np.zeros(channels, np.float32))], f"block{i}_conv1", pads=[2, 2])
    h = b.node("Relu", [h], f"block{i}_relu")
    h = b.node("Conv", [h, b.weight(f"block{i}_conv2_w", (channels, channels, 1), channels)], f"block{i}_conv2")
    h = b.node("Add", [x_cn, h], f"block{i}_residual")
    h_nc = b.node("Transpose", [h], f"block{i}_out_nc", perm=[0, 2, 1])
    gamma = b.constant(f"block{i}_ln_gamma", np.ones(channels, np.float32))
    beta = b.constant(f"block{i}_ln_beta", np.zeros(channels, np.float32))
    return b.node("LayerNormalization", [h_nc, gamma, beta], f"block{i}_norm", axis=-1)


def build(channels, blocks, symbols, seed):
    b = Builder(seed)
    x = b.node("Gather", [b.weight("embedding", (symbols, channels), 1), "input"], "embedded")
    for i in range(blocks):
        x = conv_block(b, x, channels, i)
    length_scale = b.node("Gather", ["scales", b.constant("length_scale_index", np.array(1, np.int64))], "length_scale")
    d = b.node("MatMul", [x, b.weight("duration_w", (channels, 1), channels)], "duration_logits")
    d = b.node("Softplus", [d], "duration_frames")
    d = b.node("Mul", [d, length_scale], "duration_scaled")
    b.node("Squeeze", [d, b.constant("last_axis", np.array([-1], np.int64))], "durations")
    h = b.node("MatMul", [x, b.weight("decoder_w1", (channels, channels), channels)], "decoder_h")
    h = b.node("Add", [h, b.constant("decoder_b1", np.zeros(channels, np.float32))], "decoder_hb")
    h = b.node("Relu", [h], "decoder_relu")
    h = b.node("MatMul", [h, b.weight("decoder_w2", (channels, SAMPLES_PER_ID), channels)], "decoder_frames")
    h = b.node("Tanh", [h], "decoder_audio")
    b.node("Reshape", [h, b.constant("audio_shape", np.array([1, 1, -1], np.int64))], "output")
    graph = helper.make_graph(
        b.nodes, "voxlet_piper_interface_test_voice",
        [helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
         helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
         helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"]),
         helper.make_tensor_value_info("durations", TensorProto.FLOAT, [1, "phonemes"])],
        initializer=b.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="voxlet-make-test-voice")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--channels", type=int, default=192)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--symbols", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    onnx.save(build(args.channels, args.blocks, args.symbols, args.seed), args.output)


if __name__ == "__main__":
    main()
