#include "voxlet/normalizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <utility>

#include "voxlet/number_words.h"
#include "voxlet/utf8.h"

namespace voxlet {
namespace {

// ---------------------------------------------------------------------------
// Folding: the input becomes an ASCII stream plus a map back to its bytes.
// Characters that must stay distinct from their ASCII look-alikes get control
// codes; real control characters are dropped before, so the codes are free.
// ---------------------------------------------------------------------------
constexpr char kEnDash = '\x01';
constexpr char kEmDash = '\x02';
constexpr char kEllipsis = '\x03';
constexpr char kDegree = '\x04';
constexpr char kEuro = '\x05';
constexpr char kPound = '\x06';
constexpr char kCent = '\x07';
constexpr char kYen = '\x08';
constexpr char kTimes = '\x0e';
constexpr char kPlusMinus = '\x0f';
constexpr char kSquared = '\x10';
constexpr char kCubed = '\x11';

struct FoldedText {
  std::string chars;             // folded stream; ' ' separates tokens
  std::vector<uint32_t> origin;  // per byte of chars: start of its code point in the input
};

enum class Fold { kChars, kSpace, kIgnore, kSkip };

// Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' = several letters,
// '-' = not a letter (handled as a symbol).
constexpr std::string_view kLatin1Letters =
    "AAAAAA*CEEEEIIIIDNOOOOO-OUUUUY**aaaaaa*ceeeeiiiidnooooo-ouuuuy*y";
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKkkLlLlLlLlLlNnNnNn*"
    "NnOoOoOo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kLatin1Letters.size() == 64);
static_assert(kLatinExtendedA.size() == 128);

std::string_view MultiLetterFold(char32_t cp) {
  switch (cp) {
    case 0xC6:
      return "AE";
    case 0xDE:
      return "TH";
    case 0xDF:
      return "ss";
    case 0xE6:
      return "ae";
    case 0xFE:
      return "th";
    case 0x132:
      return "IJ";
    case 0x133:
      return "ij";
    case 0x149:
      return "n";
    case 0x152:
      return "OE";
    case 0x153:
      return "oe";
    default:
      return {};
  }
}

std::string_view FoldLatinLetter(char32_t cp, const char*& storage) {
  char base = 0;
  if (cp >= 0xC0 && cp <= 0xFF) base = kLatin1Letters[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) base = kLatinExtendedA[cp - 0x100];
  if (base == '*') return MultiLetterFold(cp);
  if (base == 0 || base == '-') return {};
  storage =
      (cp >= 0x100 ? kLatinExtendedA.data() + (cp - 0x100) : kLatin1Letters.data() + (cp - 0xC0));
  return {storage, 1};
}

std::string_view FoldSymbol(char32_t cp) {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
    case 0x2039:
    case 0x203A:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2212:
    case 0xFE63:
    case 0xFF0D:
      return "-";
    case 0x2012:
    case 0x2013:
      return {&kEnDash, 1};
    case 0x2014:
    case 0x2015:
      return {&kEmDash, 1};
    case 0x2026:
      return {&kEllipsis, 1};
    case 0x00B0:
    case 0x2103:
      return {&kDegree, 1};
    case 0x20AC:
      return {&kEuro, 1};
    case 0x00A3:
      return {&kPound, 1};
    case 0x00A2:
      return {&kCent, 1};
    case 0x00A5:
      return {&kYen, 1};
    case 0x00D7:
      return {&kTimes, 1};
    case 0x00B1:
      return {&kPlusMinus, 1};
    case 0x00B2:
      return {&kSquared, 1};
    case 0x00B3:
      return {&kCubed, 1};
    case 0x00BC:
      return "1/4";
    case 0x00BD:
      return "1/2";
    case 0x00BE:
      return "3/4";
    case 0x2153:
      return "1/3";
    case 0x2154:
      return "2/3";
    case 0x2022:
    case 0x00B7:
      return ",";
    case 0xFF01:
      return "!";
    case 0xFF1F:
      return "?";
    case 0xFF0C:
    case 0x3001:
      return ",";
    case 0x3002:
      return ".";
    default:
      return {};
  }
}

bool IsUnicodeSpace(char32_t cp) {
  return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0x85;
}

// Invisible characters that may sit inside a word (soft hyphen, joiners,
// variation selectors, BOM): dropped without splitting the word.
bool IsIgnorable(char32_t cp) {
  return cp == 0xAD || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x0300 && cp <= 0x036F);
}

Fold Classify(char32_t cp, std::string_view& chars, const char*& storage) {
  if (cp < 0x80) {
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == ' ') {
      return Fold::kSpace;
    }
    if (cp < 0x20 || cp == 0x7F) return Fold::kSkip;
    return Fold::kChars;  // the caller takes the byte itself
  }
  if (IsUnicodeSpace(cp)) return Fold::kSpace;
  if (IsIgnorable(cp)) return Fold::kIgnore;
  chars = FoldSymbol(cp);
  if (!chars.empty()) return Fold::kChars;
  chars = FoldLatinLetter(cp, storage);
  if (!chars.empty()) return Fold::kChars;
  return Fold::kSkip;
}

FoldedText FoldText(std::string_view text, Diagnostics& diag) {
  FoldedText folded;
  folded.chars.reserve(text.size());
  folded.origin.reserve(text.size());
  const auto push = [&](std::string_view chars, size_t origin) {
    for (char c : chars) {
      folded.chars.push_back(c);
      folded.origin.push_back(static_cast<uint32_t>(origin));
    }
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp == kReplacementChar && pos - start == 1) {
      ++diag.invalid_utf8;
      push(" ", start);
      continue;
    }
    std::string_view chars;
    const char* storage = nullptr;
    switch (Classify(cp, chars, storage)) {
      case Fold::kChars:
        if (cp < 0x80) chars = text.substr(start, 1);
        // "2½" reads as "2 1/2": keep the whole number apart from the fraction.
        if (chars.size() == 3 && chars[1] == '/' && !folded.chars.empty() &&
            folded.chars.back() >= '0' && folded.chars.back() <= '9') {
          push(" ", start);
        }
        push(chars, start);
        break;
      case Fold::kSpace:
        push(" ", start);
        break;
      case Fold::kIgnore:
        break;
      case Fold::kSkip:
        ++diag.skipped_characters;
        push(" ", start);
        break;
    }
  }
  return folded;
}

// ---------------------------------------------------------------------------
// Tokenizer: words (letters with inner apostrophes), numbers (digits with
// thousands groups and one decimal point) and single symbols.
// ---------------------------------------------------------------------------
enum class RawKind : uint8_t { kWord, kNumber, kSymbol };

struct RawToken {
  uint32_t begin = 0;  // offsets into FoldedText::chars
  uint32_t end = 0;
  uint32_t point = 0;  // kNumber: offset of the decimal point, or end
  RawKind kind = RawKind::kSymbol;
  bool space_before = false;
  bool grouped = false;  // kNumber: written with thousands separators
  char symbol = 0;       // kSymbol: the character or one of the codes above
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsLetter(char c) { return IsUpper(c) || IsLower(c); }
char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = ToLower(c);
  return result;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

size_t ScanWord(std::string_view s, size_t pos) {
  while (pos < s.size()) {
    if (IsLetter(s[pos])) {
      ++pos;
    } else if (s[pos] == '\'' && pos + 1 < s.size() && IsLetter(s[pos + 1])) {
      ++pos;
    } else {
      break;
    }
  }
  return pos;
}

size_t CountDigits(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && IsDigit(s[end])) ++end;
  return end - pos;
}

void ScanNumber(std::string_view s, size_t pos, RawToken& token) {
  const size_t lead = CountDigits(s, pos);
  pos += lead;
  // "1,990" is one number, "1,2,3" a list: groups need exactly three digits.
  if (lead >= 1 && lead <= 3) {
    while (pos < s.size() && s[pos] == ',' && CountDigits(s, pos + 1) == 3) {
      token.grouped = true;
      pos += 4;
    }
  }
  token.point = static_cast<uint32_t>(pos);
  if (pos + 1 < s.size() && s[pos] == '.' && IsDigit(s[pos + 1])) {
    pos += 1 + CountDigits(s, pos + 1);
  }
  token.end = static_cast<uint32_t>(pos);
}

bool StartsLeadingPointNumber(std::string_view s, size_t pos) {
  if (s[pos] != '.' || pos + 1 >= s.size() || !IsDigit(s[pos + 1])) return false;
  if (pos == 0) return true;
  const char before = s[pos - 1];
  return !IsLetter(before) && !IsDigit(before) && before != '.';
}

std::vector<RawToken> Tokenize(std::string_view s) {
  std::vector<RawToken> tokens;
  tokens.reserve(s.size() / 3 + 1);
  bool space = false;
  size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == ' ') {
      space = true;
      ++pos;
      continue;
    }
    RawToken token;
    token.begin = static_cast<uint32_t>(pos);
    token.space_before = space;
    space = false;
    if (IsLetter(c)) {
      token.kind = RawKind::kWord;
      token.end = static_cast<uint32_t>(ScanWord(s, pos));
    } else if (IsDigit(c)) {
      token.kind = RawKind::kNumber;
      ScanNumber(s, pos, token);
    } else if (StartsLeadingPointNumber(s, pos)) {
      token.kind = RawKind::kNumber;
      token.point = static_cast<uint32_t>(pos);
      token.end = static_cast<uint32_t>(pos + 1 + CountDigits(s, pos + 1));
    } else if ((c == '.' || c == '-') && pos + 1 < s.size() && s[pos + 1] == c) {
      // "..." is an ellipsis and "--" a dash; ".." is just a period.
      size_t end = pos;
      while (end < s.size() && s[end] == c) ++end;
      token.kind = RawKind::kSymbol;
      token.end = static_cast<uint32_t>(end);
      token.symbol = c == '-' ? kEmDash : (end - pos >= 3 ? kEllipsis : '.');
    } else {
      token.kind = RawKind::kSymbol;
      token.end = static_cast<uint32_t>(pos + 1);
      token.symbol = c;
    }
    pos = token.end;
    tokens.push_back(token);
  }
  return tokens;
}

// ---------------------------------------------------------------------------
// Tables.
// ---------------------------------------------------------------------------
enum AbbreviationFlags : uint8_t {
  kPeriodRequired = 1,    // only with its period ("No." vs the word "no")
  kMayEndSentence = 2,    // "etc." / "Inc." before a capital ends the sentence
  kNeedsNumberAfter = 4,  // "No. 5", "p. 12"
  kTitle = 8,             // without a period only before a capitalized name
  kSpelled = 16,          // spoken words are letter names
  kIgnoreCase = 32,       // "Etc." and "etc." alike
};

