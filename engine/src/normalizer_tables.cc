#include "normalizer_tables.h"

#include <iterator>

#include "ascii.h"
#include "voxlet/text_folding.h"

namespace voxlet::normalizer_internal {
namespace {

template <size_t N>
bool InList(const std::string_view (&list)[N], std::string_view word) {
  for (std::string_view entry : list) {
    if (entry == word) return true;
  }
  return false;
}

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

constexpr Currency kCurrencies[] = {
    {'$', "dollar", "dollars", "cent", "cents"},
    {kEuro, "euro", "euros", "cent", "cents"},
    {kPound, "pound", "pounds", "penny", "pence"},
    {kYen, "yen", "yen", "", ""},
};

constexpr std::string_view kAcronymWords[] = {
    "NASA",     "NATO",  "UNESCO", "UNICEF", "LASER", "RADAR", "SCUBA", "SONAR",   "AIDS",
    "FIFA",     "NAFTA", "OPEC",   "PIN",    "RAM",   "ROM",   "GIF",   "COVID",   "NASDAQ",
    "IKEA",     "LEGO",  "FEMA",   "OSHA",   "YOLO",  "WASP",  "NIMBY", "CAPTCHA", "SIM",
    "MIDI",     "CAD",   "DOS",    "ASCII",  "WAN",   "LAN",   "SAT",   "GUI",     "NAN",
    "INTERPOL", "BAFTA", "SWAT",   "TESOL",  "RAID"};
constexpr std::string_view kInitialisms[] = {
    "USA", "UFO", "CEO", "CFO",  "CTO", "COO", "API", "URL",  "MIT",  "CIA", "ETA", "IOU",
    "AKA", "BMW", "EOD", "UCLA", "IRA", "AOL", "ABC", "EPA",  "ESPN", "FAQ", "OPE", "UPS",
    "IRS", "AMA", "ICU", "ATM",  "IDE", "OEM", "SUV", "RSVP", "NBA",  "NBC", "NYU", "PTA",
    "ISO", "EA",  "IO",  "ID",   "TV",  "PC",  "UK",  "US",   "EU",   "UN",  "AI",  "IT"};
constexpr std::string_view kShortWords[] = {"NO", "GO", "SO", "DO", "TO", "BE", "HE", "WE", "ME",
                                            "MY", "BY", "OF", "ON", "IN", "IS", "AT", "AS", "AN",
                                            "OR", "IF", "UP", "AM", "OH", "HI", "OK"};

struct SpecialWord {
  std::string_view written, spoken;
};
constexpr SpecialWord kSpecialWords[] = {{"OK", "okay"},    {"JSON", "jason"}, {"JPEG", "jay peg"},
                                         {"SQL", "sequel"}, {"WiFi", "wifi"},  {"iOS", "i o s"}};

constexpr std::string_view kRomanCardinalContext[] = {
    "chapter",  "part",    "volume",   "vol",    "book",  "act",     "scene",    "section",
    "war",      "episode", "phase",    "stage",  "level", "article", "appendix", "lesson",
    "unit",     "type",    "round",    "psalm",  "canto", "title",   "class",    "grade",
    "category", "ch",      "no",       "number", "super", "bowl",    "schedule", "annex",
    "step",     "form",    "division", "league"};

constexpr std::string_view kSentenceStarters[] = {
    "The", "A",   "An", "It", "He", "She", "We",  "They", "I",   "Then", "This", "That", "There",
    "But", "And", "So", "In", "On", "At",  "You", "My",   "Our", "His",  "Her",  "Its"};

constexpr std::string_view kTopLevelDomains[] = {
    "com",  "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "us", "ca",
    "info", "biz", "dev", "app", "ai",  "me", "tv", "eu", "au", "jp", "ly", "gg"};

constexpr std::string_view kYearIntroducers[] = {"in",   "In",    "since", "Since",
                                                 "year", "circa", "until", "till"};

constexpr std::string_view kQuantityWords[] = {
    "dollars",    "euros", "pounds", "cents",     "yen",   "percent", "degrees", "meters",
    "kilometers", "miles", "feet",   "kilograms", "grams", "people",  "times"};

constexpr std::string_view kVowellessWords[] = {"hmm", "hm",   "mm",   "mmm", "shh",  "sh",  "psst",
                                                "pst", "brr",  "nth",  "tsk", "pfft", "zzz", "grr",
                                                "ssh", "hmmm", "shhh", "cwm", "crwth"};

}  // namespace

const Abbreviation* FindAbbreviation(std::string_view written) {
  for (const Abbreviation& entry : kAbbreviations) {
    if (entry.written == written) return &entry;
    if ((entry.flags & kIgnoreCase) != 0 && EqualsIgnoreCase(entry.written, written)) {
      return &entry;
    }
  }
  return nullptr;
}

int MonthNumber(std::string_view word) {
  if (word.empty() || !IsUpper(word[0])) return 0;
  for (int m = 0; m < 12; ++m) {
    if (EqualsIgnoreCase(word, kMonths[m]) || word == kMonthAbbreviations[m]) return m + 1;
  }
  return word == "Sept" ? 9 : 0;
}

std::string_view MonthName(int month) { return kMonths[month - 1]; }

const Unit* FindUnit(std::string_view written) {
  for (const Unit& unit : kUnits) {
    if (unit.written == written) return &unit;
  }
  return nullptr;
}

bool IsAmbiguousUnit(std::string_view written) {
  return written == "in" || written == "l" || written == "L" || written == "W" || written == "V";
}

const Currency* FindCurrency(char symbol) {
  for (const Currency& currency : kCurrencies) {
    if (currency.symbol == symbol) return &currency;
  }
  return nullptr;
}

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

bool IsQuantityWord(std::string_view word) { return InList(kQuantityWords, word); }

bool IsAcronymWord(std::string_view upper) { return InList(kAcronymWords, upper); }

bool IsInitialism(std::string_view upper) { return InList(kInitialisms, upper); }

bool IsShortAllCapsWord(std::string_view upper) { return InList(kShortWords, upper); }

std::string_view SpecialWordReading(std::string_view written) {
  for (const SpecialWord& special : kSpecialWords) {
    if (special.written == written) return special.spoken;
  }
  return {};
}

bool IsRomanCardinalContext(std::string_view lower) { return InList(kRomanCardinalContext, lower); }

bool IsSentenceStarter(std::string_view word) { return InList(kSentenceStarters, word); }

bool IsYearIntroducer(std::string_view word) { return InList(kYearIntroducers, word); }

bool IsTopLevelDomain(std::string_view lower) { return InList(kTopLevelDomains, lower); }

bool IsVowellessWord(std::string_view lower) { return InList(kVowellessWords, lower); }

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

int PunctuationStrength(std::string_view mark) {
  static constexpr std::string_view kOrder[] = {
      ",", "\xE2\x80\x94", ":", ";", "\xE2\x80\xA6", ".", "!", "?"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == mark) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace voxlet::normalizer_internal
