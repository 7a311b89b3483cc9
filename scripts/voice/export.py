#!/usr/bin/env python3
"""Recipe step `export`: a training checkpoint -> fp32 ONNX (Piper's interface) + voice.json.

Graph: inputs `input` int64 [1,N], `input_lengths` int64 [1], `scales` float32 [3]
(noise, length, noise_w; only length is used); outputs `output` float32 [1,1,T] audio at
22,050 Hz and `durations` float32 [1,N] (frames per id as used). Opset 17.
"""
import argparse
import copy
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import onnx
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voicemodel.dataset import load_audio, read_manifest  # noqa: E402
from voicemodel.model import ModelConfig, VoxletTTS, load_weights  # noqa: E402

OPSET = 17
INPUT_NAMES = ["input", "input_lengths", "scales"]
OUTPUT_NAMES = ["output", "durations"]


def parse_args(argv=None):
    work = Path(os.environ.get("VOXLET_VOICE_WORK", "build/voice"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", type=Path, default=work / "train" / "best.pt")
    p.add_argument("--voice-dir", type=Path, default=Path("models/voxlet-en-us-slt"))
    p.add_argument("--template", type=Path, default=Path(os.environ.get(
        "VOXLET_VOICE_CONFIG", "models/voxlet-test-arpabet/voice.json")), help="voice.json whose id map the model was trained on")
    p.add_argument("--calibrate", type=Path, default=work / "manifest.jsonl",
                   help="manifest whose held-out teacher audio sets the output gain (skipped if missing)")
    p.add_argument("--calibration-sentences", type=int, default=16)
    return p.parse_args(argv)


def load_model(checkpoint):
    state = torch.load(checkpoint, map_location="cpu")
    config = dict(state["config"])
    config["decoder_dilations"] = tuple(config["decoder_dilations"])
    model = VoxletTTS(ModelConfig(**config))
    load_weights(model, state["model"])
    return model.eval(), state


def rms(x):
    return float(np.sqrt(np.mean(np.square(x)) + 1e-12))


def loudness_gain(model, manifest, count):
    """Gain that gives the model the teacher's RMS level on held-out sentences: a model trained
    on log-spectral losses can end up quieter than its teacher while sounding the same."""
    rows = [r for r in read_manifest(manifest) if r["split"] != "train"][:count]
    ours, theirs = [], []
    with torch.no_grad():
        for row in rows:
            ids = torch.tensor([row["ids"]], dtype=torch.int64)
            audio, _ = model(ids, torch.tensor([ids.shape[1]]), torch.tensor([0.667, 1.0, 0.8]))
            ours.append(rms(audio.numpy()))
            theirs.append(rms(load_audio(Path(manifest).parent / row["wav"], row["n_frames"])))
    return float(np.clip(np.median(theirs) / np.median(ours), 0.5, 20.0))


def export_onnx(model, path):
    ids = torch.tensor([[1, 0, 45, 0, 35, 0, 54, 0, 59, 0, 6, 0, 2]], dtype=torch.int64)
    example = (ids, torch.tensor([ids.shape[1]], dtype=torch.int64), torch.tensor([0.667, 1.0, 0.8]))
    torch.onnx.export(model, example, str(path), opset_version=OPSET, input_names=INPUT_NAMES,
                      output_names=OUTPUT_NAMES, do_constant_folding=True,
                      dynamic_axes={"input": {1: "phonemes"}, "output": {2: "samples"},
                                    "durations": {1: "phonemes"}})
    onnx.checker.check_model(onnx.load(str(path)))


def file_facts(path):
    data = Path(path).read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def voice_config(template_path, model_file, facts):
    config = copy.deepcopy(json.loads(Path(template_path).read_text(encoding="utf-8")))
    config["audio"] = {"sample_rate": 22050, "quality": "low"}
    config["language"] = {"code": "en_US"}
    config["voxlet"] = {
        "phonemizer": "builtin-en-us",
        "interspersed_pad": True,
        "outputs": {"audio": "output", "durations": "durations"},
        "components": [{"name": "full", "optional": False,
                        "purpose": "text ids to 22,050 Hz waveform (conv acoustic model + harmonic-plus-noise vocoder)"}],
        "variants": [{"precision": "fp32", "file": model_file, "component": "full", **facts}],
    }
    return config


def main(argv=None):
    args = parse_args(argv)
    model, state = load_model(args.checkpoint)
    if args.calibrate and args.calibrate.exists():
        model.output_gain = loudness_gain(model, args.calibrate, args.calibration_sentences)
        print(f"output gain {model.output_gain:.3f} (teacher RMS on held-out sentences)")
    args.voice_dir.mkdir(parents=True, exist_ok=True)
    model_path = args.voice_dir / "model.onnx"
    export_onnx(model, model_path)
    config = voice_config(args.template, model_path.name, file_facts(model_path))
    (args.voice_dir / "voice.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"exported step {state['step']} -> {model_path} ({model_path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
