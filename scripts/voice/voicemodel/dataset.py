"""The aligned manifest in memory: ids, teacher durations, teacher audio and f0 per sentence,
and random fixed-length crops for training batches."""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from scipy.io import wavfile

from .features import HOP, continuous_log_f0, yin_f0


@dataclass
class Utterance:
    id: str
    split: str
    text: str
    ids: np.ndarray          # int64 [N]
    durations: np.ndarray    # int64 [N], sums to n_frames
    audio: np.ndarray        # float32 [n_frames * HOP], zero padded
    log_f0: np.ndarray       # float32 [n_frames], unvoiced frames interpolated

    @property
    def n_frames(self):
        return len(self.log_f0)


def read_manifest(path, limit=None):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return rows[:limit] if limit else rows


def load_audio(path, n_frames):
    rate, samples = wavfile.read(path)
    assert rate == 22050, f"{path}: {rate} Hz"
    audio = samples.astype(np.float32) / 32768.0
    padded = np.zeros(n_frames * HOP, np.float32)
    padded[:min(len(audio), len(padded))] = audio[:len(padded)]
    return padded


def load_utterances(manifest_path, f0_cache=None, limit=None):
    """Reads every wav; f0 comes from f0_cache (an .npz by id) or is computed and stored there."""
    manifest_path = Path(manifest_path)
    rows = read_manifest(manifest_path, limit)
    cached = dict(np.load(f0_cache)) if f0_cache and Path(f0_cache).exists() else {}
    utterances, computed = [], False
    for row in rows:
        audio = load_audio(manifest_path.parent / row["wav"], row["n_frames"])
        if row["id"] not in cached:
            cached[row["id"]] = yin_f0(audio, row["n_frames"])
            computed = True
        utterances.append(Utterance(row["id"], row["split"], row["text"],
                                    np.asarray(row["ids"], np.int64), np.asarray(row["durations"], np.int64),
                                    audio, continuous_log_f0(cached[row["id"]])))
    if f0_cache and computed:
        np.savez(f0_cache, **cached)
    return utterances


def crop(utterance, start, length):
    """Audio [length*HOP] and log f0 [length] from frame `start`, zero / edge padded past the end."""
    end = start + length
    audio = np.zeros(length * HOP, np.float32)
    piece = utterance.audio[start * HOP:end * HOP]
    audio[:len(piece)] = piece
    f0_index = np.minimum(np.arange(start, end), utterance.n_frames - 1)
    return audio, utterance.log_f0[f0_index]


def make_batch(utterances, crop_frames, rng):
    """Padded ids/durations for the whole sentences plus one random crop per sentence."""
    n_max = max(len(u.ids) for u in utterances)
    ids = np.zeros((len(utterances), n_max), np.int64)
    durations = np.zeros_like(ids)
    lengths, starts, audio, log_f0 = [], [], [], []
    for b, u in enumerate(utterances):
        ids[b, :len(u.ids)] = u.ids
        durations[b, :len(u.ids)] = u.durations
        start = int(rng.integers(0, max(1, u.n_frames - crop_frames + 1)))
        a, f = crop(u, start, crop_frames)
        lengths.append(len(u.ids))
        starts.append(start)
        audio.append(a)
        log_f0.append(f)
    return {"ids": torch.from_numpy(ids), "durations": torch.from_numpy(durations),
            "lengths": lengths, "starts": starts,
            "audio": torch.from_numpy(np.stack(audio)), "log_f0": torch.from_numpy(np.stack(log_f0))}
