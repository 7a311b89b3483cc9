#include "homographs.h"

#include <array>

namespace voxlet {
namespace {

enum class Reading { kNoun, kVerb };

// One homograph. `noun` is the noun or adjective reading (for "read": the
// past tense), `verb` the verb reading (for "read": the present; for
// "minute", "content", "bass": the other sense). Cue lists are
// space-separated words seen just before (prev) or after (next) the word, or
// anywhere in the sentence; they are tried in that order, then the general
// grammatical cues when `grammatical` is set, then `fallback`.
struct Homograph {
  std::string_view word;
  std::string_view noun;
  std::string_view verb;
  Reading fallback;
  bool grammatical;
  std::string_view noun_prev = "";
  std::string_view noun_next = "";
  std::string_view verb_prev = "";
  std::string_view verb_next = "";
  std::string_view noun_anywhere = "";
};

// Words before a noun or adjective: determiners, prepositions, adjectives.
constexpr std::string_view kNounCues =
    "a an the this that these those my your his her its our their no any some each every "
    "another of in on at for from with by about into onto over under without between few many "
    "much several own first new old big small good great little long heavy strong huge public "
    "private final whole such";
// Words before a verb: pronouns, modals, "to", negations.
constexpr std::string_view kVerbCues =
    "i you we they he she it to will would can could shall should may might must do did don't "
    "didn't doesn't won't wouldn't can't cannot couldn't shouldn't never always often please "
    "let's not also just i'll you'll we'll they'll he'll she'll";
constexpr std::string_view kObjects = "the a an it this that them his her their our your my its us me him";

constexpr auto kHomographs = std::to_array<Homograph>({
    {"read", "R EH1 D", "R IY1 D", Reading::kVerb, false,
     "have has had was were been is are be being having i've you've we've they've",
     "", "will would can could should must may might shall to please do does did don't didn't "
     "doesn't can't cannot won't wouldn't couldn't shouldn't let's", "", "yesterday ago last"},
    {"live", "L AY1 V", "L IH1 V", Reading::kVerb, true, "", "music show shows performance "
     "concert concerts broadcast coverage stream event events audience album recording television "
     "tv radio version wire bait animals ammunition action feed chat demo", "", "in on at with here there near together alone"},
    {"lead", "L EH1 D", "L IY1 D", Reading::kVerb, false, "of with unleaded",
     "poisoning pipe pipes paint pencil pencils based free shot weight weights ore levels exposure crystal"},
    {"record", "R EH1 K ER0 D", "R IH0 K AO1 R D", Reading::kNoun, true, "", "", "", "it them"},
    {"wind", "W IH1 N D", "W AY1 N D", Reading::kNoun, true, "", "", "", "up down"},
    {"close", "K L OW1 S", "K L OW1 Z", Reading::kVerb, true,
     "very so too quite is are was were be stay stayed come came get got keep kept draw drew",
     "to by call friend friends relationship relative relatives enough together attention contact range",
     "", "the a an your my his her its our their this these those it them down off"},
    {"use", "Y UW1 S", "Y UW1 Z", Reading::kVerb, true, "make made", "of", "", kObjects},
    {"tear", "T IH1 R", "T EH1 R", Reading::kNoun, true, "single", "gas drop drops duct ducts", "",
     "down apart off it them open"},
    {"wound", "W UW1 N D", "W AW1 N D", Reading::kNoun, true, "gunshot stab bullet head exit open fatal",
     "", "", "up down around round"},
    {"present", "P R EH1 Z AH0 N T", "P R IY0 Z EH1 N T", Reading::kNoun, true, "",
     "day time moment tense", "", kObjects},
    {"object", "AA1 B JH EH0 K T", "AH0 B JH EH1 K T", Reading::kNoun, true, "", "oriented code", "", "to"},
    {"permit", "P ER1 M IH2 T", "P ER0 M IH1 T", Reading::kNoun, true, "", "", "", kObjects},
    {"content", "K AA1 N T EH0 N T", "K AH0 N T EH1 N T", Reading::kNoun, true, "",
     "type types creator creators creation management", "be is am are was were feel felt seem seemed "
     "seems quite very perfectly remain remained fairly", "with"},
    {"desert", "D EH1 Z ER0 T", "D IH0 Z ER1 T", Reading::kNoun, true, "", "island islands storm sand heat", "", kObjects},
    {"minute", "M IH1 N AH0 T", "M AY0 N UW1 T", Reading::kNoun, true, "", "", "very so too most",
     "amount amounts detail details quantity quantities traces particles changes differences fraction"},
    {"bass", "B EY1 S", "B AE1 S", Reading::kNoun, false, "", "",
     "caught catch catching sea striped largemouth smallmouth fishing fried grilled",
     "fishing fisherman boat lake pond"},
    {"bow", "B OW1", "B AW1", Reading::kVerb, true, "violin cello hair pink red ribbon cross long",
     "and tie ties tied string strings", "", "down to before of"},
    {"row", "R OW1", "R AW1", Reading::kNoun, false, "", "", "blazing furious heated bitter terrible", "with over erupted broke"},
    {"does", "D OW1 Z", "D AH1 Z", Reading::kVerb, false, "the two three four several many female deer"},
    {"dove", "D AH1 V", "D OW1 V", Reading::kNoun, true, "", "", "", "into under off"},
    {"produce", "P R OW1 D UW0 S", "P R AH0 D UW1 S", Reading::kVerb, true, "fresh local organic farm",
     "section aisle department stand market", "", "the a an more less it them"},
    {"project", "P R AA1 JH EH0 K T", "P R AH0 JH EH1 K T", Reading::kNoun, true, "",
     "manager managers management plan team", "", "the a an it them onto"},
    {"refuse", "R EH1 F Y UW2 Z", "R IH0 F Y UW1 Z", Reading::kVerb, true, "",
     "collection bin bins truck dump heap", "", "to the it them"},
    {"subject", "S AH1 B JH IH0 K T", "S AH0 B JH EH1 K T", Reading::kNoun, true, "", "to matter", "",
     "them him her us it me you"},
    {"invalid", "IH1 N V AH0 L IH0 D", "IH2 N V AE1 L AH0 D", Reading::kVerb, false},
    {"excuse", "IH0 K S K Y UW1 S", "IH0 K S K Y UW1 Z", Reading::kNoun, true, "", "", "", kObjects},
    {"rebel", "R EH1 B AH0 L", "R IH0 B EH1 L", Reading::kNoun, true, "", "", "", "against"},
    {"suspect", "S AH1 S P EH2 K T", "S AH0 S P EH1 K T", Reading::kNoun, true, "", "", "", "that"},
    {"insult", "IH1 N S AH2 L T", "IH2 N S AH1 L T", Reading::kNoun, true, "", "", "", kObjects},
    {"conflict", "K AA1 N F L IH0 K T", "K AH0 N F L IH1 K T", Reading::kNoun, true},
    {"contract", "K AA1 N T R AE2 K T", "K AH0 N T R AE1 K T", Reading::kNoun, true},
    {"conduct", "K AA1 N D AH0 K T", "K AA0 N D AH1 K T", Reading::kNoun, true, "", "", "", kObjects},
    {"convert", "K AA1 N V ER0 T", "K AH0 N V ER1 T", Reading::kVerb, true, "", "", "", kObjects},
    {"progress", "P R AA1 G R EH2 S", "P R AH0 G R EH1 S", Reading::kNoun, true},
    {"perfect", "P ER1 F IH2 K T", "P ER0 F EH1 K T", Reading::kNoun, false, "",
     "", "to will can could must should would might", kObjects},
    {"increase", "IH1 N K R IY2 S", "IH2 N K R IY1 S", Reading::kVerb, true, "", "in of", "", kObjects},
    {"decrease", "D IY1 K R IY2 S", "D IH0 K R IY1 S", Reading::kVerb, true, "", "in of", "", kObjects},
});

// True when `word` is one of the space-separated words of `list`.
bool ListHas(std::string_view list, std::string_view word) {
  if (word.empty()) return false;
  while (!list.empty()) {
    size_t space = list.find(' ');
    if (list.substr(0, space) == word) return true;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return false;
}

Reading Choose(const Homograph& h, const WordContext& context) {
  if (ListHas(h.noun_prev, context.previous)) return Reading::kNoun;
  if (ListHas(h.verb_prev, context.previous)) return Reading::kVerb;
  if (ListHas(h.noun_next, context.next)) return Reading::kNoun;
  if (ListHas(h.verb_next, context.next)) return Reading::kVerb;
  for (std::string_view word : context.sentence) {
    if (ListHas(h.noun_anywhere, word)) return Reading::kNoun;
  }
  if (h.grammatical && ListHas(kNounCues, context.previous)) return Reading::kNoun;
  if (h.grammatical && ListHas(kVerbCues, context.previous)) return Reading::kVerb;
  return h.fallback;
}

}  // namespace

std::string_view ResolveHomograph(std::string_view word, const WordContext& context) {
  for (const Homograph& h : kHomographs) {
    if (h.word == word) return Choose(h, context) == Reading::kNoun ? h.noun : h.verb;
  }
  return "";
}

}  // namespace voxlet
