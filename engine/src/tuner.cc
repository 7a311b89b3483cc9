#include "voxlet/tuner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

namespace voxlet {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kOverride = "override";
constexpr const char* kSetByYou = "set by you";
constexpr int kWeakCpuFirstChunkIds = 24;    // early audio when each id costs more
constexpr int kDefaultFirstChunkIds = 48;    // FrontEndOptions' default (~6 words)
constexpr int kSmallMaxChunkIds = 200;       // shorter calls: less activation memory, no long stalls
constexpr int kOfflineBatchSize = 4;
// When a preferred precision is missing: the order of docs/tuning.md.
const std::vector<std::string> kPrecisionFallback = {"fp32", "int8-weights", "int8", "fp16",
                                                     "pruned"};
const std::vector<std::string> kPrecisions = {"fp32", "fp16", "int8", "int8-weights", "pruned"};

std::string Num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string JoinNames(const std::vector<std::string>& names, const char* separator = ", ") {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// --- Classify symptoms -------------------------------------------------------

struct Symptoms {
  bool low_memory = false, weak_cpu = false, no_usable_gpu = false, slow_storage = false;
  std::string low_memory_why, weak_cpu_why, no_gpu_why, no_gpu_rule, slow_storage_why;
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    if (low_memory) names.push_back(kSymptomLowMemory);
    if (weak_cpu) names.push_back(kSymptomWeakCpu);
    if (no_usable_gpu) names.push_back(kSymptomNoUsableGpu);
    if (slow_storage) names.push_back(kSymptomSlowStorage);
    return names;
  }
};

// The best CPU rate the plan could get: N threads only where threads are allowed.
std::optional<double> BestCpuGflops(const DeviceProfile& p) {
  std::optional<double> best = p.gflops_wasm_single;
  if (p.threads_allowed && p.gflops_wasm_multi && (!best || *p.gflops_wasm_multi > *best)) {
    best = p.gflops_wasm_multi;
  }
  return best;
}

Symptoms ClassifySymptoms(const DeviceProfile& p) {
  Symptoms s;
  if (p.device_memory_gb && *p.device_memory_gb < kLowDeviceMemoryGb) {
    s.low_memory = true;
    s.low_memory_why = "device memory " + Num(*p.device_memory_gb) + " GB < " +
                       Num(kLowDeviceMemoryGb) + " GB";
  } else if (p.js_heap_limit_mb && *p.js_heap_limit_mb < kLowJsHeapLimitMb) {
    s.low_memory = true;
    s.low_memory_why = "JS heap limit " + Num(*p.js_heap_limit_mb) + " MB < " +
                       Num(kLowJsHeapLimitMb) + " MB";
  }
  if (const auto best = BestCpuGflops(p)) {
    if (*best < kWeakCpuGflops) {
      s.weak_cpu = true;
      s.weak_cpu_why = "measured " + Num(*best) + " GFLOP/s < " + Num(kWeakCpuGflops);
    }
  } else if (p.logical_cores <= kWeakCpuCores) {
    s.weak_cpu = true;
    s.weak_cpu_why = std::to_string(p.logical_cores) + " logical cores, speed not measured";
  }
  if (p.is_node) {
    s.no_usable_gpu = true;
    s.no_gpu_rule = "backend.node";
    s.no_gpu_why = "Node: ONNX Runtime Web's node build has no WebGPU";
  } else if (!p.webgpu_adapter) {
    s.no_usable_gpu = true;
    s.no_gpu_rule = "backend.no-adapter";
    s.no_gpu_why = "no WebGPU adapter";
  } else if (p.webgpu_fallback) {
    s.no_usable_gpu = true;
    s.no_gpu_rule = "backend.fallback-adapter";
    s.no_gpu_why = "the WebGPU adapter is a software fallback, slower than WASM";
  } else if (const auto cpu = BestCpuGflops(p); cpu && p.gflops_webgpu && *p.gflops_webgpu <= *cpu) {
    s.no_usable_gpu = true;
    s.no_gpu_rule = "backend.gpu-slower";
    s.no_gpu_why = "WebGPU measured " + Num(*p.gflops_webgpu) + " GFLOP/s, not above WASM's " +
                   Num(*cpu);
  }
  if (p.storage_read_mbps && *p.storage_read_mbps < kSlowStorageMbps) {
    s.slow_storage = true;
    s.slow_storage_why = "model cache reads at " + Num(*p.storage_read_mbps) + " MB/s < " +
                         Num(kSlowStorageMbps) + " MB/s";
  }
  return s;
}

// --- Helpers over the voice -----------------------------------------------------

std::vector<std::string> VoicePrecisions(const VoiceConfig& voice) {
  std::vector<std::string> out;
  for (const auto& variant : voice.variants) {
    if (!Contains(out, variant.precision)) out.push_back(variant.precision);
  }
  return out;
}

std::optional<uint64_t> SmallestVariantBytes(const VoiceConfig& voice,
                                             const std::vector<std::string>& precisions) {
  std::optional<uint64_t> smallest;
  for (const auto& variant : voice.variants) {
    if (!Contains(precisions, variant.precision)) continue;
    if (!smallest || variant.size < *smallest) smallest = variant.size;
  }
  return smallest;
}

// The first of `wanted` the voice has, else the first of the fallback order;
// the reason says which preference was missing.
Decision<std::string> PickPrecision(const std::vector<std::string>& available,
                                    const std::vector<std::string>& wanted, std::string reason,
                                    std::string rule) {
  for (const auto& candidate : wanted) {
    if (Contains(available, candidate)) {
      if (candidate != wanted.front()) reason += "; the voice has no " + wanted.front() + " model";
      return {candidate, std::move(reason), std::move(rule)};
    }
  }
  for (const auto& candidate : kPrecisionFallback) {
    if (Contains(available, candidate)) {
      return {candidate, reason + "; the voice has none of " + JoinNames(wanted) + ", so " + candidate,
              std::move(rule)};
    }
  }
  return {available.front(), std::move(reason), std::move(rule)};
}

std::vector<std::string> VoiceComponentNames(const VoiceConfig& voice) {
  std::vector<std::string> names;
  for (const auto& component : voice.components) names.push_back(component.name);
  return names;
}

// --- The decisions, one per heading of docs/tuning.md ---------------------------

Decision<std::string> ChooseBackend(const DeviceProfile& p, const VoiceConfig& voice,
                                    const Symptoms& s, const TuneOverrides& o) {
  if (o.backend) return {*o.backend, kSetByYou, kOverride};
  if (s.no_usable_gpu) return {"wasm", "no usable GPU: " + s.no_gpu_why, s.no_gpu_rule};
  std::vector<std::string> gpu_precisions = {"fp32"};
  if (p.webgpu_shader_f16) gpu_precisions.push_back("fp16");
  const auto smallest = SmallestVariantBytes(voice, gpu_precisions);
  if (p.webgpu_max_buffer_bytes && smallest && static_cast<double>(*smallest) > *p.webgpu_max_buffer_bytes) {
    return {"wasm",
            "the GPU's largest buffer (" + Num(*p.webgpu_max_buffer_bytes / 1e6) +
                " MB) is smaller than the smallest model it could run (" + Num(*smallest / 1e6) + " MB)",
            "backend.buffer-too-small"};
  }
  std::string why = "a hardware WebGPU adapter";
  if (p.gflops_webgpu) {
    why += ", measured " + Num(*p.gflops_webgpu) + " GFLOP/s";
    if (const auto cpu = BestCpuGflops(p)) why += " vs WASM " + Num(*cpu);
  } else {
    why += " (speed not measured)";
  }
  return {"webgpu", why, "backend.webgpu"};
}

Decision<std::string> ChoosePrecision(const DeviceProfile& p, const VoiceConfig& voice,
                                      const Symptoms& s, const std::string& backend,
                                      const TuneOverrides& o) {
  if (o.precision) return {*o.precision, kSetByYou, kOverride};
  const std::vector<std::string> available = VoicePrecisions(voice);
  if (available.empty()) {
    return {"fp32", "the voice lists no variants: its single model, taken as fp32",
            "precision.only-model"};
  }
  if (backend == "webgpu") {
    if (p.webgpu_shader_f16 && Contains(available, "fp16")) {
      return {"fp16", "WebGPU with shader-f16: half the weights to read, the GPU computes in fp16",
              "precision.webgpu-fp16"};
    }
    const std::string why = p.webgpu_shader_f16 ? "WebGPU; the voice has no fp16 model"
                                                : "WebGPU without shader-f16: fp16 would fail to load";
    return PickPrecision(available, {"fp32", "int8-weights", "int8"}, why, "precision.webgpu-fp32");
  }
  if (s.low_memory || s.slow_storage) {
    const std::string cause = s.low_memory ? kSymptomLowMemory : kSymptomSlowStorage;
    return PickPrecision(available, {"int8-weights", "int8", "fp32"},
                         cause + ": the smallest download; int8 weights run as fast as fp32 on WASM",
                         "precision.small-download");
  }
  // Measured by `voxlet bench --sweep` in Node and Chromium (docs/benchmarks.md, "Sweep"):
  // weight-only int8 was the fastest plan or tied with fp32, and int8 (dynamic activations) no
  // faster; calibration's spectral check still guards the variant's quality.
  return PickPrecision(available, {"int8-weights", "int8", "fp32"},
                       "WASM: int8 weights are the smallest download and ran fastest or tied in the "
                       "sweeps; fp16 runs through casts",
                       "precision.wasm-int8-weights");
}

Decision<int> ChooseThreads(const DeviceProfile& p, const std::string& backend,
                            const TuneOverrides& o) {
  if (o.threads) return {*o.threads, kSetByYou, kOverride};
  if (backend == "webgpu") {
    return {1, "WebGPU does the work; CPU threads would only wait", "threads.webgpu"};
  }
  if (!p.threads_allowed) {
    return {1, "the page is not cross-origin isolated: WASM cannot use threads", "threads.not-isolated"};
  }
  if (p.gflops_wasm_single && p.gflops_wasm_multi &&
      *p.gflops_wasm_multi < kUsefulThreadGain * *p.gflops_wasm_single) {
    return {1,
            "threads measured no faster: " + Num(*p.gflops_wasm_multi) + " GFLOP/s vs " +
                Num(*p.gflops_wasm_single) + " on 1",
            "threads.no-gain"};
  }
  const int half_cores = (p.logical_cores + 1) / 2;
  if (p.gflops_wasm_single && p.gflops_wasm_multi) {
    // The gain was measured (>= kUsefulThreadGain): the cores are free now, so even a 2-core
    // device gets 2 threads (its half-cores count, 1, is for a machine busy with other work).
    const int cap = std::min(kMaxThreads, p.logical_cores);
    const int wanted = std::max(kMeasuredGainMinThreads, half_cores);
    const int threads = std::min(wanted, cap);
    const std::string measured =
        p.gflops_threads_measured ? std::to_string(*p.gflops_threads_measured) + " threads" : "threads";
    std::string why = measured + " measured " + Num(*p.gflops_wasm_multi / *p.gflops_wasm_single) +
                      "× the 1-thread rate (" + Num(*p.gflops_wasm_multi) + " vs " +
                      Num(*p.gflops_wasm_single) + " GFLOP/s): the cores are free; half of " +
                      std::to_string(p.logical_cores) + " cores";
    if (half_cores < kMeasuredGainMinThreads) why += ", at least " + std::to_string(kMeasuredGainMinThreads);
    if (threads < wanted) why += ", at most " + std::to_string(cap);
    return {threads, why + "; 1 inter-op thread", "threads.measured-gain"};
  }
  const int threads = std::clamp(half_cores, 1, kMaxThreads);
  return {threads,
          "threads not measured: half of " + std::to_string(p.logical_cores) +
              " cores (the rest for audio and the page), at most " + std::to_string(kMaxThreads) +
              "; 1 inter-op thread",
          "threads.half-cores"};
}

Decision<int> ChooseBatchSize(const Symptoms& s, const TuneOverrides& o) {
  if (o.batch_size) return {*o.batch_size, kSetByYou, kOverride};
  if (o.use == TuneUse::kInteractive) {
    return {1, "streaming: one chunk at a time, so audio starts before the rest is computed",
            "batch.interactive"};
  }
  if (s.low_memory) {
    return {1, "low memory: one sequence at a time", "batch.low-memory"};
  }
  return {kOfflineBatchSize, "offline: " + std::to_string(kOfflineBatchSize) + " chunks per call for throughput",
          "batch.offline"};
}

Decision<int> ChooseMaxChunkIds(const VoiceConfig& voice, const Symptoms& s, const TuneOverrides& o) {
  if (o.max_chunk_ids) return {*o.max_chunk_ids, kSetByYou, kOverride};
  if (s.low_memory || s.weak_cpu) {
    const std::string cause = s.low_memory ? kSymptomLowMemory : kSymptomWeakCpu;
    return {std::min(voice.max_chunk_tokens, kSmallMaxChunkIds),
            cause + ": shorter calls need less memory and never stall playback long",
            "max-chunk.small"};
  }
  return {voice.max_chunk_tokens, "the voice's maximum: fewer, longer calls", "max-chunk.voice"};
}

Decision<int> ChooseFirstChunkIds(const Symptoms& s, int max_chunk_ids, const TuneOverrides& o) {
  if (o.first_chunk_ids) return {*o.first_chunk_ids, kSetByYou, kOverride};
  if (o.use == TuneUse::kOffline) {
    return {max_chunk_ids, "offline: no first audio to hurry, so the first chunk is full size",
            "first-chunk.offline"};
  }
  if (s.weak_cpu) {
    return {std::min(kWeakCpuFirstChunkIds, max_chunk_ids),
            "weak CPU: a shorter first chunk so the first audio comes early", "first-chunk.weak-cpu"};
  }
  return {std::min(kDefaultFirstChunkIds, max_chunk_ids),
          "about 6 words: the first audio comes early, later chunks grow", "first-chunk.default"};
}

Decision<std::vector<std::string>> ChooseComponents(const VoiceConfig& voice, const Symptoms& s,
                                                    const TuneOverrides& o) {
  if (o.components) return {*o.components, kSetByYou, kOverride};
  if (voice.components.empty()) {
    return {{"full"}, "the voice lists no components: its one model", "components.single"};
  }
  std::vector<std::string> required, optional;
  for (const auto& component : voice.components) {
    (component.optional ? optional : required).push_back(component.name);
  }
  if (optional.empty()) {
    return {required, "every component of the voice is required", "components.all"};
  }
  if (s.low_memory || s.weak_cpu) {
    const std::string cause = s.low_memory ? kSymptomLowMemory : kSymptomWeakCpu;
    return {required, cause + ": optional " + JoinNames(optional) + " skipped",
            "components.skip-optional"};
  }
  return {VoiceComponentNames(voice),
          "memory and CPU suffice: optional " + JoinNames(optional) + " loaded too",
          "components.all"};
}

Decision<bool> ChooseWarmup(const TuneOverrides& o) {
  if (o.warmup) return {*o.warmup, kSetByYou, kOverride};
  if (o.use == TuneUse::kInteractive) {
    return {true, "interactive: one short run after loading, so the first sentence does not pay for kernel setup",
            "warmup.interactive"};
  }
  return {false, "offline: set-up cost is paid once over the whole text", "warmup.offline"};
}

// Checks overrides against the voice; the message lists the voice's choices.
Status CheckOverridesAgainstVoice(const VoiceConfig& voice, const TuneOverrides& o) {
  if (o.precision) {
    std::vector<std::string> available = VoicePrecisions(voice);
    if (available.empty()) available.push_back("fp32");
    if (!Contains(available, *o.precision)) {
      return Status(StatusCode::kInvalidArgument,
                    "overrides.precision \"" + *o.precision +
                        "\" is not a variant of this voice; expected one of: " + JoinNames(available));
    }
  }
  if (o.components) {
    std::vector<std::string> names = VoiceComponentNames(voice);
    if (names.empty()) names.push_back("full");
    for (const auto& name : *o.components) {
      if (!Contains(names, name)) {
        return Status(StatusCode::kInvalidArgument,
                      "overrides.components: \"" + name +
                          "\" is not a component of this voice; expected some of: " + JoinNames(names));
      }
    }
    for (const auto& component : voice.components) {
      if (!component.optional && !Contains(*o.components, component.name)) {
        return Status(StatusCode::kInvalidArgument,
                      "overrides.components must include the required component \"" +
                          component.name + "\"");
      }
    }
  }
  return Status::Ok();
}

const char* UseName(TuneUse use) { return use == TuneUse::kOffline ? "offline" : "interactive"; }

// --- JSON helpers -----------------------------------------------------------------

// Reads an optional number (null = unknown) into `out`; a wrong type is a problem.
void ReadNumber(const Json& json, const char* key, const std::string& path,
                std::optional<double>& out, std::vector<std::string>& problems) {
  const auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  if (!it->is_number()) {
    problems.push_back(path + key + " must be a number or null");
    return;
  }
  out = it->get<double>();
}

void ReadBool(const Json& json, const char* key, const std::string& path, bool& out,
              std::vector<std::string>& problems) {
  const auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  if (!it->is_boolean()) {
    problems.push_back(path + key + " must be true or false");
    return;
  }
  out = it->get<bool>();
}

void ReadInt(const Json& json, const char* key, const std::string& path, std::optional<int>& out,
             std::vector<std::string>& problems) {
  const auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  if (!it->is_number_integer() || it->get<int64_t>() < INT32_MIN || it->get<int64_t>() > INT32_MAX) {
    problems.push_back(path + key + " must be an integer");
    return;
  }
  out = it->get<int>();
}

Result<Json> ParseJsonObject(std::string_view text, const char* what) {
  if (text.empty()) return Json::object();
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status(StatusCode::kInvalidArgument, std::string(what) + " must be a JSON object");
  }
  return json;
}

