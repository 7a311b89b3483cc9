#!/usr/bin/python3
"""ONNX models with Kokoro v1.0's exact interface, random weights (issue 15, item 7).

No Kokoro weights can be downloaded here, so tests and benchmarks run on stand-ins
built by hand with onnx.helper (Debian's python3-onnx + python3-numpy):

  inputs   input_ids | tokens   int64   [1, N]   (0-padded at both ends)
           style                float32 [1, 256]
           speed                float32 [1]
  outputs  waveform | audio     float32 [T]      (24 kHz)
           durations (optional) int64   [N]      frames per id; T = sum(durations) * 600

Durations depend on the ids, the style and the speed (duration ~ 1 / speed), so audio
length is proportional to the ids and inversely to the speed, as in Kokoro; the audio
is noise. The graph: ids -> embedding + style projection -> tanh -> per-id duration ->
frames (each id repeated for its duration) -> per-frame projection to 600 samples.

  /usr/bin/python3 scripts/kokoro/make-test-model.py OUT.onnx [--text-input tokens]
      [--audio-name audio] [--no-durations] [--size tiny|real] [--seed N]

--size real has Kokoro-82M's size, not its architecture: vocab 178, a 768-wide ALBERT-style
layer (attention + 2048 FFN) shared over 12 passes on the ids like Kokoro's PL-BERT, then a
1024-wide, 71-layer decoder on the frames: 81.7 M parameters, 327 MB, about 12 GFLOP per second
of audio. It is for benchmarks (build/kokoro/real.onnx), never committed. The tiny one (69 KB,
17 k parameters) is made by the tests.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

VOCAB = 178
STYLE = 256
SAMPLES_PER_FRAME = 600  # Kokoro: 24 kHz, 80 frames/s after its 2x upsampling (hop 300)


def build(text_input, audio_name, durations, size, seed):
    rng = np.random.default_rng(seed)
    if size == 'tiny':
        hidden, layers, ffn, decoder_width, decoder_layers = 16, 0, 0, 16, 0
    else:
        # ~82 M parameters like Kokoro-82M (not its architecture): a shared 768-wide encoder
        # layer run 12 times over the ids, and a 1024-wide 71-layer decoder over the frames.
        hidden, layers, ffn, decoder_width, decoder_layers = 768, 12, 2048, 1024, 71
    inits = []
    nodes = []

    def weight(name, shape, scale=None):
        scale = scale if scale is not None else 1.0 / np.sqrt(shape[0])
        inits.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op, inputs, outputs, **attrs):
        nodes.append(helper.make_node(op, inputs, outputs, **attrs))
        return outputs[0]

    ids = text_input
    flat_ids = node('Squeeze', [ids, const('axis0', np.array([0], np.int64))], ['flat_ids'])
    emb = node('Gather', [weight('embedding', [VOCAB, hidden], 1.0), flat_ids], ['emb'])  # [N, H]
    style_h = node('MatMul', ['style', weight('style_proj', [STYLE, hidden])], ['style_h'])  # [1, H]
    h = node('Tanh', [node('Add', [emb, style_h], ['emb_style'])], ['h0'])
    # ALBERT-style encoder: one layer's weights applied `layers` times (real size only).
    if layers:
        wq, wk, wv, wo = (weight(f'attn_{k}', [hidden, hidden]) for k in 'qkvo')
        w1, w2 = weight('ffn_1', [hidden, ffn]), weight('ffn_2', [ffn, hidden])
        scale = const('attn_scale', np.array(1.0 / np.sqrt(hidden), np.float32))
        for i in range(layers):
            q = node('MatMul', [h, wq], [f'q{i}'])
            k = node('MatMul', [h, wk], [f'k{i}'])
            v = node('MatMul', [h, wv], [f'v{i}'])
            kt = node('Transpose', [k], [f'kt{i}'], perm=[1, 0])
            att = node('Softmax', [node('Mul', [node('MatMul', [q, kt], [f'qk{i}']), scale], [f'qks{i}'])], [f'att{i}'], axis=-1)
            ctx = node('MatMul', [node('MatMul', [att, v], [f'ctx{i}']), wo], [f'ao{i}'])
            h1 = node('Add', [h, ctx], [f'h1_{i}'])
            f = node('MatMul', [node('Relu', [node('MatMul', [h1, w1], [f'f1_{i}'])], [f'fr{i}']), w2], [f'f2_{i}'])
            h = node('Tanh', [node('Add', [h1, f], [f'h2_{i}'])], [f'h{i + 1}'])
    # Per-id duration in frames: 2..4 at speed 1, divided by the speed, at least 1.
    raw = node('Sigmoid', [node('MatMul', [h, weight('dur_proj', [hidden, 1])], ['dur_logit'])], ['dur_sig'])
    frames_f = node('Add', [node('Mul', [raw, const('two', np.array(2.0, np.float32))], ['dur_2x']), const('two_b', np.array(2.0, np.float32))], ['dur_base'])
    scaled = node('Div', [frames_f, 'speed'], ['dur_scaled'])
    rounded = node('Max', [node('Round', [scaled], ['dur_round']), const('one_f', np.array(1.0, np.float32))], ['dur_min1'])
    dur = node('Cast', [node('Reshape', [rounded, const('shape_flat', np.array([-1], np.int64))], ['dur_flat'])], ['durations_int'], to=TensorProto.INT64)
    # Frames: id i repeated durations[i] times (token index of frame f = #{i: cumsum[i] <= f}).
    ends = node('CumSum', [dur, const('axis0_scalar', np.array(0, np.int64))], ['dur_ends'])
    total = node('ReduceSum', [dur], ['dur_total'], keepdims=0)
    frame_index = node('Range', [const('zero_i', np.array(0, np.int64)), total, const('one_i', np.array(1, np.int64))], ['frame_index'])
    le = node('LessOrEqual', [node('Unsqueeze', [ends, const('axis0b', np.array([0], np.int64))], ['ends_row']),
                              node('Unsqueeze', [frame_index, const('axis1', np.array([1], np.int64))], ['frame_col'])], ['ended'])
    token = node('ReduceSum', [node('Cast', [le], ['ended_i'], to=TensorProto.INT64), const('axis1b', np.array([1], np.int64))], ['token_of_frame'], keepdims=0)
    x = node('Gather', [h, token], ['frame_h'])  # [F, H]
    x = node('Tanh', [node('MatMul', [x, weight('dec_in', [hidden, decoder_width])], ['dec_x'])], ['dec_h0'])
    for i in range(decoder_layers):
        x = node('Tanh', [node('Add', [x, node('MatMul', [x, weight(f'dec_{i}', [decoder_width, decoder_width])], [f'dec_m{i}'])], [f'dec_a{i}'])], [f'dec_h{i + 1}'])
    samples = node('Tanh', [node('MatMul', [x, weight('dec_out', [decoder_width, SAMPLES_PER_FRAME])], ['dec_out_m'])], ['dec_wave'])
    wave = node('Mul', [samples, const('gain', np.array(0.1, np.float32))], ['wave_scaled'])
    node('Reshape', [wave, const('shape_flat2', np.array([-1], np.int64))], [audio_name])
    outputs = [helper.make_tensor_value_info(audio_name, TensorProto.FLOAT, ['num_samples'])]
    if durations:
        node('Identity', [dur], ['durations'])
        outputs.append(helper.make_tensor_value_info('durations', TensorProto.INT64, ['sequence_length']))
    graph = helper.make_graph(
        nodes,
        'kokoro-interface-test-model',
        [
            helper.make_tensor_value_info(text_input, TensorProto.INT64, [1, 'sequence_length']),
            helper.make_tensor_value_info('style', TensorProto.FLOAT, [1, STYLE]),
            helper.make_tensor_value_info('speed', TensorProto.FLOAT, [1]),
        ],
        outputs,
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='voxlet scripts/kokoro/make-test-model.py')
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out')
    parser.add_argument('--text-input', default='input_ids', help='input_ids (onnx-community) or tokens (kokoro-onnx); anything else makes a mismatched model')
    parser.add_argument('--audio-name', default='waveform', help='waveform (onnx-community) or audio (kokoro-onnx)')
    parser.add_argument('--no-durations', action='store_true', help='no durations output (the non-timestamped exports)')
    parser.add_argument('--size', choices=['tiny', 'real'], default='tiny')
    parser.add_argument('--seed', type=int, default=15)
    args = parser.parse_args()
    model = build(args.text_input, args.audio_name, not args.no_durations, args.size, args.seed)
    onnx.save(model, args.out)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print(f'{args.out}: {params:,} parameters, inputs [{args.text_input}, style, speed], outputs [{args.audio_name}{", durations" if not args.no_durations else ""}]')


if __name__ == '__main__':
    main()
