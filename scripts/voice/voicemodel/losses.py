"""Training losses: multi-resolution STFT (spectral convergence + log magnitude) and log-mel.

Used only in training, so torch.stft is fine here (the exported graph never contains it).
"""
import numpy as np
import torch

from .features import SAMPLE_RATE

RESOLUTIONS = ((512, 128), (1024, 256), (2048, 512))   # (n_fft, hop); window = n_fft
N_MELS = 80
FLOOR = 1e-5


def mel_filterbank(n_fft, n_mels=N_MELS, f_max=SAMPLE_RATE / 2):
    """[n_mels, n_fft//2+1] triangles evenly spaced on the HTK mel scale."""
    def hz_to_mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def mel_to_hz(m):
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(f_max), n_mels + 2))
    bins = np.linspace(0, SAMPLE_RATE / 2, n_fft // 2 + 1)
    lower = (bins[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - bins[None, :]) / (edges[2:, None] - edges[1:-1, None])
    return torch.from_numpy(np.maximum(0.0, np.minimum(lower, upper)).astype(np.float32))


def magnitude(audio, n_fft, hop):
    window = torch.hann_window(n_fft, device=audio.device)
    spec = torch.stft(audio, n_fft, hop, window=window, center=True, return_complex=True)
    return spec.abs()


class SpectralLoss(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mel", mel_filterbank(1024))

    def forward(self, predicted, target):
        """predicted, target [B, S] -> dict of scalar losses."""
        convergence, log_magnitude, log_mel = 0.0, 0.0, 0.0
        for n_fft, hop in RESOLUTIONS:
            p, t = magnitude(predicted, n_fft, hop), magnitude(target, n_fft, hop)
            convergence = convergence + torch.norm(t - p) / torch.norm(t).clamp(min=FLOOR)
            log_magnitude = log_magnitude + torch.mean(torch.abs(torch.log(p + FLOOR) - torch.log(t + FLOOR)))
            if n_fft == 1024:
                log_mel = torch.mean(torch.abs(torch.log(self.mel @ p + FLOOR) - torch.log(self.mel @ t + FLOOR)))
        n = len(RESOLUTIONS)
        return {"convergence": convergence / n, "log_magnitude": log_magnitude / n, "log_mel": log_mel}
