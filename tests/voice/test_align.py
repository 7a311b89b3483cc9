"""The alignment programme on hand-written cases, with durations worked out by hand."""
import unittest

import helpers  # noqa: F401
from voicedata import align

PAD = 0


def sentence(symbols, words=()):
    """A phonemize-like sentence: each symbol followed by a pad, except the last (EOS)."""
    ids = []
    for k, _ in enumerate(symbols):
        ids.append(k + 1)
        if k + 1 < len(symbols):
            ids.append(PAD)
    return {"phonemes": list(symbols), "ids": ids,
            "words": [{"text": text, "ids": [begin, end]} for text, begin, end in words]}


def segments(*pairs):
    """(phone, frames) pairs -> Festival-style [phone, end time, word] with exact frame ends."""
    out, frame = [], 0
    for phone, frames in pairs:
        frame += frames
        out.append([phone, frame * align.HOP / align.SAMPLE_RATE, ""])
    return out


def non_pad(durations):
    return durations[0::2]  # symbols sit at even positions, pads at odd ones


class DurationTest(unittest.TestCase):
    def check(self, symbols, pairs, expected, n_frames=None):
        teacher = segments(*pairs)
        total = n_frames if n_frames is not None else sum(frames for _, frames in pairs)
        durations, cost = align.durations_for(sentence(symbols), teacher, total)
        self.assertEqual(non_pad(durations), expected)
        self.assertTrue(all(d == 0 for d in durations[1::2]), "pads must get 0 frames")
        self.assertEqual(sum(durations), total)
        return cost

    def test_exact_match_edges_take_silence(self):
        cost = self.check(["^", "HH", "AY1", "$"],
                          [("pau", 9), ("hh", 8), ("ay", 17), ("pau", 10)], [9, 8, 17, 10])
        self.assertEqual(cost, 0.0)

    def test_pause_goes_to_punctuation_not_space(self):
        self.check(["^", "N", "OW1", ",", " ", "Y", "EH1", "S", ".", "$"],
                   [("pau", 5), ("n", 6), ("ow", 10), ("pau", 8), ("y", 4), ("eh", 9), ("s", 7), ("pau", 12)],
                   [5, 6, 10, 8, 0, 4, 9, 7, 0, 12])

    def test_pause_between_words_without_punctuation_goes_to_space(self):
        self.check(["^", "G", "OW1", " ", "N", "AW1", "$"],
                   [("pau", 3), ("g", 5), ("ow", 9), ("pau", 6), ("n", 4), ("aw", 11), ("pau", 7)],
                   [3, 5, 9, 6, 4, 11, 7])

    def test_space_without_pause_gets_nothing(self):
        self.check(["^", "G", "OW1", " ", "N", "AW1", "$"],
                   [("pau", 3), ("g", 5), ("ow", 9), ("n", 4), ("aw", 11), ("pau", 7)],
                   [3, 5, 9, 0, 4, 11, 7])

    def test_schwa_matches_ah0_for_free(self):
        cost = self.check(["^", "AH0", "B", "AW1", "T", "$"],
                          [("pau", 4), ("ax", 3), ("b", 5), ("aw", 12), ("t", 6), ("pau", 9)],
                          [4, 3, 5, 12, 6, 9])
        self.assertEqual(cost, 0.0)

    def test_extra_teacher_phone_joins_previous_phone(self):
        cost = self.check(["^", "K", "AE1", "T", "$"],
                          [("pau", 4), ("k", 6), ("ae", 10), ("t", 5), ("s", 7), ("pau", 8)],
                          [4, 6, 10, 12, 8])
        self.assertAlmostEqual(cost, align.INSERT_PHONE / 3)

    def test_skipped_engine_phone_borrows_one_frame(self):
        # Teacher drops L: L gets one frame from its richer neighbour IY1 (12 > P's 5).
        self.check(["^", "P", "L", "IY1", "Z", "$"],
                   [("pau", 4), ("p", 5), ("iy", 12), ("z", 8), ("pau", 6)],
                   [4, 5, 1, 11, 8, 6])

    def test_two_leading_pauses_both_go_to_bos(self):
        self.check(["^", "OW1", "$"], [("pau", 3), ("pau", 4), ("ow", 10), ("pau", 5)], [7, 10, 5])

    def test_near_substitution_costs_less_than_unrelated(self):
        near = self.check(["^", "D", "$"], [("pau", 2), ("t", 5), ("pau", 2)], [2, 5, 2])
        far = self.check(["^", "D", "$"], [("pau", 2), ("m", 5), ("pau", 2)], [2, 5, 2])
        self.assertLess(0.0, near)
        self.assertLess(near, far)

    def test_rounding_fixed_up_to_audio_length(self):
        # Teacher timings end 2 frames short of the audio: the last segment takes them.
        self.check(["^", "HH", "AY1", "$"],
                   [("pau", 9), ("hh", 8), ("ay", 17), ("pau", 10)], [9, 8, 17, 12], n_frames=46)

    def test_unrelated_teacher_speech_costs_more_than_the_limit(self):
        _, cost = align.durations_for(sentence(["^", "K", "AE1", "T", "$"]),
                                      segments(("pau", 3), ("m", 4), ("iy", 9), ("pau", 3)), 19)
        self.assertGreater(cost, align.MAX_COST_PER_PHONE)


class FramesTest(unittest.TestCase):
    def test_segment_frames_rounds_and_pins(self):
        # 0.1 s -> 8.61 -> 9; 0.25 s -> 21.53 -> 22; 0.3 s -> 25.8 -> pinned to 27.
        self.assertEqual(align.segment_frames([0.1, 0.25, 0.3], 27), [9, 13, 5])

    def test_segment_frames_never_negative_or_past_the_end(self):
        self.assertEqual(align.segment_frames([0.2, 0.1, 9.0], 20), [17, 0, 3])

    def test_frames_of_rounds_up(self):
        self.assertEqual([align.frames_of(n) for n in (0, 1, 256, 257)], [0, 1, 1, 2])

    def test_silent_words(self):
        s = sentence(["^", "OW1", " ", "N", "OW1", "$"], words=[("oh", 2, 3), ("no", 6, 9)])
        self.assertEqual(align.silent_words(s, [1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1]), ["no"])
        self.assertEqual(align.silent_words(s, [1, 0, 5, 0, 0, 0, 2, 0, 3, 0, 1]), [])

    def test_token_count_must_match_ids(self):
        broken = sentence(["^", "OW1", "$"])
        broken["phonemes"].append("T")
        with self.assertRaises(ValueError):
            align.engine_tokens(broken)


if __name__ == "__main__":
    unittest.main()
