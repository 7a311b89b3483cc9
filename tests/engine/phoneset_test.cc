#include "voxlet/phoneset.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace voxlet {
namespace {

using Symbols = std::vector<std::string>;

TEST(PhonesetTest, InventoryHas39PhonemesAnd69StressedSymbols) {
  EXPECT_EQ(ArpabetPhonemes().size(), 39u);
  EXPECT_EQ(ArpabetSymbolsWithStress().size(), 69u);
  const std::set<std::string> distinct(ArpabetSymbolsWithStress().begin(),
                                       ArpabetSymbolsWithStress().end());
  EXPECT_EQ(distinct.size(), 69u);
  int vowels = 0;
  for (const std::string& phoneme : ArpabetPhonemes()) vowels += IsVowel(phoneme);
  EXPECT_EQ(vowels, 15);
  for (const std::string& symbol : ArpabetSymbolsWithStress()) {
    EXPECT_TRUE(IsArpabet(symbol)) << symbol;
    EXPECT_FALSE(ArpabetToIpa(symbol).empty()) << symbol;
  }
}

TEST(PhonesetTest, IsArpabetWantsStressOnVowelsOnly) {
  EXPECT_TRUE(IsArpabet("AH0"));
  EXPECT_TRUE(IsArpabet("OW1"));
  EXPECT_TRUE(IsArpabet("ER2"));
  EXPECT_TRUE(IsArpabet("HH"));
  EXPECT_TRUE(IsArpabet("ZH"));
  EXPECT_FALSE(IsArpabet("AH"));   // vowel without stress
  EXPECT_FALSE(IsArpabet("AH3"));  // stress out of range
  EXPECT_FALSE(IsArpabet("B1"));   // consonant with stress
  EXPECT_FALSE(IsArpabet("ah0"));  // lower case
  EXPECT_FALSE(IsArpabet("AX0"));  // not in CMUdict's set
  EXPECT_FALSE(IsArpabet(""));
  EXPECT_TRUE(IsVowel("AH"));
  EXPECT_TRUE(IsVowel("IY1"));
  EXPECT_FALSE(IsVowel("NG"));
  EXPECT_FALSE(IsVowel("IY7"));
  EXPECT_EQ(ArpabetStress("IY1"), 1);
  EXPECT_EQ(ArpabetStress("AE0"), 0);
  EXPECT_EQ(ArpabetStress("T"), -1);
}

TEST(PhonesetTest, ArpabetToIpaFollowsEspeakEnUs) {
  const std::pair<const char*, const char*> cases[] = {
      {"AH0", "ə"},  {"AH1", "ˈʌ"},  {"AH2", "ˌʌ"},  {"ER0", "ɚ"},   {"ER1", "ˈɜː"},
      {"IY0", "i"},  {"IY1", "ˈiː"}, {"IH1", "ˈɪ"},  {"EY1", "ˈeɪ"}, {"AY1", "ˈaɪ"},
      {"OW1", "ˈoʊ"}, {"AW1", "ˈaʊ"}, {"OY1", "ˈɔɪ"}, {"UW0", "u"},   {"UW1", "ˈuː"},
      {"UH1", "ˈʊ"}, {"AA1", "ˈɑː"}, {"AE1", "ˈæ"},  {"AO1", "ˈɔː"}, {"EH1", "ˈɛ"},
      {"CH", "tʃ"},  {"JH", "dʒ"},   {"SH", "ʃ"},    {"ZH", "ʒ"},    {"TH", "θ"},
      {"DH", "ð"},   {"NG", "ŋ"},    {"Y", "j"},     {"R", "ɹ"},     {"HH", "h"},
      {"G", "ɡ"},    {"K", "k"},     {"W", "w"},
  };
  for (const auto& [arpabet, ipa] : cases) EXPECT_EQ(ArpabetToIpa(arpabet), ipa) << arpabet;
  EXPECT_EQ(ArpabetToIpa("XX"), "");
  EXPECT_EQ(ArpabetToIpa("AH"), "");
}

TEST(PhonesetTest, IpaSymbolsAreSingleCodePoints) {
  std::vector<std::string> unknown;
  const Symbols symbols = ArpabetToIpaSymbols({"HH", "AH0", "L", "OW1", "QQ"}, &unknown);
  EXPECT_EQ(symbols, (Symbols{"h", "ə", "l", "ˈ", "o", "ʊ"}));
  EXPECT_EQ(unknown, (Symbols{"QQ"}));
  EXPECT_EQ(ArpabetToIpaSymbols({"W", "ER1", "L", "D"}),
            (Symbols{"w", "ˈ", "ɜ", "ː", "l", "d"}));
  EXPECT_EQ(SplitCodePoints("aɪ\xff"), (Symbols{"a", "ɪ", "\xEF\xBF\xBD"}));
}

TEST(PhonesetTest, IpaToArpabetRoundTripsEveryStressedSymbol) {
  for (const std::string& symbol : ArpabetSymbolsWithStress()) {
    const Result<Symbols> back = IpaToArpabet(ArpabetToIpa(symbol));
    ASSERT_TRUE(back.ok()) << symbol << ": " << back.status().ToString();
    EXPECT_EQ(back.value(), Symbols{symbol}) << symbol << " via " << ArpabetToIpa(symbol);
  }
}

TEST(PhonesetTest, IpaToArpabetHandlesCommonTranscriptions) {
  const std::pair<const char*, Symbols> cases[] = {
      {"həˈloʊ", {"HH", "AH0", "L", "OW1"}},
      {"/həlˈoʊ/", {"HH", "AH0", "L", "OW1"}},  // espeak places ˈ before the vowel
      {"ˈwɜːld", {"W", "ER1", "L", "D"}},
      {"ˈbɝd", {"B", "ER1", "D"}},
      {"ˈt͡ʃɜɹt͡ʃ", {"CH", "ER1", "CH"}},
      {"ˈdʒʌdʒ", {"JH", "AH1", "JH"}},
      {"ˌʌndɚˈstænd", {"AH2", "N", "D", "ER0", "S", "T", "AE1", "N", "D"}},
      {"ˈwɔɾɚ", {"W", "AO1", "T", "ER0"}},
      {"ˈtʰɔɪ", {"T", "OY1"}},
      {"ˈgoʊ", {"G", "OW1"}},
      {"ˈjɛs", {"Y", "EH1", "S"}},
      {"ˈθɪŋ", {"TH", "IH1", "NG"}},
      {"ˈmɛʒɚ", {"M", "EH1", "ZH", "ER0"}},
      {"ˈfɑː.ðɚ", {"F", "AA1", "DH", "ER0"}},
      {"", {}},
  };
  for (const auto& [ipa, expected] : cases) {
    const Result<Symbols> result = IpaToArpabet(ipa);
    ASSERT_TRUE(result.ok()) << ipa << ": " << result.status().ToString();
    EXPECT_EQ(result.value(), expected) << ipa;
  }
}

TEST(PhonesetTest, IpaToArpabetNamesUnknownSymbolAndPosition) {
  const Result<Symbols> result = IpaToArpabet("baχ");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("\"χ\""), std::string::npos) << message;
  EXPECT_NE(message.find("U+03C7"), std::string::npos) << message;
  EXPECT_NE(message.find("byte 2"), std::string::npos) << message;
}

TEST(PhonesetTest, ParseArpabetNormalizes) {
  Result<Symbols> result = ParseArpabet("HH AH0 L OW1");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), (Symbols{"HH", "AH0", "L", "OW1"}));
  result = ParseArpabet("  hh ah l\tow1 \n");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value(), (Symbols{"HH", "AH0", "L", "OW1"}));  // bare vowel -> 0
  result = ParseArpabet("");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.value().empty());
}

TEST(PhonesetTest, ParseArpabetRejectsBadSymbols) {
  const std::pair<const char*, const char*> cases[] = {
      {"HH AX0 L", "\"AX0\" at position 1 (byte 3)"},
      {"B1 IY1", "consonant \"B1\""},
      {"HH AH4", "\"AH4\" must be 0, 1 or 2"},
      {"HH-AH0", "\"HH-AH0\""},
  };
  for (const auto& [text, expected] : cases) {
    const Result<Symbols> result = ParseArpabet(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find(expected), std::string::npos)
        << text << ": " << result.status().message();
  }
}

}  // namespace
}  // namespace voxlet
