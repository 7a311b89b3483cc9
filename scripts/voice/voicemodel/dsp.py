"""Differentiable harmonic-plus-noise synthesis built from ONNX-friendly ops only.

No complex tensors, no FFT op, no random op: frame-to-sample interpolation is a ConvTranspose
with a triangle kernel, the noise iSTFT is a ConvTranspose with a fixed windowed DFT basis,
and the noise phases come from a fixed table (the ear does not hear its 1.5 s period under
speech). That keeps the exported graph to ops ONNX Runtime Web's WASM backend implements.
"""
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .features import HOP, SAMPLE_RATE

# 512 points at hop 256 (two frames overlap): the noise is shaped by 64 bands, far coarser
# than 512's 43 Hz bins, and the inverse DFT is 4x cheaper than with 1,024 points — it was
# the largest cost of the whole model at run time.
N_FFT = 512
N_BINS = N_FFT // 2 + 1
PHASE_TABLE_FRAMES = 128


# Noise power per bin relative to the first design (1,024 points, Hann at hop 256, / 1.5),
# which the trained band magnitudes were fitted to: this keeps the noise level unchanged.
# (Noise of random phase has per-sample variance m²/N_FFT times the window's summed square
# over overlapping frames: m² / 1024 · 1.5 / 1.5² = m² / 1536 then, m² / 512 · 1 now.)
NOISE_LEVEL = np.sqrt(1536.0 / N_FFT)