Status ProblemsStatus(const std::vector<std::string>& problems) {
  return Status(StatusCode::kInvalidArgument, JoinNames(problems, "; "));
}

template <typename T>
std::string FieldLine(const char* name, const Decision<T>& decision, const std::string& value) {
  return std::string(name) + " = " + value + " (" + decision.reason + ")\n";
}

}  // namespace

// --- Public surface ------------------------------------------------------------------

std::vector<std::string> DeviceProfile::Validate() const {
  std::vector<std::string> problems;
  if (logical_cores < 1) {
    problems.push_back("profile.logical_cores must be at least 1, got " + std::to_string(logical_cores));
  }
  const auto positive = [&](const char* name, const std::optional<double>& value) {
    if (value && !(std::isfinite(*value) && *value > 0)) {
      problems.push_back(std::string("profile.") + name + " must be a positive number or null, got " +
                         Num(*value));
    }
  };
  positive("device_memory_gb", device_memory_gb);
  positive("js_heap_limit_mb", js_heap_limit_mb);
  positive("webgpu.max_buffer_size", webgpu_max_buffer_bytes);
  positive("gflops.wasm_single", gflops_wasm_single);
  positive("gflops.wasm_multi", gflops_wasm_multi);
  positive("gflops.webgpu", gflops_webgpu);
  positive("storage_read_mbps", storage_read_mbps);
  if (gflops_threads_measured && *gflops_threads_measured < 1) {
    problems.push_back("profile.gflops.threads_measured must be at least 1, got " +
                       std::to_string(*gflops_threads_measured));
  }
  if (!webgpu_adapter && (webgpu_fallback || webgpu_shader_f16 || webgpu_max_buffer_bytes || gflops_webgpu)) {
    problems.push_back("profile.webgpu is null but WebGPU details are set");
  }
  return problems;
}

