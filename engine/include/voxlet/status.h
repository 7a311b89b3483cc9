// Status and Result<T>: the engine's error type. The engine never throws and never
// aborts on bad input (in a browser that would kill the whole instance); every
// fallible call returns one of these, and the bindings turn the code into a JS
// VoxletError with the same code name.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace voxlet {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // bad option value, unknown name
  kInvalidUtf8,       // reserved: input that cannot be decoded at all
  kMalformedSsml,     // SSML that does not parse; message names line and column
  kMalformedJson,     // a config that is not JSON; message names the position
  kInvalidConfig,     // JSON that parses but fails validation; message lists problems
  kInvalidAsset,      // a lexicon or other binary asset that is corrupt or the wrong kind
  kLimitExceeded,     // input over a documented bound (size, nesting depth)
  kFailedPrecondition // call order: e.g. phonemize before a lexicon was loaded
};

// The stable name of a code, e.g. "MALFORMED_SSML"; JS error codes use it.
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "MALFORMED_SSML: line 3, column 7: ..." for logs and the CLI.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace voxlet
