"""Corpus cleaning, filtering and selection rules (table-driven)."""
import unittest

import helpers  # noqa: F401  (sets the import path)
from voicedata import corpus

DIAG_OK = {"skipped_characters": 0, "unknown_phonemes": 0, "invalid_utf8": 0, "out_of_lexicon_words": 0}


class RejectionRulesTest(unittest.TestCase):
    CASES = [  # (sentence, expected reason or None)
        ("The cat sat on the mat.", None),
        ("Is it raising the stakes?", None),
        ("Hide the eggs!", None),
        ("There are 22 million of them.", None),
        ("Dr. Smith paid $5 for 50% of it.", None),
        ("Don't panic.", "too-short"),
        ("Go home.", "too-short"),
        ("Word " + " ".join(["word"] * 25) + ".", "too-long"),
        ("Word " + " ".join(["word"] * 24) + ".", None),
        ("Visit http://example.org for more.", "url-or-email"),
        ("Write to me at bob@example.com today.", "url-or-email"),
        ("Type rm -rf /tmp now please.", "code-or-markup"),
        ("The result is a[i] = b plus one.", "code-or-markup"),
        ("The answer (as usual) is no.", "parenthesis"),
        ("and then it went away.", "fragment"),
        ("This line never ends", "no-final-punctuation"),
        ("What did you say?!", "repeated-punctuation"),
        ("Stop it right now!!", "repeated-punctuation"),
        ("Q: Why did it cross the road?", "dialog-label"),
        ("Murphy's Law: It will fail.", None),
        ("The B52 flew over the town.", "mixed-letters-digits"),
        ("This is VERY important to me.", "all-caps"),
        ("I am OK with that plan.", None),
        ("He said 'no way' to the deal.", "stray-quote"),
        ("Caf\u00e9 au lait is my drink.", "non-ascii"),
    ]

    def test_table(self):
        for sentence, expected in self.CASES:
            with self.subTest(sentence=sentence):
                self.assertEqual(corpus.rejection_reason(sentence), expected)


class FrontEndRulesTest(unittest.TestCase):
    def reply(self, sentences=1, words=5, **diagnostics):
        sentence = {"words": [{}] * words}
        return {"sentences": [sentence] * sentences, "diagnostics": dict(DIAG_OK, **diagnostics)}

    def test_table(self):
        cases = [
            (self.reply(), None),
            (self.reply(out_of_lexicon_words=1), None),
            (self.reply(out_of_lexicon_words=2), "out-of-lexicon"),
            (self.reply(sentences=2), "not-one-sentence"),
            (self.reply(sentences=0), "not-one-sentence"),
            (self.reply(skipped_characters=1), "unspeakable-characters"),
            (self.reply(unknown_phonemes=1), "unspeakable-characters"),
            (self.reply(words=33), "too-long-spoken"),
            ({"id": "x", "error": "BAD"}, "front-end-error"),
        ]
        for reply, expected in cases:
            with self.subTest(reply=reply):
                self.assertEqual(corpus.front_end_rejection(reply), expected)


class CleaningTest(unittest.TestCase):
    def test_fortune_entries_split_on_percent_lines(self):
        text = "First one.\n%\nSecond\nline two.\n%\n\n%\nThird.\n"
        self.assertEqual(corpus.read_fortune_entries(text), ["First one.", "Second\nline two.", "Third."])

    def test_passage_joins_lines_and_drops_attribution(self):
        entry = "Never put off\n  till tomorrow.\n\t\t-- Mark Twain\n"
        self.assertEqual(corpus.passage_from_entry(entry), "Never put off till tomorrow.")

    def test_clean_passage_table(self):
        cases = [
            ("He said \u201chello\u201d.", "He said hello."),
            ("It\u2019s ``quoted'' text.", "It's quoted text."),
            ("Wait -- what?", "Wait, what?"),
            ("Stop --.", "Stop."),
            ("a\u00a0 b\tc", "a b c"),
        ]
        for raw, expected in cases:
            with self.subTest(raw=raw):
                self.assertEqual(corpus.clean_passage(raw), expected)

    def test_dedup_key_ignores_case_punctuation_spacing(self):
        self.assertEqual(corpus.dedup_key("Hello, World!"), corpus.dedup_key("hello   world."))
        self.assertNotEqual(corpus.dedup_key("Hello world."), corpus.dedup_key("Hello word."))

    def test_sentence_kind_table(self):
        cases = [("Why not?", "question"), ("Run away!", "exclamation"), ("I have 3 cats.", "number"),
                 ("I met John Smith today.", "name"), ("It rains, Then it pours.", "statement"),
                 ("The end is near.", "statement")]
        for sentence, kind in cases:
            with self.subTest(sentence=sentence):
                self.assertEqual(corpus.sentence_kind(sentence), kind)


class SelectionTest(unittest.TestCase):
    def candidates(self):
        kinds = ["question", "exclamation", "number", "name", "statement"]
        return [{"id": f"s{k:04d}", "kind": kinds[k % 5], "source": "t", "text": f"Sentence {k}."}
                for k in range(500)]

    def test_seeded_selection_is_deterministic_and_splits(self):
        first = corpus.select(self.candidates(), 100, 20, seed=7)
        again = corpus.select(self.candidates(), 100, 20, seed=7)
        other = corpus.select(self.candidates(), 100, 20, seed=8)
        self.assertEqual(first, again)
        self.assertNotEqual([r["id"] for r in first], [r["id"] for r in other])
        self.assertEqual(len(first), 100)
        self.assertEqual(len({r["id"] for r in first}), 100)
        self.assertEqual(sum(r["split"] == "test" for r in first), 20)

    def test_quotas_and_every_kind_in_test(self):
        rows = corpus.select(self.candidates(), 100, 20, seed=7)
        kinds = [r["kind"] for r in rows]
        self.assertEqual(kinds.count("question"), round(100 * corpus.KIND_QUOTAS["question"]))
        self.assertEqual({r["kind"] for r in rows if r["split"] == "test"},
                         {"question", "exclamation", "number", "name", "statement"})

    def test_tsv_round_trip(self):
        import tempfile
        from pathlib import Path
        rows = corpus.select(self.candidates(), 10, 2, seed=1)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.tsv"
            corpus.write_tsv(rows, path)
            back = corpus.read_tsv(path)
        self.assertEqual([(r["id"], r["split"], r["text"]) for r in back],
                         [(r["id"], r["split"], r["text"]) for r in rows])

    def test_id_depends_on_text_only(self):
        self.assertEqual(corpus.sentence_id("A b c."), corpus.sentence_id("A b c."))
        self.assertNotEqual(corpus.sentence_id("A b c."), corpus.sentence_id("A b d."))


class CommittedCorpusTest(unittest.TestCase):
    """The committed corpus keeps the promises the recipe makes about it."""

    def test_size_split_and_rules(self):
        rows = corpus.read_tsv(helpers.REPO / "scripts" / "voice" / "data" / "corpus.tsv")
        self.assertGreaterEqual(len(rows), 3000)
        self.assertGreaterEqual(sum(r["split"] == "test" for r in rows), 200)
        self.assertEqual(len({r["id"] for r in rows}), len(rows))
        self.assertEqual(len({corpus.dedup_key(r["text"]) for r in rows}), len(rows))
        for row in rows:
            self.assertIsNone(corpus.rejection_reason(row["text"]), row["text"])
            self.assertEqual(row["id"], corpus.sentence_id(row["text"]))


if __name__ == "__main__":
    unittest.main()