std::string DeviceProfile::ToString() const {
  const auto opt = [](const std::optional<double>& value) { return value ? Num(*value) : "?"; };
  std::string out = "DeviceProfile(cores=" + std::to_string(logical_cores);
  out += ", memory_gb=" + opt(device_memory_gb) + ", heap_mb=" + opt(js_heap_limit_mb);
  out += ", webgpu=" + std::string(!webgpu_adapter ? "none" : webgpu_fallback ? "fallback" : "hardware");
  if (webgpu_adapter) out += std::string(", shader_f16=") + (webgpu_shader_f16 ? "yes" : "no");
  out += std::string(", simd=") + (wasm_simd ? "yes" : "no");
  out += std::string(", threads=") + (threads_allowed ? "yes" : "no");
  out += ", gflops=" + opt(gflops_wasm_single) + "/" + opt(gflops_wasm_multi) + "/" + opt(gflops_webgpu);
  out += ", storage_mbps=" + opt(storage_read_mbps);
  out += std::string(", node=") + (is_node ? "yes" : "no") + ")";
  return out;
}

std::vector<std::string> TuneOverrides::Validate() const {
  std::vector<std::string> problems;
  if (backend && *backend != "webgpu" && *backend != "wasm") {
    problems.push_back("overrides.backend \"" + *backend + "\" is not valid; expected one of: webgpu, wasm");
  }
  if (precision && !Contains(kPrecisions, *precision)) {
    problems.push_back("overrides.precision \"" + *precision +
                       "\" is not valid; expected one of: " + JoinNames(kPrecisions));
  }
  if (threads && (*threads < 1 || *threads > 64)) {
    problems.push_back("overrides.threads must be from 1 to 64, got " + std::to_string(*threads));
  }
  if (batch_size && (*batch_size < 1 || *batch_size > 64)) {
    problems.push_back("overrides.batch_size must be from 1 to 64, got " + std::to_string(*batch_size));
  }
  if (first_chunk_ids && *first_chunk_ids < 8) {
    problems.push_back("overrides.first_chunk_ids must be at least 8, got " + std::to_string(*first_chunk_ids));
  }
  if (max_chunk_ids && *max_chunk_ids < 16) {
    problems.push_back("overrides.max_chunk_ids must be at least 16, got " + std::to_string(*max_chunk_ids));
  }
  if (first_chunk_ids && max_chunk_ids && *first_chunk_ids > *max_chunk_ids) {
    problems.push_back("overrides.first_chunk_ids must not exceed overrides.max_chunk_ids");
  }
  if (components && components->empty()) problems.push_back("overrides.components must not be empty");
  return problems;
}

