// Tests for the SSML subset parser (voxlet/ssml.h).
//
// Golden table: tests/golden/ssml.jsonl, one JSON object per line, shared with
// the Node suite (which runs it against the WASM build). A row is either
//   {"input": "<speak>...</speak>", "expected": [piece, ...]}
// or, for malformed input,
//   {"input": "...", "error": "MALFORMED_SSML", "at": "line L, column C"}
// where the code must match StatusCodeName() and the message must start with
// "line L, column C:".
//
// Piece-to-JSON mapping (PieceToJson below; SsmlPiecesToJson() in the engine
// writes the same form as a compact string):
//   kText     {"text": <decoded text>, "span": [begin, end]} plus, only when
//             not default: "say_as" ("characters", "cardinal", "ordinal",
//             "digits", "date", "time", "telephone"), "format", "phonemes"
//             together with "alphabet" ("ipa" | "arpabet"), "rate", "pitch",
//             "volume" (a value that rounds to 1 at 4 decimals is omitted)
//   kBreak    {"break": <ms>}
//   kMark     {"mark": <name>}
//   kBoundary {"boundary": "p"} or {"boundary": "s"}
// Spans are UTF-8 byte offsets into the input. Numbers compare within 0.001
// here; SsmlPiecesToJson rounds to 4 decimals, so the table's hand-rounded
// values also compare exactly (the Node suite uses deepEqual).
// Spans of non-text pieces are not in the table; unit tests below cover them.
//
// The engine target exports JSON_NOEXCEPTION, under which a nlohmann throw
// aborts; this file therefore parses with allow_exceptions=false and checks
// types before reading values.
#include "voxlet/ssml.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace voxlet {
namespace {

using nlohmann::json;

#ifdef VOXLET_GOLDEN_DIR
constexpr const char* kGoldenDir = VOXLET_GOLDEN_DIR;
#else
constexpr const char* kGoldenDir = "tests/golden";
#endif

const char* SayAsJsonName(SayAs say_as) {
  switch (say_as) {
    case SayAs::kNone:
      return nullptr;
    case SayAs::kCharacters:
      return "characters";
    case SayAs::kCardinal:
      return "cardinal";
    case SayAs::kOrdinal:
      return "ordinal";
    case SayAs::kDigits:
      return "digits";
    case SayAs::kDate:
      return "date";
    case SayAs::kTime:
      return "time";
    case SayAs::kTelephone:
      return "telephone";
  }
  return nullptr;
}

void AddIfNotOne(json& object, const char* key, float value) {
  if (std::abs(value - 1.0f) >= 0.00005f) object[key] = value;
}

json PieceToJson(const SsmlPiece& piece) {
  switch (piece.kind) {
    case SsmlPiece::Kind::kBreak:
      return {{"break", piece.break_ms}};
    case SsmlPiece::Kind::kMark:
      return {{"mark", piece.mark}};
    case SsmlPiece::Kind::kBoundary:
      return {{"boundary", piece.paragraph ? "p" : "s"}};
    case SsmlPiece::Kind::kText:
      break;
  }
  json object = {{"text", piece.text.text()}, {"span", {piece.span.begin, piece.span.end}}};
  if (const char* name = SayAsJsonName(piece.normalize.say_as)) object["say_as"] = name;
  if (!piece.normalize.format.empty()) object["format"] = piece.normalize.format;
  if (!piece.phonemes.empty()) {
    object["phonemes"] = piece.phonemes;
    object["alphabet"] = piece.alphabet == PhonemeAlphabet::kIpa ? "ipa" : "arpabet";
  }
  AddIfNotOne(object, "rate", piece.prosody.rate);
  AddIfNotOne(object, "pitch", piece.prosody.pitch);
  AddIfNotOne(object, "volume", piece.prosody.volume);
  return object;
}

json PiecesToJson(const std::vector<SsmlPiece>& pieces) {
  json array = json::array();
  for (const SsmlPiece& piece : pieces) array.push_back(PieceToJson(piece));
  return array;
}

// Structural equality where numbers only need to agree within 0.001, since
// the table holds hand-rounded values like 0.8909 for 2^(-2/12).
bool NearlyEqual(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    return std::abs(a.get<double>() - b.get<double>()) < 0.001;
  }
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!NearlyEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key()) || !NearlyEqual(it.value(), b[it.key()])) return false;
    }
    return true;
  }
  return a == b;
}

