#include "voxlet/audio_common.h"

#include <sstream>

namespace voxlet {

void CheckRange(std::vector<std::string>& problems, const char* name, float value, float low,
                float high) {
  if (!(value >= low && value <= high)) {  // written so NaN fails
    std::ostringstream message;
    message << name << " = " << value << " is outside [" << low << ", " << high << "]";
    problems.push_back(message.str());
  }
}

void CheckSampleRate(std::vector<std::string>& problems, const char* name, int rate) {
  if (rate < 1000 || rate > 384000) {
    problems.push_back(std::string(name) + " = " + std::to_string(rate) +
                       " is outside [1000, 384000] Hz");
  }
}

}  // namespace voxlet