std::string TuneOverrides::ToString() const {
  std::string out = std::string("TuneOverrides(use=") + UseName(use);
  if (backend) out += ", backend=" + *backend;
  if (precision) out += ", precision=" + *precision;
  if (threads) out += ", threads=" + std::to_string(*threads);
  if (batch_size) out += ", batch_size=" + std::to_string(*batch_size);
  if (first_chunk_ids) out += ", first_chunk_ids=" + std::to_string(*first_chunk_ids);
  if (max_chunk_ids) out += ", max_chunk_ids=" + std::to_string(*max_chunk_ids);
  if (components) out += ", components=" + JoinNames(*components, "+");
  if (warmup) out += std::string(", warmup=") + (*warmup ? "yes" : "no");
  return out + ")";
}

std::string Plan::ToString() const {
  std::string out = std::string("use = ") + UseName(use) + "\n";
  out += "symptoms = " + (symptoms.empty() ? std::string("none") : JoinNames(symptoms)) + "\n";
  out += FieldLine("backend", backend, backend.value);
  out += FieldLine("precision", precision, precision.value);
  out += FieldLine("threads", threads, std::to_string(threads.value));
  out += FieldLine("batch_size", batch_size, std::to_string(batch_size.value));
  out += FieldLine("first_chunk_ids", first_chunk_ids, std::to_string(first_chunk_ids.value));
  out += FieldLine("max_chunk_ids", max_chunk_ids, std::to_string(max_chunk_ids.value));
  out += FieldLine("components", components, JoinNames(components.value, "+"));
  out += FieldLine("warmup", warmup, warmup.value ? "yes" : "no");
  return out;
}

