"""Small helpers over an onnx GraphProto: lookups, unique names, tensor types."""
import itertools

import numpy as np
import onnx
from onnx import numpy_helper


class GraphIndex:
    """Read-mostly view of a graph: initializers by name, consumers per tensor, fresh names."""

    def __init__(self, graph):
        self.graph = graph
        self.initializers = {t.name: t for t in graph.initializer}
        self.graph_inputs = {v.name for v in graph.input}
        self.graph_outputs = {v.name for v in graph.output}
        self._used_names = {t.name for t in graph.initializer} | {n.name for n in graph.node}
        for node in graph.node:
            self._used_names.update(node.input)
            self._used_names.update(node.output)
        self._counter = itertools.count()

    def consumers(self, tensor_name):
        return [n for n in self.graph.node if tensor_name in n.input]

    def producer(self, tensor_name):
        for node in self.graph.node:
            if tensor_name in node.output:
                return node
        return None

    def fresh_name(self, base):
        while True:
            name = f"{base}__vx{next(self._counter)}"
            if name not in self._used_names:
                self._used_names.add(name)
                return name

    def float_initializer(self, name):
        """The initializer as a float32 array, or None if it is not a float32 initializer."""
        tensor = self.initializers.get(name)
        if tensor is None or tensor.data_type != onnx.TensorProto.FLOAT:
            return None
        return numpy_helper.to_array(tensor)

    def replace_initializer(self, name, array, new_name=None):
        tensor = numpy_helper.from_array(array, new_name or name)
        if name in self.initializers:
            self.graph.initializer.remove(self.initializers.pop(name))
        self.graph.initializer.append(tensor)
        self.initializers[tensor.name] = tensor
        self._used_names.add(tensor.name)
        return tensor.name

    def add_initializer(self, base, array):
        name = self.fresh_name(base)
        return self.replace_initializer(name, np.asarray(array), name)

    def remove_unused_initializers(self):
        used = set(self.graph_outputs)
        for node in self.graph.node:
            used.update(node.input)
        for name in list(self.initializers):
            if name not in used:
                self.graph.initializer.remove(self.initializers.pop(name))


def node_attribute(node, name, default=None):
    for attribute in node.attribute:
        if attribute.name == name:
            return onnx.helper.get_attribute_value(attribute)
    return default


def tensor_types(model):
    """Element type of every named tensor that shape inference can type."""
    inferred = onnx.shape_inference.infer_shapes(model)
    graph = inferred.graph
    types = {}
    for value in itertools.chain(graph.input, graph.output, graph.value_info):
        if value.type.HasField("tensor_type"):
            types[value.name] = value.type.tensor_type.elem_type
    for tensor in graph.initializer:
        types[tensor.name] = tensor.data_type
    return types


def topologically_sorted(nodes, available):
    """Nodes in an order where each runs after its inputs exist (the checker requires it)."""
    available = set(available) | {""}
    pending, ordered = list(nodes), []
    while pending:
        still_pending = []
        for node in pending:
            if all(i in available for i in node.input):
                ordered.append(node)
                available.update(node.output)
            else:
                still_pending.append(node)
        if len(still_pending) == len(pending):  # a cycle or a missing input: keep the rest as is
            ordered.extend(still_pending)
            break
        pending = still_pending
    return ordered


def replace_nodes(graph, new_nodes):
    available = [v.name for v in graph.input] + [t.name for t in graph.initializer]
    # Copies: messages removed from a repeated field must not be reused.
    ordered = [copy_node(n) for n in topologically_sorted(new_nodes, available)]
    del graph.node[:]
    graph.node.extend(ordered)


def copy_node(node):
    duplicate = onnx.NodeProto()
    duplicate.CopyFrom(node)
    return duplicate
