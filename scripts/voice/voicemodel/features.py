"""Per-frame targets extracted from the teacher audio: f0 (YIN) on the recipe's frame grid.

Frame i covers samples [i*HOP, (i+1)*HOP); its analysis window is centred on i*HOP + HOP/2,
the point where the synthesizer places frame i's control values.
"""
import numpy as np

SAMPLE_RATE = 22050
HOP = 256
F0_MIN, F0_MAX = 70.0, 400.0
YIN_WINDOW = 512          # integration window W of YIN's difference function
YIN_THRESHOLD = 0.15      # first dip of the normalized difference below this is the period
UNVOICED_ABOVE = 0.35     # no dip this deep anywhere: the frame is unvoiced


def frame_signal(audio, n_frames, length):
    """[n_frames, length] windows starting HOP/2 - W/2 before each frame centre (zero padded)."""
    start_offset = HOP // 2 - YIN_WINDOW // 2
    pad_left = max(0, -start_offset)
    padded = np.concatenate([np.zeros(pad_left, np.float32), audio,
                             np.zeros(n_frames * HOP + length, np.float32)])
    starts = np.arange(n_frames) * HOP + start_offset + pad_left
    return padded[starts[:, None] + np.arange(length)[None, :]]


def yin_f0(audio, n_frames):
    """f0 in Hz per frame (0 where unvoiced), YIN with integer lags."""
    max_lag = int(SAMPLE_RATE / F0_MIN) + 1
    min_lag = int(SAMPLE_RATE / F0_MAX)
    frames = frame_signal(audio.astype(np.float32), n_frames, YIN_WINDOW + max_lag)
    # d(tau) = E(0..W) + E(tau..tau+W) - 2 r(tau); r by FFT cross-correlation.
    size = 2048
    spec_head = np.fft.rfft(frames[:, :YIN_WINDOW], size)
    spec_all = np.fft.rfft(frames, size)
    corr = np.fft.irfft(np.conj(spec_head) * spec_all, size)[:, :max_lag + 1]
    energy = np.cumsum(np.pad(frames ** 2, ((0, 0), (1, 0))), axis=1)
    lags = np.arange(max_lag + 1)
    window_energy = energy[:, lags + YIN_WINDOW] - energy[:, lags]
    diff = window_energy[:, :1] + window_energy - 2 * corr
    diff[:, 0] = 0
    cumulative = np.cumsum(diff[:, 1:], axis=1) / lags[1:]
    normalized = np.ones_like(diff)
    normalized[:, 1:] = diff[:, 1:] / np.maximum(cumulative, 1e-9)
    return pick_periods(normalized, min_lag, max_lag)


def pick_periods(normalized, min_lag, max_lag):
    band = normalized[:, min_lag:max_lag]
    below = band < YIN_THRESHOLD
    first = np.where(below.any(axis=1), below.argmax(axis=1), band.argmin(axis=1))
    # Walk down to the bottom of the dip the threshold crossing entered.
    rows = np.arange(len(band))
    for _ in range(40):
        nxt = np.minimum(first + 1, band.shape[1] - 1)
        step = band[rows, nxt] < band[rows, first]
        if not step.any():
            break
        first = np.where(step, nxt, first)
    depth = band[rows, first]
    f0 = SAMPLE_RATE / (first + min_lag)
    f0[depth > UNVOICED_ABOVE] = 0.0
    return f0.astype(np.float32)


def continuous_log_f0(f0):
    """log f0 with unvoiced frames filled by linear interpolation (the model predicts it everywhere)."""
    voiced = f0 > 0
    if not voiced.any():
        return np.full(f0.shape, np.log(180.0), np.float32)
    idx = np.arange(len(f0))
    return np.interp(idx, idx[voiced], np.log(f0[voiced])).astype(np.float32)
