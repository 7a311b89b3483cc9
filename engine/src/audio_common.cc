#include "voxlet/audio_common.h"

#include <cstdio>

namespace voxlet {

// "%g" is what an ostream prints for a float by default; snprintf keeps
// <sstream> (about 100 KB of wasm) out of the engine binary.
std::string FormatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

void CheckRange(std::vector<std::string>& problems, const char* name, float value, float low,
                float high) {
  if (!(value >= low && value <= high)) {  // written so NaN fails
    problems.push_back(std::string(name) + " = " + FormatNumber(value) + " is outside [" +
                       FormatNumber(low) + ", " + FormatNumber(high) + "]");
  }
}

void CheckSampleRate(std::vector<std::string>& problems, const char* name, int rate) {
  if (rate < 1000 || rate > 384000) {
    problems.push_back(std::string(name) + " = " + std::to_string(rate) +
                       " is outside [1000, 384000] Hz");
  }
}

Status InvalidConfig(const char* what, const std::vector<std::string>& problems) {
  std::string message = std::string("invalid ") + what + " config:";
  for (const std::string& problem : problems) message += " " + problem + ";";
  return Status(StatusCode::kInvalidConfig, message);
}

}  // namespace voxlet