struct Abbreviation {
  std::string_view written;  // without the final period; inner periods kept
  std::string_view spoken;
  uint8_t flags;
};

constexpr uint8_t kPR = kPeriodRequired;
constexpr Abbreviation kAbbreviations[] = {
    {"Mr", "mister", kTitle},
    {"Mrs", "missus", kTitle},
    {"Ms", "miz", kTitle},
    {"Dr", "doctor", kTitle},
    {"Prof", "professor", kTitle},
    {"St", "saint", kTitle},
    {"Mt", "mount", kTitle},
    {"Ft", "fort", kTitle | kPR},
    {"Gen", "general", kPR},
    {"Capt", "captain", kTitle},
    {"Lt", "lieutenant", kTitle},
    {"Col", "colonel", kPR},
    {"Sgt", "sergeant", kTitle},
    {"Gov", "governor", kPR},
    {"Sen", "senator", kPR},
    {"Rep", "representative", kPR},
    {"Rev", "reverend", kPR},
    {"Hon", "honorable", kPR},
    {"Pres", "president", kPR},
    {"Jr", "junior", kPR | kMayEndSentence},
    {"Sr", "senior", kPR | kMayEndSentence},
    {"Ave", "avenue", kPR},
    {"Blvd", "boulevard", kPR},
    {"Rd", "road", kPR},
    {"Ln", "lane", kPR},
    {"Hwy", "highway", kPR},
    {"Apt", "apartment", kPR},
    {"Inc", "incorporated", kPR | kMayEndSentence},
    {"Ltd", "limited", kPR | kMayEndSentence},
    {"Corp", "corporation", kPR | kMayEndSentence},
    {"Co", "company", kPR | kMayEndSentence},
    {"Bros", "brothers", kPR | kMayEndSentence},
    {"Dept", "department", kPR | kIgnoreCase},
    {"Univ", "university", kPR},
    {"vs", "versus", kIgnoreCase},
    {"v", "versus", kPR},
    {"etc", "et cetera", kIgnoreCase | kMayEndSentence},
    {"approx", "approximately", kIgnoreCase},
    {"e.g", "for example", kIgnoreCase},
    {"i.e", "that is", kIgnoreCase},
    {"a.m", "a m", kIgnoreCase | kSpelled | kMayEndSentence},
    {"p.m", "p m", kIgnoreCase | kSpelled | kMayEndSentence},
    {"Ph.D", "p h d", kSpelled | kMayEndSentence},
    {"PhD", "p h d", kSpelled},
    {"No", "number", kPR | kNeedsNumberAfter | kIgnoreCase},
    {"Nos", "numbers", kPR | kNeedsNumberAfter | kIgnoreCase},
    {"p", "page", kPR | kNeedsNumberAfter},
    {"pp", "pages", kPR | kNeedsNumberAfter},
    {"fig", "figure", kPR | kIgnoreCase},
    {"vol", "volume", kPR | kIgnoreCase},
    {"ch", "chapter", kPR | kIgnoreCase},
    {"est", "established", kPR | kIgnoreCase},
    {"misc", "miscellaneous", kPR | kIgnoreCase},
    {"tel", "telephone", kPR | kIgnoreCase},
    {"Mon", "monday", kPR},
    {"Tue", "tuesday", kPR},
    {"Tues", "tuesday", kPR},
    {"Wed", "wednesday", kPR},
    {"Thu", "thursday", kPR},
    {"Thur", "thursday", kPR},
    {"Thurs", "thursday", kPR},
    {"Fri", "friday", kPR},
    {"Sat", "saturday", kPR},
    {"Sun", "sunday", kPR},
};

constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
constexpr std::string_view kMonthAbbreviations[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// 1-12 for a capitalized month name or abbreviation ("Sept" too), else 0.
int MonthNumber(std::string_view word, bool allow_abbreviation) {
  if (word.empty() || !IsUpper(word[0])) return 0;
  for (int m = 0; m < 12; ++m) {
    if (EqualsIgnoreCase(word, kMonths[m])) return m + 1;
    if (allow_abbreviation && word == kMonthAbbreviations[m]) return m + 1;
  }
  if (allow_abbreviation && word == "Sept") return 9;
  return 0;
}

struct Unit {
  std::string_view written;  // case-sensitive
  std::string_view singular;
  std::string_view plural;
};

constexpr Unit kUnits[] = {
    {"km", "kilometer", "kilometers"},
    {"m", "meter", "meters"},
    {"cm", "centimeter", "centimeters"},
    {"mm", "millimeter", "millimeters"},
    {"nm", "nanometer", "nanometers"},
    {"mi", "mile", "miles"},
    {"ft", "foot", "feet"},
    {"in", "inch", "inches"},
    {"yd", "yard", "yards"},
    {"kg", "kilogram", "kilograms"},
    {"g", "gram", "grams"},
    {"mg", "milligram", "milligrams"},
    {"lb", "pound", "pounds"},
    {"lbs", "pound", "pounds"},
    {"oz", "ounce", "ounces"},
    {"l", "liter", "liters"},
    {"L", "liter", "liters"},
    {"ml", "milliliter", "milliliters"},
    {"mL", "milliliter", "milliliters"},
    {"gal", "gallon", "gallons"},
    {"mph", "mile per hour", "miles per hour"},
    {"kph", "kilometer per hour", "kilometers per hour"},
    {"h", "hour", "hours"},
    {"hr", "hour", "hours"},
    {"hrs", "hour", "hours"},
    {"min", "minute", "minutes"},
    {"mins", "minute", "minutes"},
    {"s", "second", "seconds"},
    {"sec", "second", "seconds"},
    {"ms", "millisecond", "milliseconds"},
    {"KB", "kilobyte", "kilobytes"},
    {"kB", "kilobyte", "kilobytes"},
    {"MB", "megabyte", "megabytes"},
    {"GB", "gigabyte", "gigabytes"},
    {"TB", "terabyte", "terabytes"},
    {"Hz", "hertz", "hertz"},
    {"kHz", "kilohertz", "kilohertz"},
    {"MHz", "megahertz", "megahertz"},
    {"GHz", "gigahertz", "gigahertz"},
    {"W", "watt", "watts"},
    {"kW", "kilowatt", "kilowatts"},
    {"kWh", "kilowatt hour", "kilowatt hours"},
    {"V", "volt", "volts"},
    {"mAh", "milliamp hour", "milliamp hours"},
    {"dB", "decibel", "decibels"},
    {"px", "pixel", "pixels"},
    {"fps", "frame per second", "frames per second"},
    {"bpm", "beat per minute", "beats per minute"},
    {"kcal", "kilocalorie", "kilocalories"},
    {"yr", "year", "years"},
    {"yrs", "year", "years"},
};

// Short units that are also English words or letters: a unit only when
// glued to the number ("5in") or when nothing word-like follows ("5 in.").
bool IsAmbiguousUnit(std::string_view written) {
  return written == "in" || written == "l" || written == "L" || written == "W" || written == "V";
}

const Unit* FindUnit(std::string_view written) {
  for (const Unit& unit : kUnits) {
    if (unit.written == written) return &unit;
  }
  return nullptr;
}

struct Currency {
  char symbol;
  std::string_view singular, plural, cent_singular, cent_plural;
};

constexpr Currency kCurrencies[] = {
    {'$', "dollar", "dollars", "cent", "cents"},
    {kEuro, "euro", "euros", "cent", "cents"},
    {kPound, "pound", "pounds", "penny", "pence"},
    {kYen, "yen", "yen", "", ""},
};

const Currency* FindCurrency(char symbol) {
  for (const Currency& currency : kCurrencies) {
    if (currency.symbol == symbol) return &currency;
  }
  return nullptr;
}

// Scale words and suffixes that may follow an amount: "$2.5 million", "$5M".
std::string_view ScaleWord(std::string_view word, bool attached) {
  static constexpr std::string_view kScales[] = {"thousand", "million", "billion", "trillion"};
  for (std::string_view scale : kScales) {
    if (!attached && EqualsIgnoreCase(word, scale)) return scale;
  }
  if (!attached) return {};
  if (word == "k" || word == "K") return "thousand";
  if (word == "M" || word == "m" || word == "mn") return "million";
  if (word == "B" || word == "bn") return "billion";
  if (word == "T") return "trillion";
  return {};
}

// All-caps words said as words although short; overrides the heuristic.
constexpr std::string_view kAcronymWords[] = {
    "NASA",     "NATO",  "UNESCO", "UNICEF", "LASER", "RADAR", "SCUBA", "SONAR",   "AIDS",
    "FIFA",     "NAFTA", "OPEC",   "PIN",    "RAM",   "ROM",   "GIF",   "COVID",   "NASDAQ",
    "IKEA",     "LEGO",  "FEMA",   "OSHA",   "YOLO",  "WASP",  "NIMBY", "CAPTCHA", "SIM",
    "MIDI",     "CAD",   "DOS",    "ASCII",  "WAN",   "LAN",   "SAT",   "GUI",     "NAN",
    "INTERPOL", "BAFTA", "SWAT",   "TESOL",  "RAID"};
// All-caps words that look pronounceable but are spelled.
constexpr std::string_view kInitialisms[] = {
    "USA", "UFO", "CEO", "CFO",  "CTO", "COO", "API", "URL",  "MIT",  "CIA", "ETA", "IOU",
    "AKA", "BMW", "EOD", "UCLA", "IRA", "AOL", "ABC", "EPA",  "ESPN", "FAQ", "OPE", "UPS",
    "IRS", "AMA", "ICU", "ATM",  "IDE", "OEM", "SUV", "RSVP", "NBA",  "NBC", "NYU", "PTA",
    "ISO", "EA",  "IO",  "ID",   "TV",  "PC",  "UK",  "US",   "EU",   "UN",  "AI",  "IT"};
// Two-letter all-caps words said as words ("NO", "GO").
constexpr std::string_view kShortWords[] = {"NO", "GO", "SO", "DO", "TO", "BE", "HE", "WE", "ME",
                                            "MY", "BY", "OF", "ON", "IN", "IS", "AT", "AS", "AN",
                                            "OR", "IF", "UP", "AM", "OH", "HI", "OK"};
// Written forms with a fixed reading.
struct SpecialWord {
  std::string_view written, spoken;
};
constexpr SpecialWord kSpecialWords[] = {{"OK", "okay"},    {"JSON", "jason"}, {"JPEG", "jay peg"},
                                         {"SQL", "sequel"}, {"WiFi", "wifi"},  {"iOS", "i o s"}};

template <size_t N>
bool InList(const std::string_view (&list)[N], std::string_view word) {
  for (std::string_view entry : list) {
    if (entry == word) return true;
  }
  return false;
}

// Words before a Roman numeral that make it a cardinal: "Chapter IV".
constexpr std::string_view kRomanCardinalContext[] = {
    "chapter",  "part",    "volume",   "vol",    "book",  "act",     "scene",    "section",
    "war",      "episode", "phase",    "stage",  "level", "article", "appendix", "lesson",
    "unit",     "type",    "round",    "psalm",  "canto", "title",   "class",    "grade",
    "category", "ch",      "no",       "number", "super", "bowl",    "schedule", "annex",
    "step",     "form",    "division", "league"};

// Symbols read as words wherever they stand alone.
std::string_view SymbolWord(char symbol) {
  switch (symbol) {
    case '&':
      return "and";
    case '@':
      return "at";
    case '+':
      return "plus";
    case '=':
      return "equals";
    case '%':
      return "percent";
    case kDegree:
      return "degrees";
    case kTimes:
      return "times";
    case kPlusMinus:
      return "plus or minus";
    case kSquared:
      return "squared";
    case kCubed:
      return "cubed";
    case '<':
      return "less than";
    case '>':
      return "greater than";
    default:
      return {};
  }
}

// Prosody strength when punctuation marks collapse: "?!" -> "?", ",." -> ".".
int PunctuationStrength(std::string_view mark) {
  static constexpr std::string_view kOrder[] = {
      ",", "\xE2\x80\x94", ":", ";", "\xE2\x80\xA6", ".", "!", "?"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == mark) return static_cast<int>(i);
  }
  return 0;
}

