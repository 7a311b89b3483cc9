"""The trainable voice: length regulator, DSP shapes, a training smoke run, ONNX export."""
import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np

from helpers import REPO

try:
    import onnx
    import torch
except ImportError as error:  # the data-step tests still run without torch
    raise unittest.SkipTest(f"needs Debian's python3-torch and python3-onnx: {error}")

from voicemodel.dataset import Utterance, make_batch
from voicemodel.dsp import HOP, HarmonicPlusNoise, harmonic_sines
from voicemodel.losses import SpectralLoss
from voicemodel.model import ModelConfig, VoxletTTS, length_regulate
from voicemodel.onnx_weights import state_dict_from_onnx
from voicemodel.training import training_losses
import export

TINY = dict(channels=16, encoder_layers=1, decoder_dilations=(1,), duration_channels=8,
            n_harmonics=8, n_noise_bands=8, dropout=0.0)


def regulate(durations, channels=3):
    hidden = torch.arange(len(durations) * channels, dtype=torch.float32).view(1, channels, len(durations))
    return hidden, length_regulate(hidden, torch.tensor(durations, dtype=torch.int64))


class LengthRegulatorTest(unittest.TestCase):
    def test_output_length_is_sum_of_durations(self):
        for durations in ([1], [3, 0, 2], [0, 0, 5, 0], [2, 2, 2, 2], [7, 1, 0, 0, 1]):
            _, frames = regulate(durations)
            self.assertEqual(frames.shape[2], sum(durations), durations)

    def test_each_frame_copies_its_ids_vector(self):
        hidden, frames = regulate([2, 0, 3])
        owners = [0, 0, 2, 2, 2]
        for t, owner in enumerate(owners):
            self.assertTrue(torch.equal(frames[0, :3, t], hidden[0, :, owner]))

    def test_position_features_run_inside_each_id(self):
        _, frames = regulate([2, 3])
        relative = frames[0, 3].tolist()
        self.assertEqual([round(r, 4) for r in relative], [0.25, 0.75, round(1 / 6, 4), 0.5, round(5 / 6, 4)])


