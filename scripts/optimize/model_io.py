"""Loading, checking and saving ONNX models with errors that name the problem.

Every failure the user can cause raises OptimizeError with a stable code; the
command line prints it as `optimize: error [CODE]: message` and exits 1, and the
JavaScript side turns it into a VoxletError with the same code.
"""
import os

import onnx
from google.protobuf.message import DecodeError

# Opset 13 is where DequantizeLinear gained per-axis scales, which the
# weight-only int8 mode needs; older models must be upgraded first.
MIN_OPSET = 13


class OptimizeError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def load_model(path):
    if not os.path.isfile(path):
        raise OptimizeError("MODEL_NOT_FOUND", f"no such model file: {path}")
    size = os.path.getsize(path)
    if size == 0:
        raise OptimizeError("CORRUPT_MODEL", f"{path} is empty (0 bytes), not an ONNX model")
    try:
        model = onnx.load(path)
    except (DecodeError, RuntimeError, ValueError) as cause:
        raise OptimizeError(
            "CORRUPT_MODEL",
            f"{path} ({size} bytes) is not a readable ONNX model (truncated or not protobuf): {cause}",
        ) from cause
    check_loaded_model(model, path)
    return model


def check_loaded_model(model, path):
    # Random bytes often decode as a protobuf with no graph at all.
    if not model.graph.node or not model.graph.output:
        raise OptimizeError(
            "CORRUPT_MODEL",
            f"{path} decodes to a model with {len(model.graph.node)} nodes and "
            f"{len(model.graph.output)} outputs; it is truncated or not an ONNX model",
        )
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as cause:
        first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else "unknown problem"
        raise OptimizeError("INVALID_MODEL", f"{path} fails the ONNX checker: {first_line}") from cause
    opset = default_opset(model)
    if opset < MIN_OPSET:
        raise OptimizeError(
            "UNSUPPORTED_MODEL",
            f"{path} uses opset {opset}; the optimizer needs opset >= {MIN_OPSET} "
            "(re-export the model with a newer opset)",
        )
    external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    if external:
        raise OptimizeError(
            "UNSUPPORTED_MODEL",
            f"{path} keeps weights in external data files ({external[0]}, ...); "
            "browsers load one file, so save the model with all weights inside it",
        )


def default_opset(model):
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    return 0


def save_model(model, path):
    # Our rewrites rename and retype tensors; stale value_info would contradict
    # them, so drop it and let shape inference rebuild what it can.
    del model.graph.value_info[:]
    model = onnx.shape_inference.infer_shapes(model)
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as cause:
        raise OptimizeError("INTERNAL", f"the optimized model fails the ONNX checker: {cause}") from cause
    onnx.save(model, path)
    return model
