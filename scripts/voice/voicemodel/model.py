"""Text ids -> durations -> frames -> harmonic-plus-noise controls -> audio.

One module serves training (teacher durations, teacher f0, cropped frames) and export
(predicted durations and f0, whole sentence, batch 1, Piper's graph interface).
"""
import math
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F

from .dsp import HarmonicPlusNoise

FIRST_PHONE_ID = 12   # ids below are pad/BOS/EOS/space/punctuation (voice.json's map)
PAD_ID = 0


@dataclass
class ModelConfig:
    n_symbols: int = 81
    channels: int = 128
    encoder_layers: int = 4
    decoder_dilations: tuple = (1, 2, 4, 1)
    kernel: int = 5
    duration_channels: int = 128
    n_harmonics: int = 48
    n_noise_bands: int = 64
    dropout: float = 0.1

    def to_dict(self):
        return asdict(self)

    @property
    def decoder_radius(self):
        """Frames of context each side that a decoder output depends on (for exact crops)."""
        return sum(d * (self.kernel // 2) for d in self.decoder_dilations) + 1


class ConvBlock(nn.Module):
    """Residual conv -> ReLU -> LayerNorm over channels; masked so padding stays zero."""

    def __init__(self, channels, kernel, dilation, dropout):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel, padding=dilation * (kernel // 2), dilation=dilation)
        self.norm = nn.LayerNorm(channels)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        y = F.relu(self.conv(x * mask))
        y = self.norm(y.transpose(1, 2)).transpose(1, 2)
        return (x + self.dropout(y)) * mask


class DurationPredictor(nn.Module):
    """Predicts log(1 + frames) per id."""

    def __init__(self, channels, hidden, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(channels, hidden, 3, padding=1)
        self.norm1 = nn.LayerNorm(hidden)
        self.conv2 = nn.Conv1d(hidden, hidden, 3, padding=1)
        self.norm2 = nn.LayerNorm(hidden)
        self.out = nn.Linear(hidden, 1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        y = self.dropout(self.norm1(F.relu(self.conv1(x * mask)).transpose(1, 2)))
        y = self.dropout(self.norm2(F.relu(self.conv2(y.transpose(1, 2) * mask)).transpose(1, 2)))
        return self.out(y).squeeze(2) * mask.squeeze(1)


def length_regulate(hidden, durations):
    """hidden [1,C,N], durations int64 [N] -> [1, C+2, sum(durations)].

    Each frame takes its id's vector (found by comparing the frame index with the cumulative
    ends: no loops, dynamic N and T in ONNX) plus two position features, the relative position
    inside the id and its length, so long vowels are not flat inside.
    """
    ends = torch.cumsum(durations, dim=0)
    starts = ends - durations
    frame_index = torch.arange(ends[-1], device=hidden.device)
    owner = torch.sum((ends.unsqueeze(0) <= frame_index.unsqueeze(1)).long(), dim=1)
    frames = torch.index_select(hidden, 2, owner)
    owner_length = torch.index_select(durations, 0, owner).float()
    position = (frame_index - torch.index_select(starts, 0, owner)).float()
    relative = (position + 0.5) / owner_length
    length_feature = torch.log(owner_length) / 3.0
    extra = torch.stack([relative, length_feature]).unsqueeze(0)
    return torch.cat([frames, extra], dim=1)


def bounded_amplitude(x):
    """DDSP's scaled sigmoid: positive, bounded by 2, smooth near zero (log-like)."""
    return 2.0 * torch.sigmoid(x) ** math.log(10.0) + 1e-7


def load_weights(model, state_dict):
    """Loads trained weights; the synthesizer's constants come from code (checkpoints written
    before they were made non-persistent still carry them: those entries are dropped)."""
    weights = {k: v for k, v in state_dict.items() if not k.startswith("synth.")}
    model.load_state_dict(weights)


class VoxletTTS(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        c = config
        self.config = c
        self.embedding = nn.Embedding(c.n_symbols, c.channels)
        self.encoder = nn.ModuleList(ConvBlock(c.channels, c.kernel, 1, c.dropout) for _ in range(c.encoder_layers))
        self.duration = DurationPredictor(c.channels, c.duration_channels, c.dropout)
        self.decoder_in = nn.Conv1d(c.channels + 2, c.channels, 1)
        self.decoder = nn.ModuleList(ConvBlock(c.channels, c.kernel, d, c.dropout) for d in c.decoder_dilations)
        self.head = nn.Conv1d(c.channels, 2 + c.n_harmonics + c.n_noise_bands, 1)
        self.synth = HarmonicPlusNoise(c.n_harmonics, c.n_noise_bands)
        self.f0_offset, self.f0_scale = math.log(170.0), 0.2   # teacher median ~171 Hz
        self.output_gain = 1.0   # set by export's loudness calibration; a constant in the graph
        with torch.no_grad():  # start with quiet noise
            self.head.bias[2 + c.n_harmonics:] = -3.0
            self.head.bias[0] = 0.0

    def encode(self, ids, mask):
        """ids [B,N], mask [B,1,N] -> hidden [B,C,N], log-duration [B,N]."""
        x = self.embedding(ids).transpose(1, 2) * mask
        for block in self.encoder:
            x = block(x, mask)
        return x, self.duration(x, mask)

    def decode(self, frames, mask):
        """frames [B,C+2,T] -> log f0 [B,1,T], harmonic amplitudes [B,K,T], noise bands [B,Bn,T]."""
        x = self.decoder_in(frames) * mask
        for block in self.decoder:
            x = block(x, mask)
        out = self.head(x)
        k = self.config.n_harmonics
        # Scaled so Adam's early steps cannot swing the pitch by octaves.
        log_f0 = self.f0_offset + self.f0_scale * out[:, 0:1]
        loudness = bounded_amplitude(out[:, 1:2])
        distribution = torch.softmax(out[:, 2:2 + k], dim=1)
        noise = bounded_amplitude(out[:, 2 + k:])
        return log_f0, loudness * distribution, noise

    def forward(self, input, input_lengths, scales):
        """Piper's interface, batch 1: returns audio [1,1,T*256] and durations used [1,N]."""
        ids = input[:, :input_lengths[0]]
        mask = torch.ones_like(ids, dtype=torch.float32).unsqueeze(1)
        hidden, log_duration = self.encode(ids, mask)
        frames_per_id = torch.round(torch.clamp(torch.exp(log_duration) - 1.0, min=0.0) * scales[1])
        is_phone = (ids >= FIRST_PHONE_ID).float()
        # A phone always sounds (>= 1 frame); pads never do.
        frames_per_id = torch.maximum(frames_per_id, is_phone) * (ids != PAD_ID).float()
        frames = length_regulate(hidden, frames_per_id[0].long())
        frame_mask = torch.ones_like(frames[:, :1])
        log_f0, amplitudes, noise = self.decode(frames, frame_mask)
        audio = self.synth(torch.exp(log_f0), amplitudes, noise) * self.output_gain
        return torch.clamp(audio, -1.0, 1.0), frames_per_id
