#include "voxlet/status.h"

namespace voxlet {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kInvalidUtf8: return "INVALID_UTF8";
    case StatusCode::kMalformedSsml: return "MALFORMED_SSML";
    case StatusCode::kMalformedJson: return "MALFORMED_JSON";
    case StatusCode::kInvalidConfig: return "INVALID_CONFIG";
    case StatusCode::kInvalidAsset: return "INVALID_ASSET";
    case StatusCode::kLimitExceeded: return "LIMIT_EXCEEDED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace voxlet
