"""Magnitude pruning: structured where it removes compute, unstructured elsewhere.

Structured: in a chain Conv -> elementwise activations -> Conv (or MatMul [-> Add
bias] -> activations -> MatMul) whose middle tensors feed nothing else, the
output channels of the first layer with the smallest L2 norm are deleted
together with the matching input channels of the second: both layers become
smaller, so inference does less work. Every other weight is pruned
unstructured (smallest |w| set to 0): same compute, it only helps compression.
"""
import numpy as np

from graph_tools import GraphIndex, node_attribute

PRUNABLE_OPS = {"MatMul", "Gemm", "Conv", "ConvTranspose"}
ELEMENTWISE = {"Relu", "LeakyRelu", "Tanh", "Sigmoid", "Elu", "Selu", "Softplus", "Gelu", "HardSigmoid", "Mish"}
MIN_WEIGHT_ELEMENTS = 256


def prune(model, amount):
    index = GraphIndex(model.graph)
    structured = prune_structured(index, amount)
    done = {name for pair in structured for name in pair}
    unstructured = prune_unstructured(index, amount, skip=done)
    return {"structured_pairs": len(structured), "unstructured_weights": unstructured, "amount": amount}


def prune_unstructured(index, amount, skip):
    count = 0
    for node in list(index.graph.node):
        if node.op_type not in PRUNABLE_OPS or len(node.input) < 2 or node.input[1] in skip:
            continue
        weights = index.float_initializer(node.input[1])
        if weights is None or weights.size < MIN_WEIGHT_ELEMENTS or len(index.consumers(node.input[1])) != 1:
            continue
        threshold = np.quantile(np.abs(weights), amount)
        index.replace_initializer(node.input[1], np.where(np.abs(weights) <= threshold, 0, weights).astype(np.float32))
        skip = skip | {node.input[1]}
        count += 1
    return count


def prune_structured(index, amount):
    pairs = []
    for first in list(index.graph.node):
        chain = channel_chain(first, index)
        if chain is None:
            continue
        second, bias_name = chain
        if remove_channels(first, second, bias_name, index, amount):
            pairs.append((first.input[1], second.input[1]))
    return pairs


def channel_chain(first, index):
    """(second layer, bias initializer or None) when `first`'s channels can be removed."""
    if first.op_type not in ("Conv", "MatMul") or not is_plain_weight(first, index):
        return None
    tensor, bias_name = first.output[0], None
    while True:
        consumers = index.consumers(tensor)
        if len(consumers) != 1 or tensor in index.graph_outputs:
            return None
        node = consumers[0]
        if first.op_type == "MatMul" and node.op_type == "Add" and bias_name is None and node.input[0] == tensor:
            bias = index.float_initializer(node.input[1])
            if bias is None or bias.ndim != 1:
                return None
            bias_name, tensor = node.input[1], node.output[0]
        elif node.op_type in ELEMENTWISE:
            tensor = node.output[0]
        elif node.op_type == first.op_type and node.input[0] == tensor and is_plain_weight(node, index):
            return node, bias_name
        else:
            return None


def is_plain_weight(node, index):
    weights = index.float_initializer(node.input[1]) if len(node.input) > 1 else None
    if weights is None or len(index.consumers(node.input[1])) != 1:
        return False
    if node.op_type == "Conv":
        return node_attribute(node, "group", 1) == 1 and weights.ndim >= 3
    return weights.ndim == 2


def remove_channels(first, second, bias_name, index, amount):
    w1, w2 = index.float_initializer(first.input[1]), index.float_initializer(second.input[1])
    out_axis = 0 if first.op_type == "Conv" else 1  # Conv W[M,C,k]; MatMul B[K,N]
    in_axis = 1 if first.op_type == "Conv" else 0
    channels = w1.shape[out_axis]
    remove = int(round(channels * amount))
    if remove < 1 or remove >= channels or w2.shape[in_axis] != channels:
        return False
    norms = np.sqrt(np.sum(np.moveaxis(w1, out_axis, 0).reshape(channels, -1) ** 2, axis=1))
    keep = np.sort(np.argsort(norms)[remove:])
    index.replace_initializer(first.input[1], np.take(w1, keep, axis=out_axis))
    index.replace_initializer(second.input[1], np.take(w2, keep, axis=in_axis))
    first_bias = first.input[2] if first.op_type == "Conv" and len(first.input) > 2 and first.input[2] else bias_name
    if first_bias:
        index.replace_initializer(first_bias, index.float_initializer(first_bias)[keep])
    return True
