#!/usr/bin/python3
"""A Piper voice in the form sherpa-onnx's VITS loader reads: the same graph with the ONNX
metadata_props it looks for (model_type, comment, language, voice, has_espeak, n_speakers,
sample_rate, add_blank, punctuation) and a tokens.txt ("symbol id" per line).

Piper's maps have keys of two code points (aɪ aʊ ɔɪ eɪ oʊ) that sherpa-onnx's tokens.txt reader
rejects; they are left out (espeak-ng never emits them as one phoneme, so no text loses a sound).

Usage: /usr/bin/python3 sherpa_model.py VOICE.onnx VOICE.onnx.json OUT_DIR
"""
import json
import sys
from pathlib import Path

import onnx


def main(model_path, config_path, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    model = onnx.load(model_path)
    meta = {
        "model_type": "vits",
        "comment": "piper",
        "language": config.get("language", {}).get("name_english", "English"),
        "voice": config.get("espeak", {}).get("voice", "en-us"),
        "has_espeak": "1",
        "n_speakers": str(config.get("num_speakers", 1)),
        "sample_rate": str(config["audio"]["sample_rate"]),
        "add_blank": "1",
        "punctuation": " ".join(";:,.!?¡¿—…\"«»“”"),
    }
    del model.metadata_props[:]
    for key, value in meta.items():
        model.metadata_props.add(key=key, value=value)
    onnx.save(model, str(out / "model.onnx"))
    lines = []
    skipped = []
    for symbol, ids in config["phoneme_id_map"].items():
        if len(symbol) != 1:
            skipped.append(symbol)
            continue
        lines.append(f"{symbol} {ids[0]}")
    (out / "tokens.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"tokens": len(lines), "skipped_multi_code_point_keys": skipped}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