json ParseJson(const std::string& text) { return json::parse(text, nullptr, false); }

// Rows of the golden table; a line that is not JSON stays as a discarded
// value so the row check reports it with its line number.
std::vector<json> ReadGoldenRows() {
  std::ifstream file(std::string(kGoldenDir) + "/ssml.jsonl");
  std::vector<json> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (!line.empty()) rows.push_back(ParseJson(line));
  }
  return rows;
}

std::string StringField(const json& row, const char* key) {
  const auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : "";
}

bool IsWellFormedRow(const json& row) {
  if (!row.is_object() || !row.contains("input") || !row["input"].is_string()) return false;
  if (row.contains("error")) return row["error"].is_string() && row.contains("at");
  return row.contains("expected") && row["expected"].is_array();
}

// Empty when the row passes, else what went wrong.
std::string CheckGoldenRow(const json& row) {
  if (!IsWellFormedRow(row)) return "not a valid row (needs input and expected or error+at)";
  const auto result = ParseSsml(StringField(row, "input"));
  if (row.contains("error")) {
    if (result.ok()) return "expected an error, got " + PiecesToJson(result.value()).dump();
    const std::string code = StatusCodeName(result.status().code());
    const std::string at = StringField(row, "at") + ":";
    if (code != StringField(row, "error") || result.status().message().rfind(at, 0) != 0) {
      return "expected " + StringField(row, "error") + " at " + at + " got " +
             result.status().ToString();
    }
    return "";
  }
  if (!result.ok()) return "unexpected error " + result.status().ToString();
  const json actual = PiecesToJson(result.value());
  if (!NearlyEqual(actual, row["expected"])) {
    return "expected " + row["expected"].dump() + "\n  actual " + actual.dump();
  }
  const json engine_json = ParseJson(SsmlPiecesToJson(result.value()));
  if (!NearlyEqual(engine_json, row["expected"])) {
    return "SsmlPiecesToJson gave " + SsmlPiecesToJson(result.value());
  }
  return "";
}

TEST(SsmlGoldenTest, EveryRowMatches) {
  const std::vector<json> rows = ReadGoldenRows();
  ASSERT_GE(rows.size(), 40u) << "golden table missing or short in " << kGoldenDir;
  int failures = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string problem = CheckGoldenRow(rows[i]);
    if (problem.empty()) continue;
    ++failures;
    ADD_FAILURE() << "ssml.jsonl line " << (i + 1) << ": " << rows[i].dump() << "\n  " << problem;
  }
  EXPECT_EQ(failures, 0) << "of " << rows.size() << " rows";
}

// --- details the table does not show -------------------------------------

std::vector<SsmlPiece> ParseOk(std::string_view input) {
  auto result = ParseSsml(input);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : std::vector<SsmlPiece>{};
}

TEST(SsmlTest, EntityMapsToItsWholeReference) {
  const auto pieces = ParseOk("<speak>a&amp;b</speak>");
  ASSERT_EQ(pieces.size(), 1u);
  const SourceText& text = pieces[0].text;
  ASSERT_EQ(text.text(), "a&b");
  EXPECT_EQ(text.ToSource(0, 1), (Span{7, 8}));
  EXPECT_EQ(text.ToSource(1, 2), (Span{8, 13}));  // "&amp;"
  EXPECT_EQ(text.ToSource(2, 3), (Span{13, 14}));
}

TEST(SsmlTest, TextAcrossUnknownTagsMapsEachRun) {
  const auto pieces = ParseOk("<speak>ab<x>cd</x></speak>");
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].text.text(), "abcd");
  EXPECT_EQ(pieces[0].text.ToSource(2, 4), (Span{12, 14}));
}

