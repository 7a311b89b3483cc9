"""Pure scoring functions of the evaluation step (numpy only; tested in
tests/voice/test_evaluate.py).

Word error rate
    Both the reference (the engine's normalized text, which is what Festival reads too)
    and the recognizer's hypothesis go through `score_words`: lower case, every character
    other than a-z, 0-9 and an in-word apostrophe becomes a space. Digits left over are
    spelled digit by digit in both (the engine expands numbers before this, so in practice
    only the recognizer could produce them, and pocketsphinx's dictionary has none).
    WER = (substitutions + deletions + insertions) / reference words, by Levenshtein
    alignment over words; summed over sentences before dividing (corpus-level WER).

Mel-cepstral distortion (MCD)
    `mel_cepstra`: 16 kHz mono input; 25 ms Hann frames (400 samples), 5 ms hop (80),
    512-point FFT power spectrum, 40 triangular HTK-mel filters 0-8 kHz, natural log of
    the filter *amplitude* (0.5 ln(power + floor), floor = 1e-6 x the utterance's largest
    mel band power, i.e. 60 dB down), orthonormal DCT-II, coefficients
    c1..c24 (c0, the level, is dropped). Leading/trailing frames more than 40 dB below
    the loudest frame are trimmed.
    `mcd`: frames aligned by dynamic time warping (steps (1,0), (0,1), (1,1), Euclidean
    cost on c1..c24); MCD = mean over the path of (10 / ln 10) * sqrt(2 * sum_d (c_d - c'_d)^2)
    in dB — the usual MCD formula, on these mel cepstra rather than SPTK's all-pass
    mel-cepstrum, so values are comparable between our systems but not to published MCDs.
"""
import math
import re
from typing import List, Sequence, Tuple

import numpy as np

DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

SAMPLE_RATE = 16000
FRAME = 400
HOP = 80
N_FFT = 512
N_MELS = 40
N_CEPSTRA = 24
TRIM_DB = 40.0
FLOOR = 1e-6  # mel band power floor, relative to the utterance's loudest band (-60 dB)
MCD_CONSTANT = 10.0 / math.log(10.0) * math.sqrt(2.0)


def score_words(text: str) -> List[str]:
    """Words for scoring: lower case, punctuation removed, digits spelled one by one."""
    text = re.sub(r"[^a-z0-9']+", " ", text.lower())
    text = re.sub(r"(\d)", r" \1 ", text)
    words = (token.strip("'") for token in text.split())
    return [DIGIT_NAMES[int(word)] if word.isdigit() else word for word in words if word]