def inverse_dft_basis():
    """[2*N_BINS, N_FFT]: real then imaginary rows of a sine-windowed inverse real DFT.

    The sine window's square sums to 1 at 50 % overlap, so noise of random phase per frame
    keeps a constant power between frame centres."""
    n = np.arange(N_FFT)
    k = np.arange(N_BINS)[:, None]
    window = np.sin(np.pi * (n + 0.5) / N_FFT)
    weight = np.where((k == 0) | (k == N_FFT // 2), 1.0, 2.0) / N_FFT
    angle = 2 * np.pi * k * n / N_FFT
    real = weight * np.cos(angle) * window
    imag = -weight * np.sin(angle) * window
    basis = np.concatenate([real, imag]) / NOISE_LEVEL
    return torch.from_numpy(basis.astype(np.float32))


def band_to_bin_matrix(n_bands):
    """[n_bands, N_BINS]: linear interpolation of band values (at evenly spaced centres) to bins."""
    centres = np.linspace(0, N_BINS - 1, n_bands)
    eye = np.eye(n_bands, dtype=np.float32)
    rows = [np.interp(np.arange(N_BINS), centres, eye[b]) for b in range(n_bands)]
    return torch.from_numpy(np.stack(rows).astype(np.float32))


def overlap_add(frames):
    """[B, T, N_FFT] windowed frames at hop HOP -> [B, (T+N_FFT/HOP-1)*HOP]: shifted sums
    (a MatMul + Pad/Add graph is far cheaper on CPU than ConvTranspose with 1,026 channels)."""
    parts = N_FFT // HOP
    quarters = frames.reshape(frames.shape[0], frames.shape[1], parts, HOP)
    total = sum(F.pad(quarters[:, :, q], (0, 0, q, parts - 1 - q)) for q in range(parts))
    return total.flatten(1)


def multiple_angles(cos_1, sin_1, count):
    """cos and sin of k*theta for k = 1..count, from those of theta [..., 1, S] -> [..., count, S],
    by doubling with the angle-addition formulas (k = m+j from m and j)."""
    cos_k, sin_k = cos_1, sin_1
    m = 1
    while m < count:
        step = min(m, count - m)                           # adds k = m+1..m+step
        cos_m, sin_m = cos_k[..., m - 1:m, :], sin_k[..., m - 1:m, :]
        cos_j, sin_j = cos_k[..., :step, :], sin_k[..., :step, :]
        cos_k = torch.cat([cos_k, cos_j * cos_m - sin_j * sin_m], dim=-2)
        sin_k = torch.cat([sin_k, sin_j * cos_m + cos_j * sin_m], dim=-2)
        m += step
    return cos_k, sin_k


def harmonic_sines(cycles, n_harmonics, block=8):
    """cycles [..., 1, S] (phase in cycles) -> sin(2*pi*k*cycles) for k = 1..K, [..., K, S].

    Two trig calls per sample instead of K. A scalar Sin per element was half of the whole
    model's run time on ONNX Runtime's WASM backend. Harmonic k = block*a + b is
    sin(block*a*theta + b*theta), expanded by angle addition as an outer product of a few
    "coarse" angles (a) and "fine" ones (b = 1..block): only three full-size ops, no
    full-size Concat. Harmonics run along the second-to-last axis so broadcasts work on
    whole rows of S samples (a broadcast along a short last axis is slow there). The error
    stays near float32 rounding (angle addition, a few levels deep)."""
    angle = 2 * math.pi * cycles
    cos_1, sin_1 = torch.cos(angle), torch.sin(angle)
    block = min(block, n_harmonics)
    coarse_count = -(-n_harmonics // block)                # ceil
    cos_b, sin_b = multiple_angles(cos_1, sin_1, block)    # b*theta, b = 1..block
    cos_a, sin_a = torch.ones_like(cos_1), torch.zeros_like(sin_1)   # a = 0
    if coarse_count > 1:
        cos_unit, sin_unit = cos_b[..., block - 1:, :], sin_b[..., block - 1:, :]
        cos_rest, sin_rest = multiple_angles(cos_unit, sin_unit, coarse_count - 1)
        cos_a, sin_a = torch.cat([cos_a, cos_rest], dim=-2), torch.cat([sin_a, sin_rest], dim=-2)
    # [..., A, 1, S] x [..., 1, B, S] -> [..., A, B, S] -> [..., A*B, S], k = a*block + b
    sines = sin_a.unsqueeze(-2) * cos_b.unsqueeze(-3) + cos_a.unsqueeze(-2) * sin_b.unsqueeze(-3)
    return sines.flatten(-3, -2)[..., :n_harmonics, :]


class HarmonicPlusNoise(nn.Module):
    """Frame controls -> waveform. Inputs are [B, C, T] per frame; output [B, 1, T*HOP]."""

    def __init__(self, n_harmonics, n_noise_bands, seed=7):
        super().__init__()
        self.n_harmonics = n_harmonics
        # Constants, not weights: rebuilt from code, kept out of checkpoints (persistent=False),
        # so the DSP can change without invalidating trained weights.
        constant = dict(persistent=False)
        self.register_buffer("blend_weights", ((torch.arange(HOP) + 0.5) / HOP).view(1, 1, 1, HOP), **constant)
        self.register_buffer("harmonic_numbers", torch.arange(1, n_harmonics + 1).float().view(1, -1, 1), **constant)
        self.register_buffer("idft", inverse_dft_basis(), **constant)
        self.register_buffer("band_to_bin", band_to_bin_matrix(n_noise_bands), **constant)
        rng = np.random.default_rng(seed)
        phase = rng.uniform(0, 2 * np.pi, (N_BINS, PHASE_TABLE_FRAMES)).astype(np.float32)
        self.register_buffer("phase_cos", torch.from_numpy(np.cos(phase)), **constant)
        self.register_buffer("phase_sin", torch.from_numpy(np.sin(phase)), **constant)

    def upsample(self, frames):
        """[B, C, T] -> [B, C, T*HOP], linear between frame centres (i*HOP + HOP/2).

        Broadcast blend of neighbouring frames: several times faster on CPU than a grouped
        ConvTranspose and exports to plain Slice/Mul/Add/Reshape."""
        padded = torch.cat([frames[:, :, :1], frames, frames[:, :, -1:]], dim=2)
        left, right = padded[:, :, :-1].unsqueeze(3), padded[:, :, 1:].unsqueeze(3)
        blended = left + (right - left) * self.blend_weights      # [B, C, T+1, HOP]
        n_samples = frames.shape[2] * HOP
        return blended.flatten(2)[:, :, HOP // 2:HOP // 2 + n_samples]

    def harmonics(self, f0_hz, amplitudes):
        """f0_hz [B,1,T], amplitudes [B,K,T] -> [B,1,T*HOP]. Harmonics above Nyquist are muted.

        Amplitudes stay at frame rate: between two frame centres the output is the blend of
        (left frame's amplitudes @ sines) and (right frame's @ sines), one batched MatMul
        instead of upsampling K amplitude tracks to audio rate (the costly part on CPU)."""
        n_samples = f0_hz.shape[2] * HOP
        cycles = torch.cumsum(self.upsample(f0_hz) / SAMPLE_RATE, dim=2)
        # Wrap to [0,1) before multiplying by k: keeps fp32 phase exact in long sentences.
        cycles = cycles - torch.floor(cycles)
        segments = F.pad(cycles, (HOP // 2, HOP // 2)).reshape(cycles.shape[0], -1, 1, HOP)
        waves = harmonic_sines(segments, self.n_harmonics)                        # [B,T+1,K,HOP]
        audible = (self.harmonic_numbers * f0_hz < SAMPLE_RATE / 2 - 200).float()
        amps = amplitudes * audible
        padded = torch.cat([amps[:, :, :1], amps, amps[:, :, -1:]], dim=2).transpose(1, 2)  # [B,T+2,K]
        left_right = torch.stack([padded[:, :-1], padded[:, 1:]], dim=2)         # [B,T+1,2,K]
        sides = torch.matmul(left_right, waves)                                   # [B,T+1,2,HOP]
        left, right = sides[:, :, 0], sides[:, :, 1]
        blended = left + (right - left) * self.blend_weights.view(1, 1, HOP)
        return blended.flatten(1)[:, HOP // 2:HOP // 2 + n_samples].unsqueeze(1)

    def noise(self, band_magnitudes):
        """band_magnitudes [B,Bands,T] -> filtered noise [B,1,T*HOP] by overlap-add iSTFT."""
        n_frames = band_magnitudes.shape[2]
        magnitude = torch.matmul(band_magnitudes.transpose(1, 2), self.band_to_bin).transpose(1, 2)
        frame_index = torch.arange(n_frames, device=magnitude.device) % PHASE_TABLE_FRAMES
        real = magnitude * self.phase_cos[:, frame_index]
        imag = magnitude * self.phase_sin[:, frame_index]
        spectrum = torch.cat([real, imag], dim=1).transpose(1, 2)          # [B, T, 2*N_BINS]
        audio = overlap_add(torch.matmul(spectrum, self.idft))              # [B, (T+1)*HOP]
        # Frame i's window centre lands on i*HOP + N_FFT/2; move it to i*HOP + HOP/2.
        start = N_FFT // 2 - HOP // 2
        return audio[:, start:start + n_frames * HOP].unsqueeze(1)

    def forward(self, f0_hz, amplitudes, band_magnitudes):
        return self.harmonics(f0_hz, amplitudes) + self.noise(band_magnitudes)