TEST(SsmlTest, SubAliasMapsToContent) {
  const auto pieces = ParseOk("<speak><sub alias=\"doctor\">Dr.</sub></speak>");
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].text.ToSource(0, 1), (Span{27, 30}));
  EXPECT_EQ(pieces[0].text.ToSource(2, 6), (Span{27, 30}));
}

TEST(SsmlTest, NonTextPiecesSpanTheirTags) {
  const std::string input = "<speak><p>a<break time=\"1s\"/><mark name=\"m\"/></p></speak>";
  const auto pieces = ParseOk(input);
  ASSERT_EQ(pieces.size(), 5u);
  EXPECT_EQ(pieces[0].kind, SsmlPiece::Kind::kBoundary);
  EXPECT_TRUE(pieces[0].paragraph);
  EXPECT_EQ(pieces[0].span, (Span{7, 10}));   // <p>
  EXPECT_EQ(pieces[2].span, (Span{11, 29}));  // <break time="1s"/>
  EXPECT_EQ(pieces[3].span, (Span{29, 45}));  // <mark name="m"/>
  EXPECT_EQ(pieces[4].span, (Span{45, 49}));  // </p>
}

TEST(SsmlTest, PiecesCarryProsody) {
  const auto pieces = ParseOk("<speak><prosody rate=\"fast\"><break/><s>x</s></prosody></speak>");
  ASSERT_EQ(pieces.size(), 4u);
  for (const SsmlPiece& piece : pieces) EXPECT_FLOAT_EQ(piece.prosody.rate, 1.25f);
}

TEST(SsmlTest, ElementsInsideSubAndPhonemeAreQuiet) {
  const auto sub = ParseOk("<speak><sub alias=\"x\">a<break/>b<mark name=\"m\"/></sub></speak>");
  ASSERT_EQ(sub.size(), 1u);
  EXPECT_EQ(sub[0].text.text(), "x");
  const auto phoneme =
      ParseOk("<speak><phoneme ph=\"p\">a<sub alias=\"q\">b</sub>c</phoneme></speak>");
  ASSERT_EQ(phoneme.size(), 1u);
  EXPECT_EQ(phoneme[0].text.text(), "abc");
  EXPECT_EQ(phoneme[0].phonemes, "p");
}

TEST(SsmlTest, EmptyAliasSaysNothing) {
  EXPECT_TRUE(ParseOk("<speak><sub alias=\"\">um</sub></speak>").empty());
}

TEST(SsmlTest, InvalidUtf8InTextPassesThrough) {
  const std::string input = "<speak>a\xFF\xC3 b</speak>";
  const auto pieces = ParseOk(input);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].text.text(), "a\xFF\xC3 b");
  EXPECT_TRUE(json::accept(SsmlPiecesToJson(pieces)));
}

TEST(SsmlTest, JsonEscapesQuotesAndControls) {
  const auto pieces = ParseOk("<speak>\"a\\\x01</speak>");
  EXPECT_EQ(SsmlPiecesToJson(pieces), "[{\"text\":\"\\\"a\\\\\\u0001\",\"span\":[7,11]}]");
}

TEST(SsmlTest, MessagesNameTheFix) {
  auto rate = ParseSsml("<speak><prosody rate=\"zoom\">x</prosody></speak>");
  EXPECT_EQ(rate.status().message(),
            "line 1, column 17: prosody rate \"zoom\" is not valid; expected x-slow, slow, "
            "medium, fast, x-fast, a percentage like 120% or a number");
  auto mismatch = ParseSsml("<speak><p>x</s></speak>");
  EXPECT_NE(mismatch.status().message().find("</s>"), std::string::npos);
  EXPECT_NE(mismatch.status().message().find("<p>"), std::string::npos);
  auto unquoted = ParseSsml("<speak><break time=1s/></speak>");
  EXPECT_NE(unquoted.status().message().find("quoted"), std::string::npos);
  auto missing = ParseSsml("<speak><phoneme>x</phoneme></speak>");
  EXPECT_NE(missing.status().message().find("ph"), std::string::npos);
}