def word_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> Tuple[int, int, int]:
    """(substitutions, deletions, insertions) of the minimum-edit word alignment."""
    # Each cell holds (total, substitutions, deletions, insertions); ties prefer substitution.
    previous = [(j, 0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, ref in enumerate(reference, 1):
        current = [(i, 0, i, 0)]
        for j, hyp in enumerate(hypothesis, 1):
            diagonal = previous[j - 1]
            same = ref == hyp
            candidates = [
                (diagonal[0] + (not same), diagonal[1] + (not same), diagonal[2], diagonal[3]),
                (previous[j][0] + 1, previous[j][1], previous[j][2] + 1, previous[j][3]),
                (current[j - 1][0] + 1, current[j - 1][1], current[j - 1][2], current[j - 1][3] + 1),
            ]
            current.append(min(candidates, key=lambda cell: cell[0]))
        previous = current
    _, substitutions, deletions, insertions = previous[-1]
    return substitutions, deletions, insertions


def wer(errors: int, reference_words: int) -> float:
    """Word error rate in percent; an empty reference scores 0 without errors, 100 with."""
    if reference_words == 0:
        return 0.0 if errors == 0 else 100.0
    return 100.0 * errors / reference_words


def mel_filterbank(n_mels: int = N_MELS, n_fft: int = N_FFT, rate: int = SAMPLE_RATE) -> np.ndarray:
    """[n_mels, n_fft // 2 + 1] triangular filters on the HTK mel scale, 0 Hz to rate / 2."""
    def mel(hz):
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(0.0), mel(rate / 2), n_mels + 2))
    bins = np.linspace(0.0, rate / 2, n_fft // 2 + 1)
    filters = np.zeros((n_mels, bins.size))
    for m in range(n_mels):
        left, centre, right = edges[m], edges[m + 1], edges[m + 2]
        rising = (bins - left) / (centre - left)
        falling = (right - bins) / (right - centre)
        filters[m] = np.clip(np.minimum(rising, falling), 0.0, None)
    return filters


def dct_matrix(n_in: int = N_MELS, n_out: int = N_CEPSTRA + 1) -> np.ndarray:
    """Orthonormal DCT-II rows 0..n_out-1."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in)) * math.sqrt(2.0 / n_in)
    basis[0] /= math.sqrt(2.0)
    return basis


_FILTERS = mel_filterbank()
_DCT = dct_matrix()
_WINDOW = np.hanning(FRAME)


def mel_cepstra(samples: np.ndarray, trim_db: float = TRIM_DB) -> np.ndarray:
    """[frames, 24] mel cepstra c1..c24 of 16 kHz audio (see the module docstring)."""
    samples = np.asarray(samples, dtype=np.float64)
    if samples.size < FRAME:
        samples = np.pad(samples, (0, FRAME - samples.size))
    n_frames = 1 + (samples.size - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(n_frames)[:, None]
    frames = samples[index] * _WINDOW
    power = np.abs(np.fft.rfft(frames, N_FFT, axis=1)) ** 2
    energy_db = 10.0 * np.log10(power.sum(axis=1) + 1e-10)
    loud = np.flatnonzero(energy_db >= energy_db.max() - trim_db)
    power = power[loud[0]:loud[-1] + 1]
    mel_power = power @ _FILTERS.T
    # Floor 60 dB below the utterance's loudest band: near-silent bands would otherwise
    # dominate the distance with log-noise; relative, so the level does not matter.
    log_amplitude = 0.5 * np.log(mel_power + FLOOR * max(mel_power.max(), 1e-20))
    return (log_amplitude @ _DCT.T)[:, 1:]


def dtw_path(cost: np.ndarray) -> List[Tuple[int, int]]:
    """Minimum-cost monotonic path through cost [N, M] with steps (1,0), (0,1), (1,1)."""
    n, m = cost.shape
    total = np.empty((n, m))
    # Row 0 can only come from the left.
    total[0] = np.cumsum(cost[0])
    for i in range(1, n):
        # From above or the diagonal: a[j] = min(total[i-1, j], total[i-1, j-1]).
        above = total[i - 1]
        best = above.copy()
        best[1:] = np.minimum(above[1:], above[:-1])
        # Then moves to the right within the row: total[i, j] = min_k<=j (best[k] + sum cost[i, k..j]),
        # a running minimum over prefix sums.
        prefix = np.cumsum(cost[i])
        before = np.concatenate(([0.0], prefix[:-1]))
        total[i] = prefix + np.minimum.accumulate(best - before)
    path = [(n - 1, m - 1)]
    i, j = n - 1, m - 1
    while i > 0 or j > 0:
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            moves = [(total[i - 1, j - 1], i - 1, j - 1), (total[i - 1, j], i - 1, j), (total[i, j - 1], i, j - 1)]
            _, i, j = min(moves, key=lambda move: move[0])
        path.append((i, j))
    path.reverse()
    return path


def mcd(reference: np.ndarray, other: np.ndarray) -> float:
    """DTW-aligned mel-cepstral distortion in dB between two [frames, D] cepstra."""
    if reference.size == 0 or other.size == 0:
        return float("nan")
    squared = ((reference ** 2).sum(axis=1)[:, None] + (other ** 2).sum(axis=1)[None, :]
               - 2.0 * reference @ other.T)
    distance = np.sqrt(np.maximum(squared, 0.0))
    path = dtw_path(distance)
    rows, cols = zip(*path)
    return float(MCD_CONSTANT * distance[list(rows), list(cols)].mean())


# --- post-processing checks on the runtime's output (any sample rate) ---------------------

CLICK_RADIUS = 16         # samples each side of a join searched for a step (~0.7 ms)
CLICK_CONTEXT_S = 0.020   # the step is compared with the largest step in 20 ms either side
CLICK_RATIO = 2.0         # a join whose step stands out this much is a click ...
AUDIBLE_STEP = 10 ** (-50 / 20)  # ... unless the step is below -50 dBFS (not heard in speech)


def peak_dbfs(samples: np.ndarray) -> float:
    return 20 * math.log10(max(float(np.max(np.abs(samples))), 1e-12))


def dc_offset_dbfs(samples: np.ndarray) -> float:
    """The mean as a level: -inf-like for none; an offset shows as, say, -40 dBFS."""
    return 20 * math.log10(max(abs(float(np.mean(samples))), 1e-12))


def join_click_ratio(samples: np.ndarray, join: int, rate: int) -> float:
    """Largest sample-to-sample step within CLICK_RADIUS of a join, over the largest step in
    the CLICK_CONTEXT_S around it (floored at AUDIBLE_STEP). About 1 or less for a smooth
    join; a discontinuity stands out. Joins inside silence score low by the floor."""
    steps = np.abs(np.diff(samples))
    lo, hi = max(join - CLICK_RADIUS, 0), min(join + CLICK_RADIUS, len(steps))
    if lo >= hi:
        return 0.0
    context = int(CLICK_CONTEXT_S * rate)
    around = np.concatenate([steps[max(lo - context, 0):lo], steps[hi:hi + context]])
    reference = max(float(around.max()) if around.size else 0.0, AUDIBLE_STEP)
    return float(steps[lo:hi].max()) / reference