const std::vector<std::string>& AllTuneRules() {
  static const std::vector<std::string> kRules = {
      "backend.node", "backend.no-adapter", "backend.fallback-adapter", "backend.gpu-slower",
      "backend.buffer-too-small", "backend.webgpu",
      "precision.only-model", "precision.webgpu-fp16", "precision.webgpu-fp32",
      "precision.small-download", "precision.wasm-int8-weights",
      "threads.webgpu", "threads.not-isolated", "threads.no-gain", "threads.measured-gain",
      "threads.half-cores",
      "batch.interactive", "batch.low-memory", "batch.offline",
      "max-chunk.small", "max-chunk.voice",
      "first-chunk.offline", "first-chunk.weak-cpu", "first-chunk.default",
      "components.single", "components.all", "components.skip-optional",
      "warmup.interactive", "warmup.offline",
      kOverride};
  return kRules;
}

Result<Plan> Tune(const DeviceProfile& profile, const VoiceConfig& voice,
                  const TuneOverrides& overrides) {
  if (auto problems = profile.Validate(); !problems.empty()) return ProblemsStatus(problems);
  if (auto problems = overrides.Validate(); !problems.empty()) return ProblemsStatus(problems);
  if (Status status = CheckOverridesAgainstVoice(voice, overrides); !status.ok()) return status;

  Plan plan;
  plan.use = overrides.use;
  const Symptoms symptoms = ClassifySymptoms(profile);
  plan.symptoms = symptoms.Names();
  plan.backend = ChooseBackend(profile, voice, symptoms, overrides);
  plan.precision = ChoosePrecision(profile, voice, symptoms, plan.backend.value, overrides);
  for (const auto& variant : voice.variants) {
    if (variant.precision == plan.precision.value) plan.files.push_back(variant.file);
  }
  plan.threads = ChooseThreads(profile, plan.backend.value, overrides);
  plan.batch_size = ChooseBatchSize(symptoms, overrides);
  plan.max_chunk_ids = ChooseMaxChunkIds(voice, symptoms, overrides);
  plan.first_chunk_ids = ChooseFirstChunkIds(symptoms, plan.max_chunk_ids.value, overrides);
  if (plan.first_chunk_ids.value > plan.max_chunk_ids.value) {
    return Status(StatusCode::kInvalidArgument,
                  "overrides.first_chunk_ids (" + std::to_string(plan.first_chunk_ids.value) +
                      ") must not exceed max_chunk_ids (" + std::to_string(plan.max_chunk_ids.value) + ")");
  }
  plan.components = ChooseComponents(voice, symptoms, overrides);
  plan.warmup = ChooseWarmup(overrides);
  return plan;
}

