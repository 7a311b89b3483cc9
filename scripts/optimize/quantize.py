"""int8 quantization of weights: dynamic (integer kernels) and weight-only (QDQ).

Weights are quantized symmetrically per output channel (zero point 0), which
keeps the zero point a scalar as MatMulInteger/ConvInteger require and moves the
per-channel scale into one float multiply after the integer product.
"""
import numpy as np
from onnx import TensorProto, helper

from graph_tools import GraphIndex, node_attribute, replace_nodes

# Below this many elements a tensor is a bias or a scale, not worth quantizing.
MIN_WEIGHT_ELEMENTS = 256


def symmetric_int8(weights, axis):
    """int8 values and per-slice scales along `axis` (scale 1 for all-zero slices)."""
    reduce_axes = tuple(a for a in range(weights.ndim) if a != axis)
    max_abs = np.max(np.abs(weights), axis=reduce_axes, keepdims=True)
    scale = np.where(max_abs > 0, max_abs / 127.0, 1.0).astype(np.float32)
    quantized = np.clip(np.round(weights / scale), -127, 127).astype(np.int8)
    return quantized, scale.reshape(-1)


# ---- dynamic quantization: DynamicQuantizeLinear + MatMulInteger/ConvInteger ----

def quantize_dynamic(model):
    graph = model.graph
    index = GraphIndex(graph)
    new_nodes, counts = [], {"MatMul": 0, "Gemm": 0, "Conv": 0}
    for node in graph.node:
        replacement = dynamic_replacement(node, index)
        if replacement is None:
            new_nodes.append(node)
        else:
            new_nodes.extend(replacement)
            counts[node.op_type] += 1
    replace_nodes(graph, new_nodes)
    index.remove_unused_initializers()
    return {"quantized_nodes": counts}


def dynamic_replacement(node, index):
    if node.op_type == "MatMul":
        return dynamic_matmul(node, index)
    if node.op_type == "Gemm":
        return dynamic_gemm(node, index)
    if node.op_type == "Conv":
        return dynamic_conv(node, index)
    return None


def dynamic_matmul(node, index, weight=None, output=None):
    weights = index.float_initializer(node.input[1]) if weight is None else weight
    if weights is None or weights.ndim != 2 or weights.size < MIN_WEIGHT_ELEMENTS:
        return None
    quantized, scale = symmetric_int8(weights, axis=1)  # one scale per output column
    nodes, x_q, x_scale, x_zero = quantize_activation(node.input[0], index)
    w_q = index.add_initializer(node.input[1] + "_int8", quantized)
    w_zero = index.add_initializer(node.input[1] + "_zero", np.int8(0))
    int32_out = index.fresh_name(node.output[0] + "_int32")
    nodes.append(helper.make_node("MatMulInteger", [x_q, w_q, x_zero, w_zero], [int32_out]))
    nodes += rescale(int32_out, x_scale, scale, output or node.output[0], index, channel_shape=None)
    return nodes


def dynamic_gemm(node, index):
    """Gemm = alpha * A' B' + beta * C; handled when A is not transposed and B is a weight."""
    if node_attribute(node, "transA", 0):
        return None
    weights = index.float_initializer(node.input[1])
    if weights is None:
        return None
    if node_attribute(node, "transB", 0):
        weights = weights.T
    weights = weights * node_attribute(node, "alpha", 1.0)
    has_bias = len(node.input) > 2 and node.input[2]
    product = index.fresh_name(node.output[0] + "_product") if has_bias else node.output[0]
    nodes = dynamic_matmul(node, index, weight=weights, output=product)
    if nodes is None or not has_bias:
        return nodes
    bias = node.input[2]
    beta = node_attribute(node, "beta", 1.0)
    if beta != 1.0:
        bias_values = index.float_initializer(bias)
        if bias_values is None:
            return None
        bias = index.add_initializer(bias + "_beta", (bias_values * beta).astype(np.float32))
    nodes.append(helper.make_node("Add", [product, bias], [node.output[0]]))
    return nodes