TEST(SsmlTest, OverflowingValuesStayFinite) {
  const auto pieces =
      ParseOk("<speak><prosody volume=\"silent\"><prosody volume=\"+1" + std::string(400, '0') +
              "dB\" rate=\"" + std::string(400, '9') + "%\">x</prosody></prosody></speak>");
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].prosody.volume, 0.0f);
  EXPECT_EQ(pieces[0].prosody.rate, 4.0f);
  EXPECT_TRUE(json::accept(SsmlPiecesToJson(pieces)));
}

TEST(SsmlTest, LooksLikeSsml) {
  EXPECT_TRUE(LooksLikeSsml("<speak>hi</speak>"));
  EXPECT_TRUE(LooksLikeSsml("  \n<speak xml:lang=\"en\">"));
  EXPECT_TRUE(LooksLikeSsml("\xEF\xBB\xBF<speak/>"));
  EXPECT_TRUE(LooksLikeSsml("<?xml version=\"1.0\"?><speak/>"));
  EXPECT_FALSE(LooksLikeSsml("Hello <speak>"));
  EXPECT_FALSE(LooksLikeSsml("<speaker>"));
  EXPECT_FALSE(LooksLikeSsml(""));
}

// --- limits -----------------------------------------------------------------

std::string Nested(int depth, std::string_view tag) {
  std::string input = "<speak>";
  for (int i = 0; i < depth; ++i) input += "<" + std::string(tag) + ">";
  input += "y";
  for (int i = 0; i < depth; ++i) input += "</" + std::string(tag) + ">";
  return input + "</speak>";
}

TEST(SsmlLimitsTest, DeepNestingFailsFast) {
  const std::string input = Nested(10000, "p");
  const auto start = std::chrono::steady_clock::now();
  const auto result = ParseSsml(input);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("max_depth"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

TEST(SsmlLimitsTest, DeepNestingWithinRaisedLimitUsesNoRecursion) {
  SsmlLimits limits;
  limits.max_depth = 200001;
  const auto result = ParseSsml(Nested(200000, "x"), limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result.value().size(), 1u);
  EXPECT_EQ(result.value()[0].text.text(), "y");
}

TEST(SsmlLimitsTest, DepthLimitCountsTheRoot) {
  SsmlLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(ParseSsml("<speak><p>x</p></speak>", limits).ok());
  EXPECT_EQ(ParseSsml("<speak><p><s>x</s></p></speak>", limits).status().code(),
            StatusCode::kLimitExceeded);
}

TEST(SsmlLimitsTest, OversizedInputIsRejected) {
  SsmlLimits limits;
  limits.max_bytes = 100;
  const std::string input = "<speak>" + std::string(100, 'a') + "</speak>";
  const auto result = ParseSsml(input, limits);
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("max_bytes"), std::string::npos);
}

TEST(SsmlLimitsTest, LargeDocumentsParseInLinearTime) {
  std::string input = "<speak>";
  for (int i = 0; i < 100000; ++i) input += "w &amp; <break/><x a=\"1\" b=\"2\">v</x>";
  input += "</speak>";
  SsmlLimits limits;  // 100,000 default breaks are 40,000 s: this test is about time, not audio
  limits.max_total_break_ms = INT64_MAX;
  const auto start = std::chrono::steady_clock::now();
  const auto result = ParseSsml(input, limits);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().size(), 200001u);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

// --- robustness -----------------------------------------------------------

const std::vector<std::string>& SeedDocuments() {
  static const std::vector<std::string> documents = {
      "<?xml version=\"1.0\"?>\n<speak xml:lang=\"en-US\">\n<p><s>Hello &amp; welcome.</s>"
      "<s>It is <say-as interpret-as=\"date\" format=\"mdy\">1/2/2024</say-as>.</s></p>\n"
      "<prosody rate=\"fast\" pitch=\"-2st\" volume=\"+6dB\">Quick <break time=\"250ms\"/> "
      "now</prosody><mark name=\"end\"/></speak>",
      "<speak><sub alias=\"World Wide Web\">WWW</sub> and <phoneme alphabet=\"ipa\" "
      "ph=\"t\xC9\x99\xCB\x88m\xC9\x91to\xCA\x8A\">tomato</phoneme><!-- note --><![CDATA[a<b]]>"
      "&#x1F600;&#65;</speak>",
      "<speak><p>One<break strength=\"strong\"></break>two <unknown a='b'>three</unknown>"
      "<say-as interpret-as=\"characters\">abc</say-as></p><?pi x?></speak>",
  };
  return documents;
}

std::string Mutate(std::string document, std::mt19937& rng) {
  static constexpr char kInteresting[] = "<>/&;=\"' !?-[]x\xC3\xFF";
  const auto random_below = [&](size_t n) {
    return n == 0 ? size_t{0} : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  const int mutations = 1 + static_cast<int>(random_below(3));
  for (int i = 0; i < mutations && !document.empty(); ++i) {
    const size_t at = random_below(document.size());
    switch (random_below(5)) {
      case 0:  // byte flip
        document[at] = static_cast<char>(document[at] ^ (1 << random_below(8)));
        break;
      case 1:  // markup-significant byte
        document[at] = kInteresting[random_below(sizeof kInteresting - 1)];
        break;
      case 2:  // truncation
        document.resize(at);
        break;
      case 3: {  // duplicate a tag (or whatever starts at a '<') elsewhere
        const size_t open = document.find('<', at);
        const size_t close = open == std::string::npos ? open : document.find('>', open);
        if (close == std::string::npos) break;
        const std::string tag = document.substr(open, close - open + 1);
        document.insert(random_below(document.size() + 1), tag);
        break;
      }
      default:  // deletion of a short range
        document.erase(at, 1 + random_below(8));
        break;
    }
  }
  return document;
}

// The input with non-ASCII and control bytes as \xNN, for failure messages
// (json::dump would abort on invalid UTF-8 under JSON_NOEXCEPTION).
std::string Printable(const std::string& input) {
  std::string out;
  for (unsigned char c : input) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    }
  }
  return out;
}

