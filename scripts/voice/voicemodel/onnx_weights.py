"""Trained weights read back from an exported voice (model.onnx) into a VoxletTTS.

Training checkpoints live in WORK/ (outside git) and do not survive a move to another machine;
the shipped model.onnx does, and it holds every trained parameter: `export` runs
torch.onnx.export with constant folding, which keeps each parameter as an initializer under its
own name, except that a Linear weight used by a MatMul becomes an unnamed, transposed
initializer (onnx::MatMul_N). Those are matched by shape, and only when the match is unique.
(The exporter also merges initializers with equal values, which trained weights never have;
an untrained model's LayerNorm ones would fail here with the parameter named.)
The synthesizer's constants (non-persistent buffers) and the export gain are not parameters.
"""
import numpy as np
import onnx
import torch
from onnx import numpy_helper


def onnx_initializers(path):
    """name -> float32 array for every initializer of the ONNX model at path."""
    model = onnx.load(str(path))
    return {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}


def state_dict_from_onnx(model, path):
    """A state dict for `model` filled from the ONNX file's initializers.

    Raises ValueError naming the parameters it cannot place (a model of another shape or a
    graph that fused or folded a parameter away): a partial load would silently train from
    random weights.
    """
    initializers = onnx_initializers(path)
    state, missing = {}, []
    for name, param in model.state_dict().items():
        array = initializers.pop(name, None)
        if array is not None and tuple(array.shape) == tuple(param.shape):
            state[name] = torch.from_numpy(array.astype(np.float32).copy())
        else:
            missing.append(name)
    for name in missing:
        shape = tuple(model.state_dict()[name].shape)
        matches = [k for k, a in initializers.items() if _transposed_shape(a.shape) == shape]
        if len(matches) != 1:
            raise ValueError(f"{path}: cannot place parameter {name} {list(shape)}: "
                             f"{len(matches)} unnamed initializers fit (the ONNX model is not "
                             "this model's export; retrain instead of initializing from it)")
        state[name] = torch.from_numpy(initializers.pop(matches[0]).T.astype(np.float32).copy())
    return state


def _transposed_shape(shape):
    return tuple(reversed(shape)) if len(shape) == 2 else None
