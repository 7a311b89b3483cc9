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

N_FFT = 1024
N_BINS = N_FFT // 2 + 1
PHASE_TABLE_FRAMES = 128


def inverse_dft_basis():
    """[2*N_BINS, N_FFT]: real then imaginary rows of a Hann-windowed inverse real DFT."""
    n = np.arange(N_FFT)
    k = np.arange(N_BINS)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)
    weight = np.where((k == 0) | (k == N_FFT // 2), 1.0, 2.0) / N_FFT
    angle = 2 * np.pi * k * n / N_FFT
    real = weight * np.cos(angle) * window
    imag = -weight * np.sin(angle) * window
    basis = np.concatenate([real, imag]) / 1.5  # Hann^2 summed over hops of N/4 is 1.5
    return torch.from_numpy(basis.astype(np.float32))


def band_to_bin_matrix(n_bands):
    """[n_bands, N_BINS]: linear interpolation of band values (at evenly spaced centres) to bins."""
    centres = np.linspace(0, N_BINS - 1, n_bands)
    eye = np.eye(n_bands, dtype=np.float32)
    rows = [np.interp(np.arange(N_BINS), centres, eye[b]) for b in range(n_bands)]
    return torch.from_numpy(np.stack(rows).astype(np.float32))


def overlap_add(frames):
    """[B, T, N_FFT] windowed frames at hop N_FFT/4 -> [B, (T+3)*HOP]: four shifted sums
    (a MatMul + Pad/Add graph is far cheaper on CPU than ConvTranspose with 1,026 channels)."""
    parts = N_FFT // HOP
    quarters = frames.reshape(frames.shape[0], frames.shape[1], parts, HOP)
    total = sum(F.pad(quarters[:, :, q], (0, 0, q, parts - 1 - q)) for q in range(parts))
    return total.flatten(1)


class HarmonicPlusNoise(nn.Module):
    """Frame controls -> waveform. Inputs are [B, C, T] per frame; output [B, 1, T*HOP]."""

    def __init__(self, n_harmonics, n_noise_bands, seed=7):
        super().__init__()
        self.n_harmonics = n_harmonics
        self.register_buffer("blend_weights", ((torch.arange(HOP) + 0.5) / HOP).view(1, 1, 1, HOP))
        self.register_buffer("two_pi_k", 2 * math.pi * torch.arange(1, n_harmonics + 1).float())
        self.register_buffer("harmonic_numbers", torch.arange(1, n_harmonics + 1).float().view(1, -1, 1))
        self.register_buffer("idft", inverse_dft_basis())
        self.register_buffer("band_to_bin", band_to_bin_matrix(n_noise_bands))
        rng = np.random.default_rng(seed)
        phase = rng.uniform(0, 2 * np.pi, (N_BINS, PHASE_TABLE_FRAMES)).astype(np.float32)
        self.register_buffer("phase_cos", torch.from_numpy(np.cos(phase)))
        self.register_buffer("phase_sin", torch.from_numpy(np.sin(phase)))

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
        (sines @ left frame's amplitudes) and (sines @ right frame's), two MatMuls instead of
        upsampling K amplitude tracks to audio rate (the costly part on CPU)."""
        n_samples = f0_hz.shape[2] * HOP
        cycles = torch.cumsum(self.upsample(f0_hz) / SAMPLE_RATE, dim=2)
        # Wrap to [0,1) before multiplying by k: keeps fp32 phase exact in long sentences.
        cycles = cycles - torch.floor(cycles)
        segments = F.pad(cycles, (HOP // 2, HOP // 2)).reshape(cycles.shape[0], -1, HOP, 1)
        waves = torch.sin(segments * self.two_pi_k)                               # [B,T+1,HOP,K]
        audible = (self.harmonic_numbers * f0_hz < SAMPLE_RATE / 2 - 200).float()
        amps = amplitudes * audible
        padded = torch.cat([amps[:, :, :1], amps, amps[:, :, -1:]], dim=2).transpose(1, 2).unsqueeze(3)
        left = torch.matmul(waves, padded[:, :-1])                                # [B,T+1,HOP,1]
        right = torch.matmul(waves, padded[:, 1:])
        blended = left + (right - left) * self.blend_weights.view(1, 1, HOP, 1)
        return blended.flatten(1)[:, HOP // 2:HOP // 2 + n_samples].unsqueeze(1)

    def noise(self, band_magnitudes):
        """band_magnitudes [B,Bands,T] -> filtered noise [B,1,T*HOP] by overlap-add iSTFT."""
        n_frames = band_magnitudes.shape[2]
        magnitude = torch.matmul(band_magnitudes.transpose(1, 2), self.band_to_bin).transpose(1, 2)
        frame_index = torch.arange(n_frames, device=magnitude.device) % PHASE_TABLE_FRAMES
        real = magnitude * self.phase_cos[:, frame_index]
        imag = magnitude * self.phase_sin[:, frame_index]
        spectrum = torch.cat([real, imag], dim=1).transpose(1, 2)          # [B, T, 2*N_BINS]
        audio = overlap_add(torch.matmul(spectrum, self.idft))              # [B, (T+3)*HOP]
        # Frame i's window centre lands on i*HOP + N_FFT/2; move it to i*HOP + HOP/2.
        start = N_FFT // 2 - HOP // 2
        return audio[:, start:start + n_frames * HOP].unsqueeze(1)

    def forward(self, f0_hz, amplitudes, band_magnitudes):
        return self.harmonics(f0_hz, amplitudes) + self.noise(band_magnitudes)