// Checks one parse of possibly broken input; returns whether it parsed.
bool ExpectWellFormedResult(const std::string& input) {
  const auto result = ParseSsml(input);
  if (!result.ok()) {
    const StatusCode code = result.status().code();
    EXPECT_TRUE(code == StatusCode::kMalformedSsml || code == StatusCode::kLimitExceeded)
        << result.status().ToString();
    EXPECT_EQ(result.status().message().rfind("line ", 0), 0u)
        << Printable(input) << " -> " << result.status().ToString();
    return false;
  }
  for (const SsmlPiece& piece : result.value()) {
    EXPECT_LE(piece.span.begin, piece.span.end);
    EXPECT_LE(piece.span.end, input.size());
    if (piece.kind == SsmlPiece::Kind::kText && !piece.text.empty()) {
      EXPECT_LE(piece.text.ToSource(0, piece.text.text().size()).end, input.size());
    }
  }
  EXPECT_TRUE(json::accept(SsmlPiecesToJson(result.value()))) << Printable(input);
  return true;
}

TEST(SsmlRobustnessTest, SeedDocumentsParse) {
  for (const std::string& document : SeedDocuments()) {
    EXPECT_TRUE(ParseSsml(document).ok()) << ParseSsml(document).status().ToString();
  }
}

TEST(SsmlRobustnessTest, MutatedDocumentsNeverCrash) {
  std::mt19937 rng(20240601);
  const auto& seeds = SeedDocuments();
  int parsed = 0;
  constexpr int kMutations = 20000;
  for (int i = 0; i < kMutations; ++i) {
    const std::string input = Mutate(seeds[i % seeds.size()], rng);
    parsed += ExpectWellFormedResult(input) ? 1 : 0;
    if (::testing::Test::HasFailure()) {
      FAIL() << "stopped at mutation " << i;
    }
  }
  // Both outcomes must be common, or the mutations test too little.
  EXPECT_GT(parsed, kMutations / 20);
  EXPECT_LT(parsed, kMutations - kMutations / 20);
  RecordProperty("parsed_mutations", parsed);
}

}  // namespace
}  // namespace voxlet