Result<DeviceProfile> ParseDeviceProfile(std::string_view text) {
  auto parsed = ParseJsonObject(text, "profile");
  if (!parsed.ok()) return parsed.status();
  const Json& json = parsed.value();
  DeviceProfile profile;
  std::vector<std::string> problems;
  std::optional<int> cores;
  ReadInt(json, "logical_cores", "profile.", cores, problems);
  if (cores) profile.logical_cores = *cores;
  ReadNumber(json, "device_memory_gb", "profile.", profile.device_memory_gb, problems);
  ReadNumber(json, "js_heap_limit_mb", "profile.", profile.js_heap_limit_mb, problems);
  if (const auto it = json.find("webgpu"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      problems.push_back("profile.webgpu must be an object or null");
    } else {
      profile.webgpu_adapter = true;
      ReadBool(*it, "is_fallback_adapter", "profile.webgpu.", profile.webgpu_fallback, problems);
      if (it->contains("shader_f16")) {
        ReadBool(*it, "shader_f16", "profile.webgpu.", profile.webgpu_shader_f16, problems);
      } else if (const auto features = it->find("features");
                 features != it->end() && features->is_array()) {
        for (const Json& feature : *features) {
          if (feature.is_string() && feature.get<std::string>() == "shader-f16") {
            profile.webgpu_shader_f16 = true;
          }
        }
      }
      ReadNumber(*it, "max_buffer_size", "profile.webgpu.", profile.webgpu_max_buffer_bytes, problems);
    }
  }
  ReadBool(json, "wasm_simd", "profile.", profile.wasm_simd, problems);
  ReadBool(json, "threads", "profile.", profile.threads_allowed, problems);
  if (const auto it = json.find("gflops"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      problems.push_back("profile.gflops must be an object or null");
    } else {
      ReadNumber(*it, "wasm_single", "profile.gflops.", profile.gflops_wasm_single, problems);
      ReadNumber(*it, "wasm_multi", "profile.gflops.", profile.gflops_wasm_multi, problems);
      ReadNumber(*it, "webgpu", "profile.gflops.", profile.gflops_webgpu, problems);
      ReadInt(*it, "threads_measured", "profile.gflops.", profile.gflops_threads_measured, problems);
    }
  }
  ReadNumber(json, "storage_read_mbps", "profile.", profile.storage_read_mbps, problems);
  ReadBool(json, "is_node", "profile.", profile.is_node, problems);
  if (problems.empty()) problems = profile.Validate();
  if (!problems.empty()) return ProblemsStatus(problems);
  return profile;
}