class SynthesizerTest(unittest.TestCase):
    def test_output_has_hop_samples_per_frame_and_a_pitch(self):
        synth = HarmonicPlusNoise(n_harmonics=4, n_noise_bands=8)
        frames = 20
        f0 = torch.full((1, 1, frames), 200.0)
        amplitudes = torch.zeros(1, 4, frames)
        amplitudes[:, 0] = 0.5
        audio = synth(f0, amplitudes, torch.zeros(1, 8, frames))
        self.assertEqual(tuple(audio.shape), (1, 1, frames * HOP))
        spectrum = np.abs(np.fft.rfft(audio[0, 0].numpy()))
        peak_hz = np.argmax(spectrum) * 22050 / (frames * HOP)
        self.assertAlmostEqual(peak_hz, 200.0, delta=10.0)


    def test_harmonic_sines_equal_direct_sines(self):
        cycles = torch.rand(3, 5, 1, HOP)
        for count in (1, 2, 7, 8, 9, 17, 48):
            k = torch.arange(1, count + 1, dtype=torch.float64).view(count, 1)
            expected = torch.sin(2 * np.pi * k * cycles.double())
            got = harmonic_sines(cycles, count)
            self.assertEqual(tuple(got.shape), (3, 5, count, HOP))
            self.assertLess(float((got.double() - expected).abs().max()), 1e-4, count)

    def test_flat_noise_keeps_the_trained_level_and_is_steady(self):
        # Band magnitude m gives noise of RMS m / sqrt(1536): the level the voice was trained at
        # (1,024-point Hann design); the DSP may change, this level may not.
        synth = HarmonicPlusNoise(n_harmonics=4, n_noise_bands=16)
        m, frames = 0.5, 600
        noise = synth.noise(torch.full((1, 16, frames), m))[0, 0].numpy()[HOP * 4:-HOP * 4]
        self.assertAlmostEqual(float(noise.std()), m / np.sqrt(1536), delta=0.05 * m / np.sqrt(1536))
        power = np.mean(noise.reshape(-1, HOP // 4) ** 2, axis=1)
        self.assertLess(float(power.std() / power.mean()), 0.3)   # no pumping at the frame rate


def fake_utterance(seed, n_ids=9):
    rng = np.random.default_rng(seed)
    ids = np.array([1, 0, 45, 0, 35, 0, 54, 0, 2][:n_ids], np.int64)
    durations = np.array([5, 0, 6, 0, 9, 0, 7, 0, 5], np.int64)
    n_frames = int(durations.sum())
    t = np.arange(n_frames * HOP) / 22050
    audio = (0.3 * np.sin(2 * np.pi * 180 * t) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    return Utterance(f"u{seed}", "train", "hello", ids, durations, audio,
                     np.full(n_frames, np.log(180.0), np.float32))


class TrainingSmokeTest(unittest.TestCase):
    def test_two_steps_decrease_the_loss(self):
        torch.manual_seed(0)
        model = VoxletTTS(ModelConfig(**TINY))
        spectral = SpectralLoss()
        batch = make_batch([fake_utterance(1), fake_utterance(2)], crop_frames=16, rng=np.random.default_rng(0))
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        before = float(training_losses(model, spectral, batch, 16)["total"])
        for _ in range(2):
            loss = training_losses(model, spectral, batch, 16)["total"]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        after = float(training_losses(model, spectral, batch, 16)["total"])
        self.assertLess(after, before)


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp())
        cls.model = model = VoxletTTS(ModelConfig(**TINY))
        with torch.no_grad():  # distinct values, as trained weights have (the exporter merges equal initializers)
            for param in model.parameters():
                param.add_(0.01 * torch.randn_like(param))
        torch.save({"model": model.state_dict(), "config": model.config.to_dict(), "step": 0}, cls.tmp / "ckpt.pt")
        export.main(["--checkpoint", str(cls.tmp / "ckpt.pt"), "--voice-dir", str(cls.tmp / "voice"),
                     "--calibrate", str(cls.tmp / "no-manifest.jsonl"),
                     "--template", str(REPO / "models" / "voxlet-test-arpabet" / "voice.json")])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_graph_passes_checker_with_documented_interface(self):
        graph = onnx.load(str(self.tmp / "voice" / "model.onnx"))
        onnx.checker.check_model(graph)
        ranks = {v.name: len(v.type.tensor_type.shape.dim) for v in list(graph.graph.input) + list(graph.graph.output)}
        self.assertEqual([v.name for v in graph.graph.input], ["input", "input_lengths", "scales"])
        self.assertEqual([v.name for v in graph.graph.output], ["output", "durations"])
        self.assertEqual(ranks, {"input": 2, "input_lengths": 1, "scales": 1, "output": 3, "durations": 2})

    def test_voice_config_names_the_file_with_its_hash(self):
        config = json.loads((self.tmp / "voice" / "voice.json").read_text())
        variant = config["voxlet"]["variants"][0]
        self.assertEqual(variant["file"], "model.onnx")
        self.assertEqual(variant["size"], (self.tmp / "voice" / "model.onnx").stat().st_size)
        self.assertEqual(config["audio"]["sample_rate"], 22050)
        self.assertEqual(config["voxlet"]["outputs"], {"audio": "output", "durations": "durations"})

    def test_weights_read_back_from_the_export_equal_the_trained_ones(self):
        fresh = VoxletTTS(ModelConfig(**TINY))
        state = state_dict_from_onnx(fresh, self.tmp / "voice" / "model.onnx")
        trained = self.model.state_dict()
        self.assertEqual(sorted(state), sorted(trained))
        for name, value in trained.items():
            self.assertTrue(torch.equal(state[name], value), name)

    def test_reading_another_models_export_names_the_parameter(self):
        other = VoxletTTS(ModelConfig(**{**TINY, "channels": 24}))
        with self.assertRaisesRegex(ValueError, r"cannot place parameter embedding\.weight"):
            state_dict_from_onnx(other, self.tmp / "voice" / "model.onnx")

    @unittest.skipUnless(shutil.which("node") and (REPO / "web" / "dist" / "engine").is_dir()
                         and (REPO / "web" / "node_modules" / "onnxruntime-web").is_dir(), "needs node, web/dist, onnxruntime-web")
    def test_runs_in_onnxruntime_web(self):
        wav = self.tmp / "out.wav"
        result = subprocess.run(["node", str(REPO / "web" / "bin" / "voxlet.mjs"), "synth", "--voice",
                                 str(self.tmp / "voice" / "voice.json"), "-o", str(wav), "Hello there."],
                                capture_output=True, text=True, check=False, cwd=REPO)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreater(wav.stat().st_size, 44)


if __name__ == "__main__":
    unittest.main()
