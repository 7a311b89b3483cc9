// Tune: from a device profile (what detect() measured) and a voice (its
// variants and components) to a Plan — backend, precision, threads, batch size,
// chunk sizes, components, warm-up — each field with a one-line reason in words.
// A pure function: no I/O, no clock, no global state; the same inputs give the
// same plan in the browser, in Node and in the native tests.
//
// The rules are the decision tree of docs/tuning.md, one function per heading
// (Classify symptoms, Choose backend, Choose precision, ...), applied in that
// order; each decision may read the ones made before it. A field the user sets
// in TuneOverrides is taken as given (reason "set by you") and the later
// decisions build on it.
//
//   Result<DeviceProfile> profile = ParseDeviceProfile(profile_json);
//   Result<VoiceConfig> voice = VoiceConfig::Parse(voice_json);
//   Result<Plan> plan = Tune(*profile, *voice, TuneOverrides{});
//   plan->backend.value;   // "wasm"
//   plan->backend.reason;  // "no usable GPU: no WebGPU adapter"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/status.h"
#include "voxlet/voice_config.h"

namespace voxlet {

// The symptom names of the deployment guide, as detect() and the plan show them.
inline constexpr const char* kSymptomLowMemory = "low memory";
inline constexpr const char* kSymptomWeakCpu = "weak CPU";
inline constexpr const char* kSymptomNoUsableGpu = "no usable GPU";
inline constexpr const char* kSymptomSlowStorage = "slow storage";

// Thresholds of the symptoms (docs/tuning.md, "Classify symptoms"); web/src/detect.js
// uses the same numbers.
inline constexpr double kLowDeviceMemoryGb = 4;     // device memory below this: low memory
inline constexpr double kLowJsHeapLimitMb = 1024;   // JS heap limit below this: low memory
inline constexpr double kWeakCpuGflops = 2;         // best measured CPU GFLOP/s below this: weak CPU
inline constexpr int kWeakCpuCores = 2;             // unmeasured and at most this many cores: weak CPU
inline constexpr double kSlowStorageMbps = 25;      // cache read speed below this: slow storage
inline constexpr double kUsefulThreadGain = 1.2;    // N-thread GFLOP/s / 1-thread below this: no gain,
                                                    // at least this: the cores are free (measured gain)
inline constexpr int kMeasuredGainMinThreads = 2;   // a measured gain gets at least this many threads
inline constexpr int kMaxThreads = 4;               // ORT Web intra-op threads, at most

// What detect() reports about the device. Unknown values stay empty.
struct DeviceProfile {
  int logical_cores = 1;                         // navigator.hardwareConcurrency; >= 1
  std::optional<double> device_memory_gb;        // navigator.deviceMemory / os.totalmem(); GB, > 0
  std::optional<double> js_heap_limit_mb;        // performance.memory.jsHeapSizeLimit; MB, > 0
  bool webgpu_adapter = false;                   // navigator.gpu.requestAdapter() gave one
  bool webgpu_fallback = false;                  // adapter.isFallbackAdapter (software, e.g. SwiftShader)
  bool webgpu_shader_f16 = false;                // adapter.features has "shader-f16"
  std::optional<double> webgpu_max_buffer_bytes; // adapter.limits.maxBufferSize; bytes, > 0
  bool wasm_simd = true;                         // WebAssembly SIMD validates
  bool threads_allowed = false;                  // SharedArrayBuffer + crossOriginIsolated (Node: true)
  std::optional<double> gflops_wasm_single;      // measured WASM SIMD GFLOP/s, 1 thread; > 0
  std::optional<double> gflops_wasm_multi;       // measured, N threads (detect(): N = min(cores, 4))
  std::optional<int> gflops_threads_measured;    // that N, when known; >= 1
  std::optional<double> gflops_webgpu;           // measured WebGPU matmul GFLOP/s
  std::optional<double> storage_read_mbps;       // measured model-cache read speed; MB/s, > 0
  bool is_node = false;                          // running in Node (ORT Web's node build: no WebGPU)

  std::vector<std::string> Validate() const;  // every problem in words; empty = valid
  std::string ToString() const;               // one line for logs
};

// What the plan is for: "interactive" (speak/stream: first audio matters) or
// "offline" (render to a file: throughput matters).
enum class TuneUse { kInteractive, kOffline };

// Fields the user forces; empty = let the tree decide.
struct TuneOverrides {
  TuneUse use = TuneUse::kInteractive;
  std::optional<std::string> backend;  // webgpu | wasm
  std::optional<std::string> precision;  // one of the voice's variants (fp32 when it has none)
  std::optional<int> threads;            // 1..64
  std::optional<int> batch_size;         // 1..64
  std::optional<int> first_chunk_ids;    // >= 8
  std::optional<int> max_chunk_ids;      // >= 16
  std::optional<std::vector<std::string>> components;  // names the voice lists
  std::optional<bool> warmup;

  std::vector<std::string> Validate() const;  // checks that need no voice; empty = valid
  std::string ToString() const;
};

// One decided field: the value, a one-line reason in words, and the rule of
// docs/tuning.md that decided it (e.g. "backend.no-adapter"; "override" when set by you).
template <typename T>
struct Decision {
  T value{};
  std::string reason;
  std::string rule;
};

struct Plan {
  TuneUse use = TuneUse::kInteractive;
  std::vector<std::string> symptoms;  // kSymptom* names that apply, in the guide's order
  Decision<std::string> backend;      // webgpu | wasm
  Decision<std::string> precision;    // fp32 | fp16 | int8 | int8-weights | pruned
  std::vector<std::string> files;     // the chosen precision's model files (empty: no variants)
  Decision<int> threads;              // ORT Web intra-op threads (inter-op: always 1)
  Decision<int> batch_size;           // sequences per inference call
  Decision<int> first_chunk_ids;      // ids in an utterance's first chunk
  Decision<int> max_chunk_ids;        // ids per chunk, at most
  Decision<std::vector<std::string>> components;  // component names to load
  Decision<bool> warmup;              // one short synthesis right after loading

  std::string ToString() const;  // one line per field: "backend = wasm (no usable GPU: ...)"
};

// Every rule name of the tree, in the doc's order (tests check each is reachable).
const std::vector<std::string>& AllTuneRules();

// The decision tree. Errors (kInvalidArgument): an invalid profile or override
// (the message names the field), a precision or component the voice lacks
// (the message lists the voice's choices).
Result<Plan> Tune(const DeviceProfile& profile, const VoiceConfig& voice,
                  const TuneOverrides& overrides);

// JSON forms (docs/tuning.md, "JSON"). Unknown keys of a profile are ignored
// (detect() reports more than the tree reads); unknown override keys are errors.
Result<DeviceProfile> ParseDeviceProfile(std::string_view json);
Result<TuneOverrides> ParseTuneOverrides(std::string_view json);
std::string PlanToJson(const Plan& plan);

}  // namespace voxlet
