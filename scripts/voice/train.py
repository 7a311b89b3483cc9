#!/usr/bin/env python3
"""Recipe step `train`: fit the Voxlet voice on WORK/manifest.jsonl (CPU, 2 threads).

Resumable: WORK/train/latest.pt is rewritten every --checkpoint-minutes and on exit;
WORK/train/best.pt holds the weights with the lowest held-out loss; WORK/train/log.jsonl
has one line of losses per report. Stops after --minutes of training (wall) or --max-steps.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voicemodel.dataset import load_utterances, make_batch  # noqa: E402
from voicemodel.losses import SpectralLoss  # noqa: E402
from voicemodel.model import ModelConfig, VoxletTTS, load_weights  # noqa: E402
from voicemodel.onnx_weights import state_dict_from_onnx  # noqa: E402
from voicemodel.training import training_losses  # noqa: E402


def parse_args(argv=None):
    work = Path(os.environ.get("VOXLET_VOICE_WORK", "build/voice"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--manifest", type=Path, default=work / "manifest.jsonl")
    p.add_argument("--out", type=Path, default=work / "train")
    p.add_argument("--limit", type=int, default=None, help="use only the first N manifest rows")
    p.add_argument("--minutes", type=float, default=50.0, help="wall-clock training budget this run")
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--crop-frames", type=int, default=48)
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint-minutes", type=float, default=3.0)
    p.add_argument("--eval-every", type=int, default=100, help="steps between held-out evaluations")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--init-onnx", type=Path, default=None,
                   help="with no latest.pt: start from the weights of this exported voice (e.g. "
                        "models/voxlet-en-us-slt/model.onnx) instead of random ones")
    return p.parse_args(argv)


def save(path, model, optimizer, step, best_loss, elapsed):
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict() if optimizer else None,
                "config": model.config.to_dict(), "step": step, "best_loss": best_loss,
                "train_seconds": elapsed}, tmp)
    tmp.replace(path)   # atomic: a session killed mid-write keeps the previous checkpoint


def heldout_loss(model, spectral, batches, crop_frames):
    model.eval()
    with torch.no_grad():
        totals = [training_losses(model, spectral, b, crop_frames) for b in batches]
    model.train()
    return {k: float(np.mean([float(t[k]) for t in totals])) for k in totals[0]}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    utterances = load_utterances(args.manifest, f0_cache=args.out / "f0.npz", limit=args.limit)
    train = [u for u in utterances if u.split == "train"] or utterances
    heldout = [u for u in utterances if u.split != "train"] or utterances[:2]
    print(f"train: {len(train)} sentences, held-out: {len(heldout)}", flush=True)
    eval_rng = np.random.default_rng(12345)
    eval_batches = [make_batch(heldout[i:i + args.batch], args.crop_frames, eval_rng)
                    for i in range(0, min(len(heldout), 4 * args.batch), args.batch)]

    model = VoxletTTS(ModelConfig())
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-6)
    spectral = SpectralLoss()
    latest, best = args.out / "latest.pt", args.out / "best.pt"
    step, best_loss, elapsed_before = 0, float("inf"), 0.0
    if latest.exists():
        state = torch.load(latest)
        load_weights(model, state["model"])
        optimizer.load_state_dict(state["optimizer"])
        for group in optimizer.param_groups:   # the saved state carries the old rate: --lr wins
            group["lr"] = args.lr
        step, best_loss, elapsed_before = state["step"], state["best_loss"], state["train_seconds"]
        print(f"resumed at step {step} ({elapsed_before / 60:.1f} min trained), lr {args.lr:g}", flush=True)
    elif args.init_onnx:
        # Checkpoints stay on the machine that wrote them; the shipped model carries the weights
        # (not the optimizer's moments: AdamW starts afresh, so use a modest --lr).
        load_weights(model, state_dict_from_onnx(model, args.init_onnx))
        print(f"initialized from {args.init_onnx}, lr {args.lr:g}", flush=True)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)

    rng = np.random.default_rng(args.seed + step)
    started = last_checkpoint = time.time()
    log = open(args.out / "log.jsonl", "a", encoding="utf-8")
    run_steps = 0
    while True:
        elapsed = time.time() - started
        if elapsed > args.minutes * 60 or (args.max_steps is not None and run_steps >= args.max_steps):
            break
        batch = make_batch([train[i] for i in rng.choice(len(train), min(args.batch, len(train)), replace=False)],
                           args.crop_frames, rng)
        losses = training_losses(model, spectral, batch, args.crop_frames)
        optimizer.zero_grad()
        losses["total"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        run_steps += 1
        record = {"step": step, "minutes": round((elapsed_before + time.time() - started) / 60, 2),
                  **{k: round(float(v), 4) for k, v in losses.items()}}
        if step % args.eval_every == 0:
            held = heldout_loss(model, spectral, eval_batches, args.crop_frames)
            record["heldout"] = {k: round(v, 4) for k, v in held.items()}
            if held["total"] < best_loss:
                best_loss = held["total"]
                save(best, model, None, step, best_loss, elapsed_before + time.time() - started)
        if step % 10 == 0 or "heldout" in record:
            print(json.dumps(record), flush=True)
            log.write(json.dumps(record) + "\n")
            log.flush()
        if time.time() - last_checkpoint > args.checkpoint_minutes * 60:
            save(latest, model, optimizer, step, best_loss, elapsed_before + time.time() - started)
            last_checkpoint = time.time()
    save(latest, model, optimizer, step, best_loss, elapsed_before + time.time() - started)
    if not best.exists():
        save(best, model, None, step, best_loss, elapsed_before + time.time() - started)
    print(f"stopped at step {step}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