Result<TuneOverrides> ParseTuneOverrides(std::string_view text) {
  auto parsed = ParseJsonObject(text, "overrides");
  if (!parsed.ok()) return parsed.status();
  const Json& json = parsed.value();
  static const std::vector<std::string> kKeys = {"use", "backend", "precision", "threads",
                                                 "batch_size", "first_chunk_ids", "max_chunk_ids",
                                                 "components", "warmup"};
  TuneOverrides o;
  std::vector<std::string> problems;
  for (const auto& [key, value] : json.items()) {
    if (!Contains(kKeys, key)) {
      problems.push_back("overrides." + key + " is not a plan field; expected one of: " + JoinNames(kKeys));
    }
  }
  const auto read_string = [&](const char* key, std::optional<std::string>& out) {
    const auto it = json.find(key);
    if (it == json.end() || it->is_null()) return;
    if (!it->is_string()) {
      problems.push_back(std::string("overrides.") + key + " must be a string");
      return;
    }
    out = it->get<std::string>();
  };
  std::optional<std::string> use;
  read_string("use", use);
  if (use) {
    if (*use == "offline") o.use = TuneUse::kOffline;
    else if (*use != "interactive") {
      problems.push_back("overrides.use \"" + *use + "\" is not valid; expected one of: interactive, offline");
    }
  }
  read_string("backend", o.backend);
  read_string("precision", o.precision);
  ReadInt(json, "threads", "overrides.", o.threads, problems);
  ReadInt(json, "batch_size", "overrides.", o.batch_size, problems);
  ReadInt(json, "first_chunk_ids", "overrides.", o.first_chunk_ids, problems);
  ReadInt(json, "max_chunk_ids", "overrides.", o.max_chunk_ids, problems);
  if (const auto it = json.find("components"); it != json.end() && !it->is_null()) {
    bool ok = it->is_array();
    std::vector<std::string> names;
    if (ok) {
      for (const Json& name : *it) {
        if (!name.is_string()) ok = false;
        else names.push_back(name.get<std::string>());
      }
    }
    if (ok) o.components = std::move(names);
    else problems.push_back("overrides.components must be an array of component names");
  }
  if (const auto it = json.find("warmup"); it != json.end() && !it->is_null()) {
    if (it->is_boolean()) o.warmup = it->get<bool>();
    else problems.push_back("overrides.warmup must be true or false");
  }
  if (problems.empty()) problems = o.Validate();
  if (!problems.empty()) return ProblemsStatus(problems);
  return o;
}

std::string PlanToJson(const Plan& plan) {
  Json json;
  json["use"] = UseName(plan.use);
  json["backend"] = plan.backend.value;
  json["precision"] = plan.precision.value;
  json["files"] = plan.files;
  json["threads"] = plan.threads.value;
  json["batch_size"] = plan.batch_size.value;
  json["first_chunk_ids"] = plan.first_chunk_ids.value;
  json["max_chunk_ids"] = plan.max_chunk_ids.value;
  json["components"] = plan.components.value;
  json["warmup"] = plan.warmup.value;
  json["symptoms"] = plan.symptoms;
  Json reasons, rules;
  const auto add = [&](const char* key, const auto& decision) {
    reasons[key] = decision.reason;
    rules[key] = decision.rule;
  };
  add("backend", plan.backend);
  add("precision", plan.precision);
  add("threads", plan.threads);
  add("batch_size", plan.batch_size);
  add("first_chunk_ids", plan.first_chunk_ids);
  add("max_chunk_ids", plan.max_chunk_ids);
  add("components", plan.components);
  add("warmup", plan.warmup);
  json["reasons"] = std::move(reasons);
  json["rules"] = std::move(rules);
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace voxlet