constexpr std::string_view kEllipsisMark = "\xE2\x80\xA6";
constexpr std::string_view kDashMark = "\xE2\x80\x94";

// ---------------------------------------------------------------------------
// Pronounceability of an all-caps word: a vowel, a legal initial and final
// consonant cluster, no long clusters inside. Cheap and good enough to tell
// "NASA" from "HTML".
// ---------------------------------------------------------------------------
bool IsVowelAt(std::string_view w, size_t i) {
  const char c = w[i];
  if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return true;
  return c == 'y' && i > 0;
}

bool InClusterList(std::string_view cluster, std::string_view list) {
  // `list` holds space-separated clusters.
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == cluster) return true;
    pos = end + 1;
  }
  return false;
}

bool IsOnset(std::string_view c) {
  if (c.size() <= 1) return true;
  return InClusterList(c,
                       "bl br cl cr dr fl fr gl gr pl pr sc sk sl sm sn sp st sw tr tw th sh ch "
                       "wh ph kn wr qu dw gn kl kr scr spr str spl squ thr shr sch");
}

bool IsCoda(std::string_view c) {
  if (c.size() <= 1) return true;
  return InClusterList(c,
                       "ck ct ft ld lf lk lm lp lt mp nd ng nk nt pt rb rc rd rf rg rk rl rm rn "
                       "rp rs rt sk sp st th sh ch tch nch rth ds ts ks ps ms ns ls gs ws ys ss "
                       "ll ff zz xt nce nds nts rds rts lls");
}

bool LooksPronounceable(std::string_view upper) {
  const std::string w = Lowercase(upper);
  size_t i = 0;
  bool first_cluster = true;
  bool has_vowel = false;
  while (i < w.size()) {
    const size_t start = i;
    while (i < w.size() && !IsVowelAt(w, i)) ++i;
    const std::string_view consonants(w.data() + start, i - start);
    const size_t vowel_start = i;
    while (i < w.size() && IsVowelAt(w, i)) ++i;
    const size_t vowels = i - vowel_start;
    if (vowels > 0) has_vowel = true;
    if (vowels > 2) return false;
    const bool last_cluster = i >= w.size() && vowels == 0;
    if (first_cluster && !IsOnset(consonants)) return false;
    if (last_cluster && !first_cluster && !IsCoda(consonants)) return false;
    if (!first_cluster && !last_cluster && consonants.size() > 3) return false;
    first_cluster = false;
  }
  return has_vowel;
}

// Value of a canonical Roman numeral ("XIV" -> 14), or 0.
int RomanValue(std::string_view word) {
  if (word.empty() || word.size() > 15) return 0;
  const auto digit = [](char c) {
    switch (c) {
      case 'I':
        return 1;
      case 'V':
        return 5;
      case 'X':
        return 10;
      case 'L':
        return 50;
      case 'C':
        return 100;
      case 'D':
        return 500;
      case 'M':
        return 1000;
      default:
        return 0;
    }
  };
  int total = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    const int value = digit(word[i]);
    if (value == 0) return 0;
    const int next = i + 1 < word.size() ? digit(word[i + 1]) : 0;
    total += next > value ? -value : value;
  }
  if (total <= 0 || total >= 4000) return 0;
  // Re-encode so that "IIII" or "VX" are rejected.
  static constexpr std::pair<int, std::string_view> kParts[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string canonical;
  int rest = total;
  for (const auto& [value, letters] : kParts) {
    while (rest >= value) {
      canonical += letters;
      rest -= value;
    }
  }
  return canonical == word ? total : 0;
}

// Words that start sentences; after "Main St." they mark a sentence break.
constexpr std::string_view kSentenceStarters[] = {
    "The", "A",   "An", "It", "He", "She", "We",  "They", "I",   "Then", "This", "That", "There",
    "But", "And", "So", "In", "On", "At",  "You", "My",   "Our", "His",  "Her",  "Its"};

constexpr std::string_view kTopLevelDomains[] = {
    "com",  "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "us", "ca",
    "info", "biz", "dev", "app", "ai",  "me", "tv", "eu", "au", "jp", "ly", "gg"};

bool HasVowel(std::string_view lower) {
  for (size_t i = 0; i < lower.size(); ++i) {
    if (IsVowelAt(lower, i)) return true;
  }
  return false;
}

bool IsDenominator(long value) {
  return (value >= 2 && value <= 10) || value == 12 || value == 16 || value == 32 || value == 64 ||
         value == 100;
}

void AppendDenominatorWord(long denominator, bool plural, std::vector<std::string>& words) {
  if (denominator == 2) {
    words.emplace_back(plural ? "halves" : "half");
    return;
  }
  if (denominator == 4) {
    words.emplace_back(plural ? "quarters" : "quarter");
    return;
  }
  AppendOrdinalWords(std::to_string(denominator), words);
  if (plural) words.back() += 's';
}

class Normalizer {
 public:
  Normalizer(const SourceText& text, const NormalizeOptions& options, std::vector<Token>& out,
             Diagnostics& diag)
      : text_(text), options_(options), out_(out), diag_(diag), first_out_(out.size()) {}

  void Run();

