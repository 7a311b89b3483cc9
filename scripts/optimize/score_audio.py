#!/usr/bin/python3
"""Audio scores for `voxlet optimize`'s verification of voices: MCD and WER.

  score_audio.py MANIFEST.json   prints one JSON object on stdout

MANIFEST: {"sample_rate": 22050, "texts": [str, ...] or null,
           "original": [raw float32 file, ...], "variant": [raw float32 file, ...]}
(one file per verification sentence: the model's audio output, little-endian float32).

The measures are the voice recipe's own (scripts/voice/voicedata/scoring.py, reused, not
copied): each output is resampled to 16 kHz, MCD is the DTW-aligned mel-cepstral distortion
of c1..c24 of the variant against the original, averaged over sentences; WER transcribes
both with pocketsphinx (scripts/voice/evaluate.py's `transcribe_folder`, one decoder process
for all files) and scores against `texts`, the engine's normalized sentences. WER is
skipped, with the reason, when pocketsphinx or its en-us model is not installed or there
are no texts.
"""
import json
import shutil
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

VOICE_SCRIPTS = Path(__file__).resolve().parent.parent / "voice"
sys.path.insert(0, str(VOICE_SCRIPTS))
from voicedata import scoring  # noqa: E402

POCKETSPHINX_MODEL = Path("/usr/share/pocketsphinx/model/en-us")


def resample(samples, rate, target=scoring.SAMPLE_RATE):
    """Band-limited resampling of a whole utterance through its spectrum (numpy only)."""
    samples = np.asarray(samples, dtype=np.float64)
    if rate == target or samples.size == 0:
        return samples
    length = max(1, int(round(samples.size * target / rate)))
    spectrum = np.fft.rfft(samples)
    bins = length // 2 + 1
    if bins <= spectrum.size:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, dtype=spectrum.dtype)])
    return np.fft.irfft(spectrum, length) * (length / samples.size)


def read_raw(path):
    return np.fromfile(path, dtype="<f4").astype(np.float64)


def wer_skip_reason(texts):
    if not texts:
        return "no sentences to recognize (pass --config VOICE.json)"
    if not (shutil.which("pocketsphinx_batch") and shutil.which("pocketsphinx_continuous")):
        return "pocketsphinx not installed (Debian packages pocketsphinx, pocketsphinx-en-us)"
    if not POCKETSPHINX_MODEL.is_dir():
        return f"pocketsphinx en-us model not installed ({POCKETSPHINX_MODEL}; Debian package pocketsphinx-en-us)"
    return None


def write_wav16(path, samples):
    # Peak-normalized so a quiet or loud variant is heard alike; clipped to 16 bits.
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    scaled = samples * (0.9 / peak) if peak > 0 else samples
    pcm = (np.clip(scaled, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(scoring.SAMPLE_RATE)
        out.writeframes(pcm.tobytes())


def word_error_rates(texts, audio):
    """{"original": {...}, "variant": {...}} WER of each system against texts."""
    import evaluate  # scripts/voice/evaluate.py: the recipe's pocketsphinx runner

    with tempfile.TemporaryDirectory(prefix="voxlet-wer-") as folder:
        folder = Path(folder)
        ids = []
        for system, utterances in audio.items():
            for i, samples in enumerate(utterances):
                key = f"{system}-{i}"
                write_wav16(folder / f"{key}.wav", samples)
                ids.append(key)
        hypotheses = evaluate.transcribe_folder(folder, ids)
    result = {}
    for system, utterances in audio.items():
        errors = words = 0
        heard = []
        for i, text in enumerate(texts[:len(utterances)]):
            reference = scoring.score_words(text)
            hypothesis = hypotheses.get(f"{system}-{i}", "")
            errors += sum(scoring.word_errors(reference, scoring.score_words(hypothesis)))
            words += len(reference)
            heard.append(hypothesis)
        result[system] = {"percent": round(scoring.wer(errors, words), 1), "errors": errors, "words": words,
                          "hypotheses": heard}
    return result


def score(manifest):
    rate = int(manifest["sample_rate"])
    audio = {system: [resample(read_raw(p), rate) for p in manifest[system]] for system in ("original", "variant")}
    distances = [scoring.mcd(scoring.mel_cepstra(a), scoring.mel_cepstra(b))
                 for a, b in zip(audio["original"], audio["variant"])]
    distances = [d for d in distances if d == d]  # NaN: an empty output
    report = {"mcd_db": round(float(np.mean(distances)), 3) if distances else None,
              "mcd_per_sentence_db": [round(d, 3) for d in distances]}
    reason = wer_skip_reason(manifest.get("texts"))
    report["wer"] = {"skipped": reason} if reason else word_error_rates(manifest["texts"], audio)
    return report


if __name__ == "__main__":
    print(json.dumps(score(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))))