def dynamic_conv(node, index):
    weights = index.float_initializer(node.input[1])
    if weights is None or weights.size < MIN_WEIGHT_ELEMENTS:
        return None
    quantized, scale = symmetric_int8(weights, axis=0)  # one scale per output channel
    # ORT's ConvInteger kernel takes uint8 weights only: shift int8 by 128 and
    # declare zero point 128, which is the same symmetric quantization.
    shifted = (quantized.astype(np.int16) + 128).astype(np.uint8)
    nodes, x_q, x_scale, x_zero = quantize_activation(node.input[0], index)
    w_q = index.add_initializer(node.input[1] + "_uint8", shifted)
    w_zero = index.add_initializer(node.input[1] + "_zero", np.uint8(128))
    int32_out = index.fresh_name(node.output[0] + "_int32")
    attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    nodes.append(helper.make_node("ConvInteger", [x_q, w_q, x_zero, w_zero], [int32_out], **attributes))
    has_bias = len(node.input) > 2 and node.input[2]
    scaled = index.fresh_name(node.output[0] + "_scaled") if has_bias else node.output[0]
    channel_shape = [1, -1] + [1] * (weights.ndim - 2)
    nodes += rescale(int32_out, x_scale, scale, scaled, index, channel_shape)
    if has_bias:
        bias = index.float_initializer(node.input[2])
        if bias is None:
            return None
        bias_name = index.add_initializer(node.input[2] + "_channels", bias.reshape(channel_shape[1:]))
        nodes.append(helper.make_node("Add", [scaled, bias_name], [node.output[0]]))
    return nodes


def quantize_activation(name, index):
    x_q, x_scale, x_zero = (index.fresh_name(name + s) for s in ("_quant", "_scale", "_zero"))
    return [helper.make_node("DynamicQuantizeLinear", [name], [x_q, x_scale, x_zero])], x_q, x_scale, x_zero


def rescale(int32_name, x_scale, weight_scale, output, index, channel_shape):
    """float(int32 product) * (x_scale * weight_scale), the order ORT fuses into one kernel."""
    shape = [-1] if channel_shape is None else channel_shape[1:]
    w_scale = index.add_initializer("weight_scale", weight_scale.reshape(shape).astype(np.float32))
    combined = index.fresh_name(output + "_scale")
    as_float = index.fresh_name(output + "_float")
    return [
        helper.make_node("Mul", [x_scale, w_scale], [combined]),
        helper.make_node("Cast", [int32_name], [as_float], to=TensorProto.FLOAT),
        helper.make_node("Mul", [as_float, combined], [output]),
    ]


# ---- weight-only: int8 initializers behind DequantizeLinear, float compute ----

# Which axis of each op's weight holds its output channels (per-channel scales).
WEIGHT_AXES = {"MatMul": (1, 1), "Conv": (1, 0), "ConvTranspose": (1, 1), "Gather": (0, 0)}


def quantize_weights_only(model):
    graph = model.graph
    index = GraphIndex(graph)
    new_nodes, quantized = [], {}
    for node in graph.node:
        target = weight_slot(node, index)
        if target is not None:
            position, axis = target
            name = node.input[position]
            if name not in quantized:
                quantized[name] = (dequantize_node(name, axis, index), node.op_type)
                new_nodes.append(quantized[name][0])
            node.input[position] = quantized[name][0].output[0]
        new_nodes.append(node)
    replace_nodes(graph, new_nodes)
    index.remove_unused_initializers()
    counts = {}
    for _, op in quantized.values():
        counts[op] = counts.get(op, 0) + 1
    return {"quantized_weights": counts}


def weight_slot(node, index):
    if node.op_type == "Gemm":
        position, axis = 1, (0 if node_attribute(node, "transB", 0) else 1)
    elif node.op_type in WEIGHT_AXES:
        position, axis = WEIGHT_AXES[node.op_type]
    else:
        return None
    if len(node.input) <= position:
        return None
    weights = index.float_initializer(node.input[position])
    if weights is None or weights.size < MIN_WEIGHT_ELEMENTS or weights.ndim < 2:
        return None
    return position, axis


def dequantize_node(name, axis, index):
    quantized, scale = symmetric_int8(index.float_initializer(name), axis)
    q_name = index.add_initializer(name + "_int8", quantized)
    scale_name = index.add_initializer(name + "_scale", scale)
    zero_name = index.add_initializer(name + "_zero", np.zeros(scale.shape, np.int8))
    output = index.fresh_name(name + "_dequantized")
    return helper.make_node("DequantizeLinear", [q_name, scale_name, zero_name], [output], axis=axis)