 private:
  // --- Raw token access; out-of-range indices read as "nothing there". ---
  size_t size() const { return tokens_.size(); }
  std::string_view Text(size_t i) const {
    if (i >= size()) return {};
    return std::string_view(folded_.chars)
        .substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  bool IsWordAt(size_t i) const { return i < size() && tokens_[i].kind == RawKind::kWord; }
  bool IsNumberAt(size_t i) const { return i < size() && tokens_[i].kind == RawKind::kNumber; }
  char SymbolAt(size_t i) const {
    return i < size() && tokens_[i].kind == RawKind::kSymbol ? tokens_[i].symbol : '\0';
  }
  bool Attached(size_t i) const { return i < size() && !tokens_[i].space_before; }
  bool Spaced(size_t i) const { return i < size() && tokens_[i].space_before; }
  // A number of plain digits: no thousands groups, no decimal point.
  bool IsPlainIntegerAt(size_t i) const {
    return IsNumberAt(i) && !tokens_[i].grouped && tokens_[i].point == tokens_[i].end &&
           tokens_[i].point > tokens_[i].begin;
  }
  long ValueAt(size_t i) const { return IsPlainIntegerAt(i) ? DigitsValue(Text(i)) : -1; }
  bool IsCapitalizedWordAt(size_t i) const { return IsWordAt(i) && IsUpper(Text(i)[0]); }
  bool IsNameAt(size_t i) const;
  bool IsYearLikeAt(size_t i) const;
  bool IsSentenceStartAt(size_t i) const;
  bool AtTextEnd(size_t i) const;
  bool NextStartsSentence(size_t i) const;
  std::string IntegerDigits(size_t i) const;
  std::string_view FractionDigits(size_t i) const;

  Span SpanOfChars(size_t begin, size_t end) const;
  Span SpanOf(size_t first, size_t last) const {
    return SpanOfChars(tokens_[first].begin, tokens_[last - 1].end);
  }

  // --- Output. ---
  void EmitWord(std::string text, Span span, WordFlag flag = WordFlag::kNone);
  void EmitWords(const std::vector<std::string>& words, Span span);
  void EmitPhrase(std::string_view phrase, Span span, WordFlag flag = WordFlag::kNone);
  void EmitLetters(size_t i, std::string_view letters, std::string_view suffix);
  void EmitPunctuation(std::string_view mark, Span span, bool sentence_end);
  void EmitAbbreviationPeriod(size_t period, bool may_end_sentence);
  bool LastEmittedIsWord() const {
    return out_.size() > first_out_ && out_.back().kind == TokenKind::kWord;
  }
  bool LastEmittedWordIs(std::string_view word) const {
    return LastEmittedIsWord() && out_.back().text == word;
  }

  // --- Rules. Each returns the number of raw tokens consumed; 0 = no match. ---
  size_t Step(size_t i);
  void RunDefault();
  size_t TryLink(size_t i);
  size_t LinkEnd(size_t i) const;
  bool IsEmail(size_t begin, size_t end) const;
  bool IsUrl(size_t begin, size_t end) const;
  void EmitLink(size_t begin, size_t end);

  size_t NumberRules(size_t i);
  size_t ForcedNumber(size_t i);
  size_t TryTelephone(size_t i);
  size_t TryTime(size_t i);
  size_t MatchAmPm(size_t i, char& letter, bool& period) const;
  size_t EmitAmPm(size_t i);
  size_t TryHourAmPm(size_t i);
  size_t TryNumericDate(size_t i);
  size_t TryFraction(size_t i);
  size_t TryDecadePlural(size_t i);
  size_t TryOrdinal(size_t i);
  size_t TryDayMonth(size_t i);
  size_t TryRange(size_t i);
  size_t PlainNumber(size_t i, bool negative);
  size_t EmitUnit(size_t i, bool singular);
  bool QuantityFollows(size_t i) const;
  void AppendNumberReading(size_t i, bool allow_year, std::vector<std::string>& words) const;
  size_t MonthAt(size_t i, int& month) const;
  bool IsOrdinalSuffixAt(size_t i) const;

  size_t SymbolRules(size_t i);
  size_t TryCurrency(size_t i);
  bool IsMinusSign(size_t i) const;
  size_t TryMonthDay(size_t i);
  size_t WordRules(size_t i);
  size_t TryAbbreviation(size_t i);
  size_t TryDottedAbbreviation(size_t i);
  size_t TryRoman(size_t i);
  size_t TryInitial(size_t i);
  size_t TryAcronym(size_t i);
  size_t PlainWord(size_t i);

  // --- say-as. ---
  void RunCharacters();
  void RunTelephone();
  bool RunDate();
  bool RunTime();

  const SourceText& text_;
  const NormalizeOptions& options_;
  std::vector<Token>& out_;
  Diagnostics& diag_;
  const size_t first_out_;
  FoldedText folded_;
  std::vector<RawToken> tokens_;
  bool negative_ = false;  // a "minus" was just said for the next number
};

// ---------------------------------------------------------------------------
// Token access helpers.
// ---------------------------------------------------------------------------
bool Normalizer::IsNameAt(size_t i) const {
  const std::string_view w = Text(i);
  if (!IsWordAt(i) || w.size() < 2 || !IsUpper(w[0])) return false;
  for (size_t k = 1; k < w.size(); ++k) {
    if (IsUpper(w[k])) return false;
  }
  return true;
}

// 1100-2099 are years by default; other 4-digit numbers only after a word
// that introduces a year ("in 1066").
bool Normalizer::IsYearLikeAt(size_t i) const {
  const long value = ValueAt(i);
  if (Text(i).size() != 4) return false;
  if (value >= 1100 && value <= 2099) return true;
  static constexpr std::string_view kYearIntroducers[] = {"in",   "In",    "since", "Since",
                                                          "year", "circa", "until", "till"};
  return value >= 1000 && value <= 2999 && i > 0 && IsWordAt(i - 1) &&
         InList(kYearIntroducers, Text(i - 1));
}

bool IsSentenceMark(char symbol) {
  return symbol == '.' || symbol == '!' || symbol == '?' || symbol == kEllipsis;
}

bool IsQuoteOrBracket(char symbol) {
  return symbol == '"' || symbol == '\'' || symbol == '(' || symbol == ')' || symbol == '[' ||
         symbol == ']' || symbol == '{' || symbol == '}' || symbol == '`';
}

bool Normalizer::IsSentenceStartAt(size_t i) const {
  // Quotes and brackets between the previous sentence and this word do not count;
  // the look-back is bounded so the whole pass stays linear.
  for (int steps = 0; steps < 4; ++steps) {
    if (i == 0) return true;
    --i;
    const char symbol = SymbolAt(i);
    if (IsSentenceMark(symbol) || symbol == ':') return true;
    if (!IsQuoteOrBracket(symbol)) return false;
  }
  return false;
}

bool Normalizer::AtTextEnd(size_t i) const {
  for (int steps = 0; steps < 4 && i < size() && IsQuoteOrBracket(SymbolAt(i)); ++steps) ++i;
  return i >= size();
}

bool Normalizer::NextStartsSentence(size_t i) const {
  for (int steps = 0; steps < 4 && i < size() && IsQuoteOrBracket(SymbolAt(i)); ++steps) ++i;
  return i >= size() || IsCapitalizedWordAt(i);
}

std::string Normalizer::IntegerDigits(size_t i) const {
  std::string digits;
  const RawToken& t = tokens_[i];
  for (uint32_t k = t.begin; k < t.point; ++k) {
    if (IsDigit(folded_.chars[k])) digits += folded_.chars[k];
  }
  return digits;
}

std::string_view Normalizer::FractionDigits(size_t i) const {
  const RawToken& t = tokens_[i];
  if (t.point >= t.end) return {};
  return std::string_view(folded_.chars).substr(t.point + 1, t.end - t.point - 1);
}

Span Normalizer::SpanOfChars(size_t begin, size_t end) const {
  const std::string& text = text_.text();
  size_t source_end = folded_.origin[end - 1];
  DecodeUtf8(text, source_end);
  return text_.ToSource(folded_.origin[begin], source_end);
}

// ---------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------
void Normalizer::EmitWord(std::string text, Span span, WordFlag flag) {
  Token token;
  token.kind = TokenKind::kWord;
  token.text = std::move(text);
  token.span = span;
  token.flag = flag;
  out_.push_back(std::move(token));
}

void Normalizer::EmitWords(const std::vector<std::string>& words, Span span) {
  for (const std::string& word : words) EmitWord(word, span);
}

void Normalizer::EmitPhrase(std::string_view phrase, Span span, WordFlag flag) {
  size_t pos = 0;
  while (pos < phrase.size()) {
    size_t end = phrase.find(' ', pos);
    if (end == std::string_view::npos) end = phrase.size();
    if (end > pos) EmitWord(std::string(phrase.substr(pos, end - pos)), span, flag);
    pos = end + 1;
  }
}

void Normalizer::EmitLetters(size_t i, std::string_view letters, std::string_view suffix) {
  const uint32_t begin = tokens_[i].begin;
  for (size_t k = 0; k < letters.size(); ++k) {
    std::string letter(1, ToLower(letters[k]));
    if (k + 1 == letters.size()) letter += suffix;
    EmitWord(std::move(letter), SpanOfChars(begin + k, begin + k + 1), WordFlag::kLetter);
  }
}

void Normalizer::EmitPunctuation(std::string_view mark, Span span, bool sentence_end) {
  if (out_.size() > first_out_ && out_.back().kind == TokenKind::kPunctuation) {
    Token& last = out_.back();
    if (PunctuationStrength(mark) > PunctuationStrength(last.text)) last.text = std::string(mark);
    last.span = last.span.Union(span);
    last.sentence_end = last.sentence_end || sentence_end;
    return;
  }
  // A clause mark before any word has nothing to separate.
  const bool sentence_mark = mark == "." || mark == "!" || mark == "?" || mark == kEllipsisMark;
  if (out_.size() == first_out_ && !sentence_mark) return;
  Token token;
  token.kind = TokenKind::kPunctuation;
  token.text = std::string(mark);
  token.span = span;
  token.sentence_end = sentence_end;
  out_.push_back(std::move(token));
}

void Normalizer::EmitAbbreviationPeriod(size_t period, bool may_end_sentence) {
  if (AtTextEnd(period + 1) || (may_end_sentence && NextStartsSentence(period + 1))) {
    EmitPunctuation(".", SpanOf(period, period + 1), true);
  }
}

// ---------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------
void Normalizer::Run() {
  if (text_.empty()) return;
  folded_ = FoldText(text_.text(), diag_);
  tokens_ = Tokenize(folded_.chars);
  // Most raw tokens give one output token; growing a huge vector by doubling
  // would copy it many times.
  out_.reserve(out_.size() + tokens_.size() + tokens_.size() / 4);
  switch (options_.say_as) {
    case SayAs::kCharacters:
      RunCharacters();
      return;
    case SayAs::kTelephone:
      RunTelephone();
      return;
    case SayAs::kDate:
      if (!RunDate()) RunDefault();
      return;
    case SayAs::kTime:
      if (!RunTime()) RunDefault();
      return;
    default:
      RunDefault();
  }
}

void Normalizer::RunDefault() {
  size_t i = 0;
  while (i < size()) i += std::max<size_t>(1, Step(i));
}

size_t Normalizer::Step(size_t i) {
  if (tokens_[i].kind != RawKind::kSymbol) {
    if (const size_t n = TryLink(i)) return n;
  }
  switch (tokens_[i].kind) {
    case RawKind::kNumber:
      return NumberRules(i);
    case RawKind::kWord:
      return WordRules(i);
    case RawKind::kSymbol:
      return SymbolRules(i);
  }
  return 1;
}

// ---------------------------------------------------------------------------
// URLs and e-mail addresses: read symbol by symbol.
// ---------------------------------------------------------------------------
bool IsLinkTrailingPunctuation(char symbol) {
  return symbol == '.' || symbol == ',' || symbol == ';' || symbol == ':' || symbol == '!' ||
         symbol == '?' || symbol == ')' || symbol == ']' || symbol == '"' || symbol == '\'' ||
         symbol == '>';
}

std::string_view LinkSymbolWord(char symbol) {
  switch (symbol) {
    case '.':
      return "dot";
    case '/':
      return "slash";
    case ':':
      return "colon";
    case '-':
      return "dash";
    case '_':
      return "underscore";
    case '@':
      return "at";
    case '?':
      return "question mark";
    case '=':
      return "equals";
    case '&':
      return "and";
    case '#':
      return "hash";
    case '%':
      return "percent";
    case '~':
      return "tilde";
    case '+':
      return "plus";
    default:
      return {};
  }
}

size_t Normalizer::LinkEnd(size_t i) const {
  size_t end = i + 1;
  while (end < size() && Attached(end)) ++end;
  while (end > i + 1 && IsLinkTrailingPunctuation(SymbolAt(end - 1))) --end;
  return end;
}

bool Normalizer::IsEmail(size_t begin, size_t end) const {
  size_t at = begin;
  while (at < end && SymbolAt(at) != '@') ++at;
  if (at == begin || at + 3 > end) return false;
  for (size_t k = begin; k < at; ++k) {
    const char s = SymbolAt(k);
    if (tokens_[k].kind == RawKind::kSymbol && s != '.' && s != '-' && s != '_' && s != '+') {
      return false;
    }
  }
  bool has_dot = false;
  for (size_t k = at + 1; k < end; ++k) {
    const char s = SymbolAt(k);
    if (tokens_[k].kind == RawKind::kSymbol && s != '.' && s != '-') return false;
    has_dot = has_dot || s == '.';
  }
  return has_dot && IsWordAt(at + 1) && IsWordAt(end - 1) && Text(end - 1).size() >= 2;
}

bool Normalizer::IsUrl(size_t begin, size_t end) const {
  if (end - begin < 3) return false;
  const std::string_view first = Text(begin);
  if (IsWordAt(begin) && SymbolAt(begin + 1) == ':' && SymbolAt(begin + 2) == '/' &&
      (EqualsIgnoreCase(first, "http") || EqualsIgnoreCase(first, "https") ||
       EqualsIgnoreCase(first, "ftp"))) {
    return true;
  }
  if (EqualsIgnoreCase(first, "www") && SymbolAt(begin + 1) == '.') return true;
  // A bare host: labels joined by dots, the last a known top-level domain.
  size_t k = begin;
  size_t last_label = begin;
  while (k < end && (IsWordAt(k) || IsNumberAt(k))) {
    last_label = k;
    const bool label_follows = k + 2 < end && (IsWordAt(k + 2) || IsNumberAt(k + 2));
    if (SymbolAt(k + 1) != '.' || !label_follows) break;
    k += 2;
  }
  if (last_label == begin) return false;
  if (last_label + 1 < end && SymbolAt(last_label + 1) != '/' && SymbolAt(last_label + 1) != ':') {
    return false;
  }
  return InList(kTopLevelDomains, Lowercase(Text(last_label)));
}

size_t Normalizer::TryLink(size_t i) {
  const bool run_start = i == 0 || tokens_[i].space_before || IsQuoteOrBracket(SymbolAt(i - 1)) ||
                         SymbolAt(i - 1) == '<';
  if (!run_start) return 0;
  const size_t end = LinkEnd(i);
  if (end - i < 3) return 0;
  if (!IsEmail(i, end) && !IsUrl(i, end)) return 0;
  EmitLink(i, end);
  return end - i;
}

void Normalizer::EmitLink(size_t begin, size_t end) {
  for (size_t k = begin; k < end; ++k) {
    const Span span = SpanOf(k, k + 1);
    if (IsWordAt(k)) {
      const std::string lower = Lowercase(Text(k));
      if (HasVowel(lower)) {
        EmitWord(lower, span);
      } else {
        EmitLetters(k, Text(k), "");
      }
    } else if (IsNumberAt(k)) {
      std::vector<std::string> words;
      const std::string digits = IntegerDigits(k);
      if (digits.size() <= 2) {
        AppendCardinalWords(digits, words);
      } else {
        AppendDigitWords(digits, words);
      }
      if (!FractionDigits(k).empty()) {
        words.emplace_back("dot");
        AppendDigitWords(FractionDigits(k), words);
      }
      EmitWords(words, span);
    } else {
      EmitPhrase(LinkSymbolWord(SymbolAt(k)), span);
    }
  }
}

// ---------------------------------------------------------------------------
// Numbers.
// ---------------------------------------------------------------------------
size_t Normalizer::NumberRules(size_t i) {
  if (options_.say_as != SayAs::kNone) {
    if (const size_t n = ForcedNumber(i)) return n;
  }
  const bool negative = std::exchange(negative_, false);
  size_t n = 0;
  if (!negative && ((n = TryTelephone(i)) || (n = TryTime(i)) || (n = TryNumericDate(i)))) {
    return n;
  }
  if ((n = TryFraction(i)) || (n = TryDecadePlural(i)) || (n = TryOrdinal(i))) return n;
  if (!negative && ((n = TryDayMonth(i)) || (n = TryHourAmPm(i)))) return n;
  if ((n = TryRange(i))) return n;
  return PlainNumber(i, negative);
}

void Normalizer::AppendNumberReading(size_t i, bool allow_year,
                                     std::vector<std::string>& words) const {
  const std::string digits = IntegerDigits(i);
  const std::string_view fraction = FractionDigits(i);
  // "007" and zip-code-like strings keep their zeros: read digit by digit.
  if (fraction.empty() && !tokens_[i].grouped && digits.size() > 1 && digits[0] == '0') {
    AppendDigitWords(digits, words);
    return;
  }
  if (digits == "911") {  // the emergency number is never "nine hundred eleven"
    AppendDigitWords(digits, words);
    return;
  }
  if (fraction.empty() && allow_year && IsYearLikeAt(i)) {
    AppendYearWords(digits, words);
    return;
  }
  if (!digits.empty()) AppendCardinalWords(digits, words);
  if (!fraction.empty()) {
    words.emplace_back("point");
    AppendDigitWords(fraction, words);
  }
}

size_t Normalizer::ForcedNumber(size_t i) {
  std::vector<std::string> words;
  const bool negative = std::exchange(negative_, false);
  size_t consumed = 1;
  switch (options_.say_as) {
    case SayAs::kDigits:
      AppendDigitWords(IntegerDigits(i), words);
      if (!FractionDigits(i).empty()) {
        words.emplace_back("point");
        AppendDigitWords(FractionDigits(i), words);
      }
      break;
    case SayAs::kCardinal:
      AppendNumberReading(i, false, words);
      break;
    case SayAs::kOrdinal:
      AppendOrdinalWords(IntegerDigits(i), words);
      if (IsOrdinalSuffixAt(i + 1)) consumed = 2;
      break;
    default:
      negative_ = negative;
      return 0;
  }
  EmitWords(words, SpanOf(i, i + consumed));
  return consumed + (options_.say_as == SayAs::kCardinal ? EmitUnit(i + 1, Text(i) == "1") : 0);
}

size_t Normalizer::TryTelephone(size_t i) {
  size_t j = i;
  const bool plus = SymbolAt(j) == '+';
  if (plus) {
    if (!IsPlainIntegerAt(j + 1) || !Attached(j + 1)) return 0;
    ++j;
  }
  std::vector<std::string_view> groups;
  bool paren = false;
  size_t end = j;
  while (groups.size() < 6) {
    bool this_paren = false;
    if (SymbolAt(j) == '(' && IsPlainIntegerAt(j + 1) && Attached(j + 1) &&
        SymbolAt(j + 2) == ')' && Attached(j + 2)) {
      groups.push_back(Text(j + 1));
      j += 3;
      paren = this_paren = true;
    } else if (IsPlainIntegerAt(j)) {
      groups.push_back(Text(j));
      ++j;
    } else {
      break;
    }
    end = j;
    // Separator before the next group: a hyphen or dot glued on both sides,
    // or a space once "+" or parentheses show this is a phone number.
    const char s = SymbolAt(j);
    const bool glued_separator = (s == '-' || s == '.') && Attached(j) && Attached(j + 1);
    if (glued_separator) {
      ++j;
    } else if (!(Spaced(j) && (plus || paren)) && !(this_paren && Attached(j))) {
      break;
    }
  }
  std::vector<size_t> lengths;
  size_t total = 0;
  for (std::string_view g : groups) {
    lengths.push_back(g.size());
    total += g.size();
  }
  bool valid = false;
  if (plus) {
    valid = groups.size() >= 2 && lengths[0] <= 3 && total >= 8 && total <= 15;
    for (size_t k = 1; k < lengths.size(); ++k) valid = valid && lengths[k] <= 4;
  } else {
    valid = lengths == std::vector<size_t>{3, 3, 4} ||
            (lengths == std::vector<size_t>{1, 3, 3, 4} && groups[0] == "1") ||
            (lengths == std::vector<size_t>{3, 4} && !paren && groups[0][0] >= '2');
  }
  // A phone number does not run on into more digits.
  if (!valid || (IsNumberAt(end) && Attached(end))) return 0;
  const Span span = SpanOf(i, end);
  if (plus) EmitWord("plus", span);
  for (size_t k = 0; k < groups.size(); ++k) {
    if (k > 0) EmitPunctuation(",", span, false);
    std::vector<std::string> words;
    AppendDigitWords(groups[k], words);
    EmitWords(words, span);
  }
  return end - i;
}

size_t Normalizer::MatchAmPm(size_t i, char& letter, bool& period) const {
  if (!IsWordAt(i)) return 0;
  const std::string_view w = Text(i);
  period = false;
  if (EqualsIgnoreCase(w, "am") || EqualsIgnoreCase(w, "pm")) {
    letter = ToLower(w[0]);
    return 1;
  }
  if ((EqualsIgnoreCase(w, "a") || EqualsIgnoreCase(w, "p")) && SymbolAt(i + 1) == '.' &&
      Attached(i + 1) && IsWordAt(i + 2) && Attached(i + 2) && EqualsIgnoreCase(Text(i + 2), "m")) {
    letter = ToLower(w[0]);
    if (SymbolAt(i + 3) == '.' && Attached(i + 3)) {
      period = true;
      return 4;
    }
    return 3;
  }
  return 0;
}

size_t Normalizer::EmitAmPm(size_t i) {
  char letter = 0;
  bool period = false;
  const size_t n = MatchAmPm(i, letter, period);
  if (n == 0) return 0;
  const Span span = SpanOf(i, i + n - (period ? 1 : 0));
  EmitWord(std::string(1, letter), span, WordFlag::kLetter);
  EmitWord("m", span, WordFlag::kLetter);
  if (period) EmitAbbreviationPeriod(i + n - 1, true);
  return n;
}

void AppendTimeWords(long hour, long minute, long second, bool has_am_pm,
                     std::vector<std::string>& words) {
  AppendCardinalWords(std::to_string(hour), words);
  if (minute == 0) {
    if (!has_am_pm) words.emplace_back(hour > 12 || hour == 0 ? "hundred" : "o'clock");
  } else if (minute < 10) {
    words.emplace_back("oh");
    AppendCardinalWords(std::to_string(minute), words);
  } else {
    AppendCardinalWords(std::to_string(minute), words);
  }
  if (second > 0) {
    words.emplace_back("and");
    AppendCardinalWords(std::to_string(second), words);
    words.emplace_back(second == 1 ? "second" : "seconds");
  }
}

size_t Normalizer::TryTime(size_t i) {
  if (Text(i).size() > 2 || SymbolAt(i + 1) != ':' || !Attached(i + 1) || !Attached(i + 2) ||
      Text(i + 2).size() != 2) {
    return 0;
  }
  const long hour = ValueAt(i);
  const long minute = ValueAt(i + 2);
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return 0;
  size_t end = i + 3;
  long second = -1;
  if (SymbolAt(end) == ':' && Attached(end) && Attached(end + 1) && Text(end + 1).size() == 2 &&
      ValueAt(end + 1) >= 0 && ValueAt(end + 1) < 60) {
    second = ValueAt(end + 1);
    end += 2;
  }
  char letter = 0;
  bool period = false;
  const bool has_am_pm = MatchAmPm(end, letter, period) > 0;
  std::vector<std::string> words;
  AppendTimeWords(hour, minute, second, has_am_pm, words);
  EmitWords(words, SpanOf(i, end));
  return end - i + EmitAmPm(end);
}

size_t Normalizer::TryHourAmPm(size_t i) {
  const long hour = ValueAt(i);
  char letter = 0;
  bool period = false;
  if (hour < 1 || hour > 12 || MatchAmPm(i + 1, letter, period) == 0) return 0;
  std::vector<std::string> words;
  AppendCardinalWords(Text(i), words);
  EmitWords(words, SpanOf(i, i + 1));
  return 1 + EmitAmPm(i + 1);
}

void AppendDateWords(int month, std::string_view day, std::string_view year, bool day_first,
                     std::vector<std::string>& words) {
  if (!day.empty() && day_first) {
    words.emplace_back("the");
    AppendOrdinalWords(day, words);
    words.emplace_back("of");
  }
  if (month >= 1 && month <= 12) words.emplace_back(kMonths[month - 1]);
  if (!day.empty() && !day_first) AppendOrdinalWords(day, words);
  if (year.size() == 2) {
    AppendYearTailWords(year, words);
  } else if (!year.empty()) {
    AppendYearWords(year, words);
  }
}

size_t Normalizer::TryNumericDate(size_t i) {
  const char sep = SymbolAt(i + 1);
  if ((sep != '/' && sep != '-') || !Attached(i + 1) || !Attached(i + 2) ||
      SymbolAt(i + 3) != sep || !Attached(i + 3) || !Attached(i + 4)) {
    return 0;
  }
  const long a = ValueAt(i), b = ValueAt(i + 2), c = ValueAt(i + 4);
  if (a < 0 || b < 0 || c < 0) return 0;
  if (SymbolAt(i + 5) == sep && Attached(i + 5) && IsNumberAt(i + 6)) return 0;
  const size_t la = Text(i).size(), lb = Text(i + 2).size(), lc = Text(i + 4).size();
  std::vector<std::string> words;
  if (la == 4 && lb <= 2 && lc <= 2 && b >= 1 && b <= 12 && c >= 1 && c <= 31) {
    AppendDateWords(static_cast<int>(b), Text(i + 4), Text(i), false, words);
  } else if (la <= 2 && lb <= 2 && (lc == 4 || lc == 2)) {
    if (a >= 1 && a <= 12 && b >= 1 && b <= 31) {
      AppendDateWords(static_cast<int>(a), Text(i + 2), Text(i + 4), false, words);
    } else if (b >= 1 && b <= 12 && a >= 1 && a <= 31) {
      AppendDateWords(static_cast<int>(b), Text(i), Text(i + 4), true, words);
    } else {
      return 0;
    }
  } else {
    return 0;
  }
  EmitWords(words, SpanOf(i, i + 5));
  return 5;
}

size_t Normalizer::TryFraction(size_t i) {
  // Mixed number "2 1/2".
  if (IsPlainIntegerAt(i) && IsPlainIntegerAt(i + 1) && Spaced(i + 1) && SymbolAt(i + 2) == '/' &&
      Attached(i + 2) && Attached(i + 3) && IsPlainIntegerAt(i + 3) &&
      !(SymbolAt(i + 4) == '/' && Attached(i + 4))) {
    const long numerator = ValueAt(i + 1), denominator = ValueAt(i + 3);
    if (IsDenominator(denominator) && numerator >= 1 && numerator < denominator) {
      std::vector<std::string> words;
      AppendNumberReading(i, false, words);
      words.emplace_back("and");
      if (numerator == 1) {
        words.emplace_back("a");
      } else {
        AppendCardinalWords(Text(i + 1), words);
      }
      AppendDenominatorWord(denominator, numerator != 1, words);
      EmitWords(words, SpanOf(i, i + 4));
      return 4;
    }
  }
  // Longer slash chains ("13/13/2013" that is no date) are read slash by slash.
  if (!IsPlainIntegerAt(i) || SymbolAt(i + 1) != '/' || !Attached(i + 1) || !Attached(i + 2) ||
      !IsPlainIntegerAt(i + 2) || (SymbolAt(i + 3) == '/' && Attached(i + 3)) ||
      (i > 0 && SymbolAt(i - 1) == '/' && Attached(i))) {
    return 0;
  }
  const long numerator = ValueAt(i), denominator = ValueAt(i + 2);
  std::vector<std::string> words;
  if ((numerator == 24 && denominator == 7) || (numerator == denominator && numerator > 1)) {
    // Idioms "24/7" and "50/50".
    AppendCardinalWords(Text(i), words);
    AppendCardinalWords(Text(i + 2), words);
  } else if (IsDenominator(denominator) && numerator >= 0 && numerator < 1000) {
    AppendCardinalWords(Text(i), words);
    AppendDenominatorWord(denominator, numerator != 1, words);
  } else if (numerator >= 1 && numerator <= 12 && denominator >= 1 && denominator <= 31 &&
             Text(i).size() <= 2 && Text(i + 2).size() <= 2) {
    AppendDateWords(static_cast<int>(numerator), Text(i + 2), {}, false, words);
  } else {
    AppendNumberReading(i, false, words);
    words.emplace_back("over");
    AppendNumberReading(i + 2, false, words);
  }
  EmitWords(words, SpanOf(i, i + 3));
  return 3;
}

size_t Normalizer::TryDecadePlural(size_t i) {
  if (!IsPlainIntegerAt(i)) return 0;
  size_t s = i + 1;
  if (SymbolAt(s) == '\'' && Attached(s)) ++s;
  if (!IsWordAt(s) || !Attached(s) || Text(s) != "s") return 0;
  std::vector<std::string> words;
  AppendNumberReading(i, true, words);
  // "1990s" and "'90s" are decades; "2020's" with an apostrophe is a possessive.
  const bool apostrophe = s == i + 2;
  if (apostrophe && Text(i).back() != '0') {
    words.back() += "'s";
  } else {
    words.back() = PluralOfWord(words.back());
  }
  EmitWords(words, SpanOf(i, s + 1));
  return s + 1 - i;
}

bool Normalizer::IsOrdinalSuffixAt(size_t i) const {
  if (!IsWordAt(i) || !Attached(i)) return false;
  const std::string_view w = Text(i);
  return EqualsIgnoreCase(w, "st") || EqualsIgnoreCase(w, "nd") || EqualsIgnoreCase(w, "rd") ||
         EqualsIgnoreCase(w, "th");
}

size_t Normalizer::MonthAt(size_t i, int& month) const {
  month = IsWordAt(i) ? MonthNumber(Text(i), true) : 0;
  if (month == 0) return 0;
  const bool abbreviated = !EqualsIgnoreCase(Text(i), kMonths[month - 1]);
  return abbreviated && SymbolAt(i + 1) == '.' && Attached(i + 1) ? 2 : 1;
}

size_t Normalizer::TryOrdinal(size_t i) {
  if (!IsNumberAt(i) || !FractionDigits(i).empty() || !IsOrdinalSuffixAt(i + 1)) return 0;
  std::vector<std::string> words;
  int month = 0;
  const size_t month_length = Spaced(i + 2) ? MonthAt(i + 2, month) : 0;
  // "5th January" is said "the fifth of January".
  if (month_length > 0 && !LastEmittedWordIs("the")) words.emplace_back("the");
  AppendOrdinalWords(IntegerDigits(i), words);
  EmitWords(words, SpanOf(i, i + 2));
  if (month_length == 0) return 2;
  EmitWord("of", SpanOf(i, i + 2));
  EmitWord(std::string(kMonths[month - 1]), SpanOf(i + 2, i + 3));
  if (month_length == 2) EmitAbbreviationPeriod(i + 3, true);
  return 2 + month_length;
}

size_t Normalizer::TryDayMonth(size_t i) {
  const long day = ValueAt(i);
  int month = 0;
  if (day < 1 || day > 31 || !Spaced(i + 1)) return 0;
  const size_t month_length = MonthAt(i + 1, month);
  if (month_length == 0) return 0;
  std::vector<std::string> words;
  if (!LastEmittedWordIs("the")) words.emplace_back("the");
  AppendOrdinalWords(Text(i), words);
  words.emplace_back("of");
  EmitWords(words, SpanOf(i, i + 1));
  EmitWord(std::string(kMonths[month - 1]), SpanOf(i + 1, i + 2));
  if (month_length == 2) EmitAbbreviationPeriod(i + 2, true);
  return 1 + month_length;
}

size_t Normalizer::TryRange(size_t i) {
  const size_t dash = i + 1;
  const char s = SymbolAt(dash);
  if ((s != '-' && s != kEnDash) || !IsNumberAt(dash + 1)) return 0;
  if (s == '-' && Attached(dash) != Attached(dash + 1)) return 0;
  std::vector<std::string> words;
  if (IsYearLikeAt(i) && IsPlainIntegerAt(dash + 1) && Text(dash + 1).size() == 2) {
    AppendYearWords(Text(i), words);
    EmitWords(words, SpanOf(i, i + 1));
    EmitWord("to", SpanOf(dash, dash + 1));
    words.clear();
    AppendYearTailWords(Text(dash + 1), words);
    EmitWords(words, SpanOf(dash + 1, dash + 2));
    return 3;
  }
  const bool years = IsYearLikeAt(dash + 1) && !QuantityFollows(dash + 2);
  AppendNumberReading(i, years, words);
  EmitWords(words, SpanOf(i, i + 1));
  EmitWord("to", SpanOf(dash, dash + 1));
  return 2;  // the second number is read on its own, with its unit
}

bool Normalizer::QuantityFollows(size_t i) const {
  const char s = SymbolAt(i);
  if (s == '%' || s == kDegree || s == kCent || FindCurrency(s) != nullptr) return true;
  if (!IsWordAt(i)) return false;
  const std::string_view w = Text(i);
  if (FindUnit(w) != nullptr) return true;
  static constexpr std::string_view kQuantityWords[] = {
      "dollars",    "euros", "pounds", "cents",     "yen",   "percent", "degrees", "meters",
      "kilometers", "miles", "feet",   "kilograms", "grams", "people",  "times"};
  return InList(kQuantityWords, w);
}

size_t Normalizer::PlainNumber(size_t i, bool negative) {
  std::vector<std::string> words;
  AppendNumberReading(i, !negative && !QuantityFollows(i + 1), words);
  EmitWords(words, SpanOf(i, i + 1));
  const bool singular = IntegerDigits(i) == "1" && FractionDigits(i).empty();
  return 1 + EmitUnit(i + 1, singular);
}

size_t Normalizer::EmitUnit(size_t i, bool singular) {
  const char s = SymbolAt(i);
  if (s == kDegree) {
    std::string phrase(singular ? "degree" : "degrees");
    size_t n = 1;
    if (IsWordAt(i + 1) && Attached(i + 1) && (Text(i + 1) == "C" || Text(i + 1) == "F")) {
      phrase += Text(i + 1) == "C" ? " celsius" : " fahrenheit";
      n = 2;
    }
    EmitPhrase(phrase, SpanOf(i, i + n));
    return n;
  }
  if (const Currency* currency = FindCurrency(s); currency != nullptr && Attached(i)) {
    EmitWord(std::string(singular ? currency->singular : currency->plural), SpanOf(i, i + 1));
    return 1;
  }
  if (s == kCent && Attached(i)) {
    EmitWord(singular ? "cent" : "cents", SpanOf(i, i + 1));
    return 1;
  }
  if (!IsWordAt(i)) return 0;
  const Unit* unit = FindUnit(Text(i));
  if (unit == nullptr) return 0;
  // "5 in the box": "in" is only a unit when glued on or before punctuation.
  if (IsAmbiguousUnit(unit->written) && Spaced(i) && i + 1 < size() &&
      (IsWordAt(i + 1) || IsNumberAt(i + 1))) {
    return 0;
  }
  std::string phrase;
  size_t n = 1;
  if (SymbolAt(i + 1) == kSquared || SymbolAt(i + 1) == kCubed) {
    phrase = SymbolAt(i + 1) == kSquared ? "square " : "cubic ";
    n = 2;
  }
  phrase += singular ? unit->singular : unit->plural;
  if (SymbolAt(i + n) == '/' && Attached(i + n) && IsWordAt(i + n + 1) && Attached(i + n + 1)) {
    if (const Unit* per = FindUnit(Text(i + n + 1)); per != nullptr) {
      phrase += " per ";
      phrase += per->singular;
      n += 2;
    }
  }
  EmitPhrase(phrase, SpanOf(i, i + n));
  return n;
}

// ---------------------------------------------------------------------------
// Symbols and punctuation.
// ---------------------------------------------------------------------------
bool Normalizer::IsMinusSign(size_t i) const {
  if (SymbolAt(i) != '-' || !Attached(i + 1)) return false;
  const bool amount_follows = IsNumberAt(i + 1) || (FindCurrency(SymbolAt(i + 1)) != nullptr &&
                                                    IsNumberAt(i + 2) && Attached(i + 2));
  if (!amount_follows) return false;
  if (i == 0 || Spaced(i)) return true;
  const char before = SymbolAt(i - 1);
  return before == '(' || before == '[' || before == '=' || before == '/' || before == '<' ||
         before == '>' || before == '"' || before == ':';
}

size_t Normalizer::TryCurrency(size_t i) {
  const char symbol = SymbolAt(i);
  const Currency* currency = FindCurrency(symbol);
  if (currency == nullptr || !IsNumberAt(i + 1) || !Attached(i + 1)) return 0;
  const size_t number = i + 1;
  size_t end = i + 2;
  std::string_view scale;
  if (IsWordAt(end)) {
    scale = ScaleWord(Text(end), Attached(end));
    if (!scale.empty()) ++end;
  }
  const std::string digits = IntegerDigits(number);
  const std::string_view cents = FractionDigits(number);
  // "$5-10" and "$5–$10" are said "five to ten dollars".
  size_t upper = 0;
  if (scale.empty() && cents.empty() && (SymbolAt(end) == '-' || SymbolAt(end) == kEnDash)) {
    size_t k = end + 1;
    if (SymbolAt(k) == symbol) ++k;
    if (IsNumberAt(k) && FractionDigits(k).empty() && Attached(end) == Attached(end + 1)) {
      upper = k;
      end = k + 1;
    }
  }
  std::vector<std::string> words;
  const bool one = digits == "1" && cents.empty() && scale.empty() && upper == 0;
  const std::string_view unit = one ? currency->singular : currency->plural;
  if (!scale.empty() || upper != 0 || (!cents.empty() && cents.size() != 2) ||
      currency->cent_plural.empty()) {
    AppendNumberReading(number, false, words);
    if (upper != 0) {
      words.emplace_back("to");
      AppendNumberReading(upper, false, words);
    }
    if (!scale.empty()) words.emplace_back(scale);
    words.emplace_back(unit);
  } else {
    const long cent_value = cents.empty() ? 0 : DigitsValue(cents);
    const bool no_whole = DigitsValue(digits) == 0 || digits.empty();
    if (!no_whole || cent_value == 0) {
      AppendCardinalWords(digits.empty() ? "0" : digits, words);
      words.emplace_back(one || digits == "1" ? currency->singular : currency->plural);
    }
    if (cent_value > 0) {
      if (!words.empty()) words.emplace_back("and");
      AppendCardinalWords(cents, words);
      words.emplace_back(cent_value == 1 ? currency->cent_singular : currency->cent_plural);
    }
  }
  EmitWords(words, SpanOf(i, end));
  return end - i;
}

size_t Normalizer::SymbolRules(size_t i) {
  const char s = SymbolAt(i);
  const Span span = SpanOf(i, i + 1);
  switch (s) {
    case '$':
    case kEuro:
    case kPound:
    case kYen:
      if (const size_t n = TryCurrency(i)) return n;
      return 1;
    case '+':
    case '(':
      if (const size_t n = TryTelephone(i)) return n;
      break;
    case '-':
      if (IsMinusSign(i)) {
        EmitWord("minus", span);
        negative_ = true;
        return 1;
      }
      // "well-known" is two words; a free-standing hyphen is a dash.
      if (Spaced(i) && (i + 1 >= size() || Spaced(i + 1))) EmitPunctuation(kDashMark, span, false);
      return 1;
    case kEnDash:
    case kEmDash:
      EmitPunctuation(kDashMark, span, false);
      return 1;
    case '.':
      // "index.html" outside a URL, "1.2.3" version numbers.
      if (Attached(i) && Attached(i + 1) && i > 0 && !Spaced(i) &&
          (IsWordAt(i - 1) || IsNumberAt(i - 1)) &&
          (IsNumberAt(i + 1) || (IsWordAt(i + 1) && IsLower(Text(i + 1)[0])))) {
        EmitWord(IsNumberAt(i - 1) && IsNumberAt(i + 1) ? "point" : "dot", span);
        return 1;
      }
      EmitPunctuation(".", span, true);
      return 1;
    case '!':
    case '?':
      EmitPunctuation(std::string_view(&s, 1), span, true);
      return 1;
    case ':':
      // "3:1" odds; times were taken by the number rules.
      if (i > 0 && IsNumberAt(i - 1) && Attached(i) && IsNumberAt(i + 1) && Attached(i + 1)) {
        EmitWord("to", span);
        return 1;
      }
      EmitPunctuation(std::string_view(&s, 1), span, false);
      return 1;
    case ',':
    case ';':
      EmitPunctuation(std::string_view(&s, 1), span, false);
      return 1;
    case kEllipsis:
      EmitPunctuation(kEllipsisMark, span, NextStartsSentence(i + 1));
      return 1;
    default:
      break;
  }
  switch (s) {
    case '(':
    case '[':
    case '{':
      // Parenthetical remarks get the pause of a comma.
      if (LastEmittedIsWord()) EmitPunctuation(",", span, false);
      return 1;
    case ')':
    case ']':
    case '}':
      if (IsWordAt(i + 1) || IsNumberAt(i + 1)) EmitPunctuation(",", span, false);
      return 1;
    case '#':
      EmitWord(IsNumberAt(i + 1) && Attached(i + 1) ? "number" : "hash", span);
      return 1;
    case '/':
      if (Attached(i) && Attached(i + 1) && i > 0 && (IsWordAt(i - 1) || IsNumberAt(i - 1)) &&
          (IsWordAt(i + 1) || IsNumberAt(i + 1))) {
        EmitWord("slash", span);
      }
      return 1;
    case '~':
      if (IsNumberAt(i + 1)) EmitWord("about", span);
      return 1;
    default:
      EmitPhrase(SymbolWord(s), span);
      return 1;
  }
}

// ---------------------------------------------------------------------------
// Words.
// ---------------------------------------------------------------------------
size_t Normalizer::WordRules(size_t i) {
  size_t n = 0;
  if ((n = TryMonthDay(i)) || (n = TryDottedAbbreviation(i)) || (n = TryAbbreviation(i)) ||
      (n = TryRoman(i)) || (n = TryInitial(i)) || (n = TryAcronym(i))) {
    return n;
  }
  return PlainWord(i);
}

size_t Normalizer::TryMonthDay(size_t i) {
  int month = 0;
  const size_t length = MonthAt(i, month);
  if (length == 0) return 0;
  const size_t day = i + length;
  const long value = ValueAt(day);
  if (value < 1 || value > 31 || Text(day).size() > 2 || SymbolAt(day + 1) == ':') return 0;
  // Abbreviations without their period ("Jan 5") only count before a day.
  EmitWord(std::string(kMonths[month - 1]), SpanOf(i, i + length));
  const size_t day_length = IsOrdinalSuffixAt(day + 1) ? 2 : 1;
  std::vector<std::string> words;
  AppendOrdinalWords(Text(day), words);
  EmitWords(words, SpanOf(day, day + day_length));
  return length + day_length;
}

const Abbreviation* FindAbbreviation(std::string_view written) {
  for (const Abbreviation& entry : kAbbreviations) {
    if (entry.written == written) return &entry;
    if ((entry.flags & kIgnoreCase) != 0 && EqualsIgnoreCase(entry.written, written)) {
      return &entry;
    }
  }
  return nullptr;
}

size_t Normalizer::TryDottedAbbreviation(size_t i) {
  // "e.g.", "U.S.A.", "Ph.D.": short words joined by periods with no spaces.
  std::string key(Text(i));
  size_t last = i;
  bool single_letters = Text(i).size() == 1;
  while (SymbolAt(last + 1) == '.' && Attached(last + 1) && IsWordAt(last + 2) &&
         Attached(last + 2) && Text(last + 2).size() <= 2 && Text(last).size() <= 2) {
    key += '.';
    key += Text(last + 2);
    single_letters = single_letters && Text(last + 2).size() == 1;
    last += 2;
  }
  if (last == i) return 0;
  const bool has_period = SymbolAt(last + 1) == '.' && Attached(last + 1);
  const size_t end = last + 1 + (has_period ? 1 : 0);
  const Abbreviation* entry = FindAbbreviation(key);
  if (entry != nullptr) {
    const WordFlag flag = (entry->flags & kSpelled) != 0 ? WordFlag::kLetter : WordFlag::kNone;
    EmitPhrase(entry->spoken, SpanOf(i, last + 1), flag);
    if (has_period) EmitAbbreviationPeriod(last + 1, (entry->flags & kMayEndSentence) != 0);
    return end - i;
  }
  if (!single_letters) return 0;
  for (size_t k = i; k <= last; k += 2) EmitLetters(k, Text(k), "");
  if (has_period) EmitAbbreviationPeriod(last + 1, false);
  return end - i;
}

size_t Normalizer::TryAbbreviation(size_t i) {
  int month = 0;
  if (MonthAt(i, month) == 2) {  // "Jan." without a day
    EmitWord(std::string(kMonths[month - 1]), SpanOf(i, i + 1));
    EmitAbbreviationPeriod(i + 1, true);
    return 2;
  }
  const Abbreviation* entry = FindAbbreviation(Text(i));
  if (entry == nullptr) return 0;
  const bool has_period = SymbolAt(i + 1) == '.' && Attached(i + 1);
  const size_t next = i + 1 + (has_period ? 1 : 0);
  const uint8_t flags = entry->flags;
  if ((flags & kPeriodRequired) != 0 && !has_period) return 0;
  if ((flags & kTitle) != 0 && !has_period && !IsCapitalizedWordAt(next)) return 0;
  if ((flags & kNeedsNumberAfter) != 0 && !IsNumberAt(next)) return 0;
  const std::string_view w = Text(i);
  // Weekday abbreviations collide with words ("the Sun."): only before a date.
  const bool weekday =
      entry->spoken.size() > 3 && entry->spoken.substr(entry->spoken.size() - 3) == "day";
  if (weekday && !(SymbolAt(next) == ',' || IsNumberAt(next) || MonthAt(next, month) > 0)) {
    return 0;
  }
  std::string_view spoken = entry->spoken;
  bool may_end = (flags & kMayEndSentence) != 0;
  if (w == "St" || w == "Dr") {
    // "St. Louis" / "Main St.", "Dr. Smith" / "Elm Dr.": a street type
    // follows a name or house number.
    const bool after_name =
        i > 0 && Spaced(i) && (IsNumberAt(i - 1) || (IsNameAt(i - 1) && !IsSentenceStartAt(i - 1)));
    const bool before_name = IsCapitalizedWordAt(next) && !InList(kSentenceStarters, Text(next));
    const bool after_house_number = after_name && i >= 2 && IsNumberAt(i - 2);
    if (after_name && (!before_name || after_house_number)) {
      spoken = w == "St" ? "street" : "drive";
      may_end = !before_name;
    }
  }
  const WordFlag flag = (flags & kSpelled) != 0 ? WordFlag::kLetter : WordFlag::kNone;
  EmitPhrase(spoken, SpanOf(i, i + 1), flag);
  if (has_period) EmitAbbreviationPeriod(i + 1, may_end);
  return next - i;
}

size_t Normalizer::TryRoman(size_t i) {
  const std::string_view w = Text(i);
  const int value = RomanValue(w);
  if (value == 0 || i == 0 || !Spaced(i) || !IsWordAt(i - 1)) return 0;
  std::vector<std::string> words;
  if (InList(kRomanCardinalContext, Lowercase(Text(i - 1)))) {
    AppendCardinalWords(std::to_string(value), words);
  } else if (IsNameAt(i - 1) && w != "I" && w != "X" && value <= 39 &&
             w.find_first_not_of("IVX") == std::string_view::npos) {
    // Regnal numbers: "Henry VIII" -> henry the eighth.
    words.emplace_back("the");
    AppendOrdinalWords(std::to_string(value), words);
  } else {
    return 0;
  }
  EmitWords(words, SpanOf(i, i + 1));
  return 1;
}

size_t Normalizer::TryInitial(size_t i) {
  const std::string_view w = Text(i);
  if (w.size() != 1 || !IsUpper(w[0]) || SymbolAt(i + 1) != '.' || !Attached(i + 1)) return 0;
  const bool next_is_initial = IsWordAt(i + 2) && Text(i + 2).size() == 1 &&
                               IsUpper(Text(i + 2)[0]) && SymbolAt(i + 3) == '.';
  // "I." and "A." are more often a pronoun or article ending a sentence.
  if (w == "I" || w == "A" ? !next_is_initial : !IsCapitalizedWordAt(i + 2)) return 0;
  // "Plan B. Then ..." is a sentence end, not an initial.
  if (!next_is_initial && InList(kSentenceStarters, Text(i + 2))) return 0;
  EmitLetters(i, w, "");
  return 2;
}

size_t Normalizer::TryAcronym(size_t i) {
  const std::string_view w = Text(i);
  for (const SpecialWord& special : kSpecialWords) {
    if (special.written == w) {
      EmitPhrase(special.spoken, SpanOf(i, i + 1));
      return 1;
    }
  }
  std::string_view core = w;
  std::string_view suffix;
  if (core.size() > 3 && core.substr(core.size() - 2) == "'s") {
    core.remove_suffix(2);
    suffix = "'s";
  } else if (core.size() > 2 && core.back() == 's') {
    core.remove_suffix(1);
    suffix = "s";
  }
  if (core.size() < 2) return 0;
  for (char c : core) {
    if (!IsUpper(c)) return 0;
  }
  bool spelled;
  if (InList(kInitialisms, core)) {
    spelled = true;
  } else if (InList(kAcronymWords, core)) {
    spelled = false;
  } else if (core.size() == 2) {
    spelled = !InList(kShortWords, core);
  } else {
    spelled = !LooksPronounceable(core);
  }
  if (spelled) {
    // The plural or possessive rides on the last letter: "CDs" -> c d's.
    EmitLetters(i, core, suffix.empty() ? "" : "'s");
  } else {
    EmitWord(Lowercase(core) + std::string(suffix), SpanOf(i, i + 1));
  }
  return 1;
}

// Interjections that have no vowel letter but are still said as words.
constexpr std::string_view kVowellessWords[] = {"hmm", "hm",   "mm",   "mmm", "shh",  "sh",  "psst",
                                                "pst", "brr",  "nth",  "tsk", "pfft", "zzz", "grr",
                                                "ssh", "hmmm", "shhh", "cwm", "crwth"};

size_t Normalizer::PlainWord(size_t i) {
  const std::string_view w = Text(i);
  const Span span = SpanOf(i, i + 1);
  if (w.size() == 1 && w != "a" && w != "A" && w != "I" && w != "i") {
    EmitWord(std::string(1, ToLower(w[0])), span, WordFlag::kLetter);
    return 1;
  }
  std::string lower = Lowercase(w);
  // Lowercase "html" or "pdf" cannot be read as a word: spell it.
  if (lower.size() <= 5 && !HasVowel(lower) && lower.find('\'') == std::string::npos &&
      !InList(kVowellessWords, lower)) {
    EmitLetters(i, w, "");
    return 1;
  }
  EmitWord(std::move(lower), span);
  return 1;
}

// ---------------------------------------------------------------------------
// say-as interpretations that replace the default reading of the whole text.
// ---------------------------------------------------------------------------
void Normalizer::RunCharacters() {
  for (size_t i = 0; i < size(); ++i) {
    const RawToken& t = tokens_[i];
    if (t.kind == RawKind::kSymbol) {
      EmitPhrase(SymbolWord(t.symbol), SpanOf(i, i + 1));
      continue;
    }
    for (uint32_t k = t.begin; k < t.end; ++k) {
      const char c = folded_.chars[k];
      const Span span = SpanOfChars(k, k + 1);
      if (IsLetter(c)) {
        EmitWord(std::string(1, ToLower(c)), span, WordFlag::kLetter);
      } else if (IsDigit(c)) {
        std::vector<std::string> words;
        AppendDigitWords(std::string_view(&c, 1), words);
        EmitWords(words, span);
      } else if (c == '.') {
        EmitWord("point", span);
      }
    }
  }
}

void Normalizer::RunTelephone() {
  bool previous_digits = false;
  for (size_t i = 0; i < size(); ++i) {
    const RawToken& t = tokens_[i];
    const Span span = SpanOf(i, i + 1);
    if (t.kind == RawKind::kSymbol) {
      if (t.symbol == '+') EmitWord("plus", span);
      continue;
    }
    if (previous_digits) EmitPunctuation(",", span, false);
    if (t.kind == RawKind::kWord) {
      EmitLetters(i, Text(i), "");
    } else {
      for (uint32_t k = t.begin; k < t.end; ++k) {
        const char c = folded_.chars[k];
        if (c == '.') {
          EmitPunctuation(",", span, false);
        } else if (IsDigit(c)) {
          std::vector<std::string> words;
          AppendDigitWords(std::string_view(&c, 1), words);
          EmitWords(words, span);
        }
      }
    }
    previous_digits = true;
  }
}

bool Normalizer::RunDate() {
  const std::string_view format =
      options_.format.empty() ? std::string_view("mdy") : std::string_view(options_.format);
  std::vector<size_t> numbers;
  for (size_t i = 0; i < size(); ++i) {
    int month = 0;
    if (MonthAt(i, month) > 0) return false;  // written months read fine by default
    if (IsNumberAt(i)) {
      if (!IsPlainIntegerAt(i)) return false;
      numbers.push_back(i);
    }
  }
  if (numbers.size() != format.size() || format.size() > 3) return false;
  int month = 0;
  std::string_view day, year;
  for (size_t k = 0; k < format.size(); ++k) {
    switch (format[k]) {
      case 'm':
        month = static_cast<int>(ValueAt(numbers[k]));
        break;
      case 'd':
        day = Text(numbers[k]);
        break;
      case 'y':
        year = Text(numbers[k]);
        break;
      default:
        return false;
    }
  }
  const bool has_month = format.find('m') != std::string_view::npos;
  if (has_month && (month < 1 || month > 12)) return false;
  if (!day.empty() && (DigitsValue(day) < 1 || DigitsValue(day) > 31)) return false;
  std::vector<std::string> words;
  AppendDateWords(month, day, year, format[0] == 'd', words);
  EmitWords(words, SpanOf(0, size()));
  return true;
}

bool Normalizer::RunTime() {
  std::vector<long> parts;
  size_t am_pm = size();
  for (size_t i = 0; i < size(); ++i) {
    char letter = 0;
    bool period = false;
    if (IsNumberAt(i)) {
      if (!IsPlainIntegerAt(i)) return false;
      parts.push_back(ValueAt(i));
    } else if (MatchAmPm(i, letter, period) > 0) {
      am_pm = i;
      break;
    } else if (IsWordAt(i)) {
      return false;
    }
  }
  if (parts.size() == 1 && Text(0).size() >= 3 && Text(0).size() <= 4) {
    parts = {parts[0] / 100, parts[0] % 100};  // "1030"
  }
  if (parts.empty() || parts.size() > 3 || parts[0] > 24 || (parts.size() > 1 && parts[1] > 59)) {
    return false;
  }
  std::vector<std::string> words;
  AppendTimeWords(parts[0], parts.size() > 1 ? parts[1] : 0, parts.size() > 2 ? parts[2] : 0,
                  am_pm < size() || parts.size() == 1, words);
  EmitWords(words, SpanOf(0, std::min(am_pm, size())));
  if (am_pm < size()) EmitAmPm(am_pm);
  return true;
}

}  // namespace

void Normalize(const SourceText& text, const NormalizeOptions& options, std::vector<Token>& out,
               Diagnostics& diag) {
  Normalizer(text, options, out, diag).Run();
}

std::string SpokenForm(const std::vector<Token>& tokens) {
  std::string result;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord) {
      if (!result.empty()) result += ' ';
      result += token.text;
    } else if (token.kind == TokenKind::kPunctuation) {
      result += token.text;
    }
  }
  return result;
}

}  // namespace voxlet
