"""The evaluation step's pure parts: scoring words, word errors, mel cepstra and MCD,
pocketsphinx output parsing (no tools needed; < 5 s)."""
import unittest

import numpy as np

import helpers  # noqa: F401  (import path)
from voicedata import scoring
import evaluate

RATE = scoring.SAMPLE_RATE


def speechlike(seconds=1.0, seed=0):
    """A deterministic voiced-ish signal: harmonics of a gliding f0 under a slow envelope,
    plus a little noise, with silence around it."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 150 + 40 * np.sin(2 * np.pi * 1.3 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 20))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3 * t) ** 2
    signal = 0.1 * voiced * envelope + 0.003 * rng.standard_normal(t.size)
    silence = np.zeros(RATE // 5)
    return np.concatenate([silence, signal, silence])


class ScoreWordsTest(unittest.TestCase):
    def test_lowercase_and_punctuation(self):
        self.assertEqual(scoring.score_words("Hello, World! How's it -- going?"),
                         ["hello", "world", "how's", "it", "going"])

    def test_quotes_are_not_apostrophes(self):
        self.assertEqual(scoring.score_words("'quoted' words' end"), ["quoted", "words", "end"])

    def test_digits_spelled_the_same_way_on_both_sides(self):
        self.assertEqual(scoring.score_words("Room 42"), ["room", "four", "two"])
        self.assertEqual(scoring.score_words("room4"), ["room", "four"])

    def test_empty(self):
        self.assertEqual(scoring.score_words(""), [])
        self.assertEqual(scoring.score_words(" ... !"), [])

    def test_engine_normalized_text_and_recognizer_output_agree(self):
        normalized = "the peasants were not very rich, and one of the few ways."
        heard = "the peasants were not very rich and one of the few ways"
        self.assertEqual(scoring.score_words(normalized), scoring.score_words(heard))


class WordErrorsTest(unittest.TestCase):
    def errors(self, reference, hypothesis):
        return scoring.word_errors(reference.split(), hypothesis.split())

    def test_identical(self):
        self.assertEqual(self.errors("a b c", "a b c"), (0, 0, 0))

    def test_one_of_each(self):
        # a b c d -> a x c d e: b->x substituted, e inserted.
        self.assertEqual(self.errors("a b c d", "a x c d e"), (1, 0, 1))
        self.assertEqual(self.errors("a b c d", "a c d"), (0, 1, 0))

    def test_empty_sides(self):
        self.assertEqual(self.errors("", ""), (0, 0, 0))
        self.assertEqual(self.errors("", "a b"), (0, 0, 2))
        self.assertEqual(self.errors("a b c", ""), (0, 3, 0))

    def test_minimum_edit_distance(self):
        # Shifted by one word: one deletion + one insertion beats four substitutions.
        self.assertEqual(sum(self.errors("a b c d", "b c d e")), 2)

    def test_wer_percent(self):
        self.assertEqual(scoring.wer(3, 12), 25.0)
        self.assertEqual(scoring.wer(0, 0), 0.0)
        self.assertEqual(scoring.wer(2, 0), 100.0)


class MelCepstralDistortionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.signal = speechlike()
        cls.cepstra = scoring.mel_cepstra(cls.signal)

    def test_shape(self):
        self.assertEqual(self.cepstra.shape[1], scoring.N_CEPSTRA)
        # Silence around the signal is trimmed: about 1 s of 5 ms frames remain.
        self.assertLess(abs(self.cepstra.shape[0] - 200), 10)

    def test_identical_is_zero(self):
        self.assertAlmostEqual(scoring.mcd(self.cepstra, self.cepstra), 0.0, places=4)

    def test_level_and_whole_frame_shift_do_not_count(self):
        shifted = np.concatenate([np.zeros(10 * scoring.HOP), 0.3 * self.signal])
        self.assertLess(scoring.mcd(self.cepstra, scoring.mel_cepstra(shifted)), 0.01)

    def test_time_stretch_is_aligned(self):
        # Every frame's samples repeated by 1.25 in time (a slower copy): DTW keeps MCD small
        # next to a different signal.
        slower = np.interp(np.arange(0, self.signal.size, 0.8), np.arange(self.signal.size), self.signal)
        different = scoring.mel_cepstra(speechlike(seed=1) + 0.05 * np.random.default_rng(2).standard_normal(self.signal.size))
        stretched = scoring.mcd(self.cepstra, scoring.mel_cepstra(slower))
        self.assertLess(stretched, 0.5 * scoring.mcd(self.cepstra, different))

    def test_noise_raises_mcd(self):
        rng = np.random.default_rng(3)
        light = scoring.mcd(self.cepstra, scoring.mel_cepstra(self.signal + 0.001 * rng.standard_normal(self.signal.size)))
        heavy = scoring.mcd(self.cepstra, scoring.mel_cepstra(self.signal + 0.05 * rng.standard_normal(self.signal.size)))
        self.assertLess(light, heavy)
        self.assertGreater(heavy, 5.0)

    def test_symmetric(self):
        other = scoring.mel_cepstra(speechlike(seed=4))
        self.assertAlmostEqual(scoring.mcd(self.cepstra, other), scoring.mcd(other, self.cepstra), places=6)

    def test_empty_is_nan(self):
        self.assertTrue(np.isnan(scoring.mcd(np.zeros((0, 24)), self.cepstra)))

    def test_mcd_formula_on_a_constant_offset(self):
        # Frames differing by 1 in c1 only: (10 / ln 10) * sqrt(2) dB.
        a = np.zeros((5, 24))
        b = a.copy()
        b[:, 0] = 1.0
        self.assertAlmostEqual(scoring.mcd(a, b), 10 / np.log(10) * np.sqrt(2), places=6)


class DtwPathTest(unittest.TestCase):
    def test_path_is_monotonic_and_complete(self):
        cost = np.random.default_rng(5).random((7, 4))
        path = scoring.dtw_path(cost)
        self.assertEqual(path[0], (0, 0))
        self.assertEqual(path[-1], (6, 3))
        for (i0, j0), (i1, j1) in zip(path, path[1:]):
            self.assertIn((i1 - i0, j1 - j0), [(1, 0), (0, 1), (1, 1)])

    def test_matches_a_plain_loop(self):
        cost = np.random.default_rng(6).random((9, 12))
        total = np.full((10, 13), np.inf)
        total[0, 0] = 0.0
        for i in range(1, 10):
            for j in range(1, 13):
                total[i, j] = cost[i - 1, j - 1] + min(total[i - 1, j], total[i, j - 1], total[i - 1, j - 1])
        path = scoring.dtw_path(cost)
        self.assertAlmostEqual(sum(cost[i, j] for i, j in path), total[9, 12], places=9)


class HypothesisParsingTest(unittest.TestCase):
    def test_pocketsphinx_batch_lines(self):
        text = "the peasants were not very rich (s000c37f3d4 -25900)\n (s0empty -120)\nhello (s1 -5 -3 -2)\n"
        self.assertEqual(evaluate.parse_hypotheses(text),
                         {"s000c37f3d4": "the peasants were not very rich", "s0empty": "", "s1": "hello"})


class PostProcessingChecksTest(unittest.TestCase):
    def test_peak_and_dc_levels(self):
        tone = 0.5 * np.sin(2 * np.pi * 200 * np.arange(RATE) / RATE)
        self.assertAlmostEqual(scoring.peak_dbfs(tone), -6.02, places=1)
        self.assertLess(scoring.dc_offset_dbfs(tone), -80)
        self.assertAlmostEqual(scoring.dc_offset_dbfs(tone + 0.01), -40.0, places=1)

    def test_smooth_join_is_not_a_click(self):
        voiced = speechlike()
        middle = len(voiced) // 2
        self.assertLess(scoring.join_click_ratio(voiced, middle, RATE), scoring.CLICK_RATIO)

    def test_a_step_at_the_join_is_a_click(self):
        voiced = speechlike()
        middle = len(voiced) // 2
        stepped = voiced.copy()
        stepped[middle:] += 0.2                      # a discontinuity where two chunks meet
        self.assertGreater(scoring.join_click_ratio(stepped, middle, RATE), scoring.CLICK_RATIO)

    def test_join_in_silence_only_counts_audible_steps(self):
        quiet = np.zeros(RATE)
        quiet[RATE // 2:] = 1e-4                     # -80 dBFS: not heard
        self.assertLess(scoring.join_click_ratio(quiet, RATE // 2, RATE), scoring.CLICK_RATIO)
        quiet[RATE // 2:] = 0.05
        self.assertGreater(scoring.join_click_ratio(quiet, RATE // 2, RATE), scoring.CLICK_RATIO)


if __name__ == "__main__":
    unittest.main()
