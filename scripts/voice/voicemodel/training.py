"""One training step's losses: durations on whole sentences, everything else on frame crops."""
import torch
from torch.nn import functional as F

from .model import length_regulate

LOSS_WEIGHTS = {"duration": 1.0, "f0": 1.0, "convergence": 1.0, "log_magnitude": 1.0, "log_mel": 1.0}


def cropped_frames(model, hidden, batch, crop_frames):
    """Regulated frames of each sentence's crop, widened by the decoder's receptive radius so
    the crop's centre frames see the same context as in a whole-sentence pass."""
    radius = model.config.decoder_radius
    width = crop_frames + 2 * radius
    crops, masks = [], []
    for b, (length, start) in enumerate(zip(batch["lengths"], batch["starts"])):
        frames = length_regulate(hidden[b:b + 1, :, :length], batch["durations"][b, :length])
        n_frames = frames.shape[2]
        lo, hi = start - radius, start + crop_frames + radius
        piece = frames[:, :, max(lo, 0):min(hi, n_frames)]
        pad_left, pad_right = max(0, -lo), max(0, hi - n_frames)
        crops.append(F.pad(piece, (pad_left, pad_right)))
        mask = torch.zeros(1, 1, width)
        mask[:, :, pad_left:width - pad_right] = 1.0
        masks.append(mask)
    return torch.cat(crops), torch.cat(masks), radius


def training_losses(model, spectral_loss, batch, crop_frames):
    ids = batch["ids"]
    id_mask = (torch.arange(ids.shape[1]).unsqueeze(0) < torch.tensor(batch["lengths"]).unsqueeze(1)).float()
    hidden, log_duration = model.encode(ids, id_mask.unsqueeze(1))
    target_log_duration = torch.log1p(batch["durations"].float())
    duration = torch.sum((log_duration - target_log_duration) ** 2 * id_mask) / id_mask.sum()

    frames, frame_mask, radius = cropped_frames(model, hidden, batch, crop_frames)
    log_f0, amplitudes, noise = model.decode(frames, frame_mask)
    centre = slice(radius, radius + crop_frames)
    inside = frame_mask[:, :, centre]
    f0 = torch.sum(torch.abs(log_f0[:, :, centre] - batch["log_f0"].unsqueeze(1)) * inside) / inside.sum()
    # The synthesizer follows the teacher's f0 in training; the f0 head learns it separately.
    audio = model.synth(torch.exp(batch["log_f0"]).unsqueeze(1), amplitudes[:, :, centre], noise[:, :, centre])
    losses = {"duration": duration, "f0": f0, **spectral_loss(audio.squeeze(1), batch["audio"])}
    losses["total"] = sum(LOSS_WEIGHTS[k] * v for k, v in losses.items())
    return losses
