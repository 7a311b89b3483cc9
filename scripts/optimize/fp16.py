"""fp32 -> fp16: weights and compute in float16, graph inputs/outputs stay float32.

Every float32 tensor becomes float16 except around the ops in KEEP_FP32, which
get Cast nodes on their float inputs and outputs. Graph inputs and outputs keep
their float32 type through Cast nodes at the boundary, so callers need not
change. See docs/optimizer.md for why each op is on the list.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from graph_tools import GraphIndex, node_attribute, replace_nodes, tensor_types

FLOAT, FLOAT16 = TensorProto.FLOAT, TensorProto.FLOAT16

KEEP_FP32 = frozenset({
    # Normalizations: mean/variance over many elements lose precision in fp16.
    "LayerNormalization", "InstanceNormalization", "BatchNormalization", "GroupNormalization",
    "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL2", "ReduceLogSumExp",
    # exp/softmax overflow past 65504 (fp16's largest value) or underflow to 0.
    "Softmax", "LogSoftmax", "Exp", "Pow",
    # Durations: Piper sums frame counts and builds alignment indices from them;
    # fp16 is exact for integers only up to 2048, so these must stay float32.
    "CumSum", "Range", "Ceil", "Floor", "Round",
    # Random noise (VITS) and resizing: float32-only inputs/attributes by spec or kernel.
    "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Resize", "Upsample",
})

# Running sums grow without bound (a harmonic synthesizer's phase in cycles reaches
# thousands in a sentence): fp16 keeps no fraction above 1024, so everything computed
# from a CumSum through these elementwise/layout ops stays float32 too ...
FOLLOW_ACCUMULATION = frozenset({
    "Add", "Sub", "Mul", "Div", "Mod", "Neg", "Abs", "Floor", "Ceil", "Round", "Pad", "Reshape",
    "Unsqueeze", "Squeeze", "Flatten", "Transpose", "Slice", "Gather", "Concat", "Identity",
    "Expand", "Tile",
})
# ... up to and including the first bounded op, whose output is safe in fp16.
BOUNDED_OPS = frozenset({"Sin", "Cos", "Tanh", "Sigmoid"})
ACCUMULATORS = frozenset({"CumSum"})

# Ops whose float32 output type is set by an attribute and must follow the conversion.
DTYPE_ATTRIBUTES = {"Cast": "to", "EyeLike": "dtype"}


def convert_to_fp16(model, keep_fp32=KEEP_FP32):
    types = tensor_types(model)
    graph = model.graph
    index = GraphIndex(graph)
    kept_nodes = [n for n in graph.node if n.op_type in keep_fp32]
    kept_nodes += downstream_of_accumulators(index, kept_nodes, types)
    fp32_only_initializers = initializers_used_only_by(index, kept_nodes)
    convert_initializers(graph, fp32_only_initializers)
    convert_constant_attributes(graph, keep_fp32)
    # Kept nodes first, then the boundary: each step sees the Casts added before it,
    # so a graph output produced by a kept node still ends in one float32 Cast.
    kept_ids = {id(n) for n in kept_nodes}
    for node in kept_nodes:
        graph.node.extend(cast_around_kept_node(node, index, types, fp32_only_initializers, kept_ids))
    graph.node.extend(cast_graph_inputs(graph, index, types))
    graph.node.extend(cast_graph_outputs(graph, index, types))
    replace_nodes(graph, list(graph.node))
    return {"kept_fp32_nodes": sorted({n.op_type for n in kept_nodes}),
            "converted_initializers": sum(t.data_type == FLOAT16 for t in graph.initializer)}


def downstream_of_accumulators(index, kept_nodes, types):
    """Nodes fed (through FOLLOW_ACCUMULATION ops) by a kept accumulator's float output,
    up to and including the first BOUNDED_OPS node on each path."""
    kept_ids = {id(n) for n in kept_nodes}
    added = []
    frontier = [n for n in kept_nodes if n.op_type in ACCUMULATORS]
    while frontier:
        node = frontier.pop()
        for name in node.output:
            if types.get(name) != FLOAT:
                continue
            for consumer in index.consumers(name):
                if id(consumer) in kept_ids:
                    continue
                if consumer.op_type in FOLLOW_ACCUMULATION:
                    frontier.append(consumer)
                elif consumer.op_type not in BOUNDED_OPS:
                    continue
                kept_ids.add(id(consumer))
                added.append(consumer)
    return added


def initializers_used_only_by(index, kept_nodes):
    kept_ids = {id(n) for n in kept_nodes}
    names = set()
    for name in index.initializers:
        consumers = index.consumers(name)
        if consumers and all(id(c) in kept_ids for c in consumers):
            names.add(name)
    return names


def convert_initializers(graph, keep_names):
    for i, tensor in enumerate(graph.initializer):
        if tensor.data_type == FLOAT and tensor.name not in keep_names:
            graph.initializer[i].CopyFrom(numpy_helper.from_array(to_fp16(numpy_helper.to_array(tensor)), tensor.name))


def to_fp16(array):
    # Clip instead of letting large weights become inf; tiny ones flush to 0 as fp16 must.
    limit = np.finfo(np.float16).max
    return np.clip(array, -limit, limit).astype(np.float16)


def convert_constant_attributes(graph, keep_fp32):
    for node in graph.node:
        if node.op_type in keep_fp32:
            continue
        if node.op_type in DTYPE_ATTRIBUTES:
            for attribute in node.attribute:
                if attribute.name == DTYPE_ATTRIBUTES[node.op_type] and attribute.i == FLOAT:
                    attribute.i = FLOAT16
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.TENSOR and attribute.t.data_type == FLOAT:
                attribute.t.CopyFrom(numpy_helper.from_array(to_fp16(numpy_helper.to_array(attribute.t)), attribute.t.name))


def cast_graph_inputs(graph, index, types):
    casts = []
    for value in graph.input:
        if value.name in index.initializers or types.get(value.name) != FLOAT:
            continue
        fp16_name = index.fresh_name(value.name + "_fp16")
        for consumer in index.consumers(value.name):
            rename_input(consumer, value.name, fp16_name)
        casts.append(helper.make_node("Cast", [value.name], [fp16_name], to=FLOAT16))
    return casts


def cast_graph_outputs(graph, index, types):
    casts = []
    for value in graph.output:
        if types.get(value.name) != FLOAT or value.name in index.graph_inputs:
            continue
        fp16_name = index.fresh_name(value.name + "_fp16")
        producer = index.producer(value.name)
        for consumer in index.consumers(value.name):
            rename_input(consumer, value.name, fp16_name)
        if producer is not None:
            producer.output[list(producer.output).index(value.name)] = fp16_name
        casts.append(helper.make_node("Cast", [fp16_name], [value.name], to=FLOAT))
    return casts


def cast_around_kept_node(node, index, types, fp32_initializers, kept_ids=frozenset()):
    """Feed a kept node float32 inputs and give its other consumers float16 outputs.

    Between two kept nodes the tensor stays float32 (no fp16 round trip)."""
    casts = []
    for position, name in enumerate(node.input):
        if not name or types.get(name) != FLOAT or name in fp32_initializers:
            continue
        producer = index.producer(name)
        if producer is not None and id(producer) in kept_ids:
            continue  # the producer hands this node its float32 tensor (renamed below)
        fp32_name = index.fresh_name(name + "_fp32")
        casts.append(helper.make_node("Cast", [name], [fp32_name], to=FLOAT))
        node.input[position] = fp32_name
    for position, name in enumerate(node.output):
        if not name or types.get(name) != FLOAT:
            continue
        fp32_name = index.fresh_name(name + "_fp32")
        consumers = index.consumers(name)
        node.output[position] = fp32_name
        for consumer in consumers:
            if id(consumer) in kept_ids:
                rename_input(consumer, name, fp32_name)
        if any(id(c) not in kept_ids for c in consumers) or name in index.graph_outputs:
            casts.append(helper.make_node("Cast", [fp32_name], [name], to=FLOAT16))
    return casts


def rename_input(node, old, new):
    for position, name in enumerate(node.input):
        if name == old:
            node.input[position] = new
