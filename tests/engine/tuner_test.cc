#include "voxlet/tuner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "test_support.h"

namespace voxlet {
namespace {

using Json = nlohmann::json;
using test_support::ReadFile;

// --- Synthetic voices and profiles ------------------------------------------------

VoiceVariant Variant(const std::string& precision, const std::string& file, uint64_t size,
                     const std::string& component = "full") {
  VoiceVariant variant;
  variant.precision = precision;
  variant.file = file;
  variant.sha256 = std::string(64, '0');
  variant.size = size;
  variant.component = component;
  return variant;
}

// Like voxlet-en-us-slt before its step-1700 retrain: fp32 8.1 MB, fp16 4.1 MB, int8 2.5 MB,
// int8-weights 2.1 MB (fixed here; the golden rows use tests/golden/voices/slt-fixed.json).
VoiceConfig SltLikeVoice() {
  VoiceConfig voice;
  voice.variants = {Variant("fp32", "model.onnx", 8108547), Variant("fp16", "model.fp16.onnx", 4106772),
                    Variant("int8", "model.int8.onnx", 2549502),
                    Variant("int8-weights", "model.int8-weights.onnx", 2122189)};
  voice.components = {{"full", false, ""}};
  return voice;
}

VoiceConfig ProsodyVoice() {
  VoiceConfig voice = SltLikeVoice();
  voice.components = {{"acoustic", false, ""}, {"prosody", true, "BERT-like"}};
  return voice;
}

VoiceConfig PiperVoice() { return VoiceConfig{}; }  // no variants, no components

DeviceProfile Desktop() {  // 8 cores, 8 GB, hardware GPU with shader-f16, isolated page
  DeviceProfile p;
  p.logical_cores = 8;
  p.device_memory_gb = 8;
  p.js_heap_limit_mb = 4096;
  p.webgpu_adapter = true;
  p.webgpu_shader_f16 = true;
  p.webgpu_max_buffer_bytes = 268435456;
  p.threads_allowed = true;
  p.gflops_wasm_single = 8;
  p.gflops_wasm_multi = 28;
  p.gflops_webgpu = 400;
  p.storage_read_mbps = 500;
  return p;
}

DeviceProfile NoGpu() {  // Desktop without a WebGPU adapter
  DeviceProfile p = Desktop();
  p.webgpu_adapter = false;
  p.webgpu_shader_f16 = false;
  p.webgpu_max_buffer_bytes.reset();
  p.gflops_webgpu.reset();
  return p;
}

// --- One case per branch of docs/tuning.md ----------------------------------------

struct BranchCase {
  std::string rule;  // the branch, as named in docs/tuning.md
  std::function<void(DeviceProfile&, VoiceConfig&, TuneOverrides&)> setup;
  std::string field;     // plan field the branch decides
  std::string expected;  // its value, as text
};

std::string FieldValue(const Plan& plan, const std::string& field) {
  const auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : "+") + name;
    return out;
  };
  if (field == "backend") return plan.backend.value;
  if (field == "precision") return plan.precision.value;
  if (field == "threads") return std::to_string(plan.threads.value);
  if (field == "batch_size") return std::to_string(plan.batch_size.value);
  if (field == "max_chunk_ids") return std::to_string(plan.max_chunk_ids.value);
  if (field == "first_chunk_ids") return std::to_string(plan.first_chunk_ids.value);
  if (field == "components") return join(plan.components.value);
  if (field == "warmup") return plan.warmup.value ? "yes" : "no";
  return "?";
}

const Decision<std::string>* StringDecision(const Plan& plan, const std::string& field) {
  if (field == "backend") return &plan.backend;
  if (field == "precision") return &plan.precision;
  return nullptr;
}

std::string FieldRule(const Plan& plan, const std::string& field) {
  if (const auto* decision = StringDecision(plan, field)) return decision->rule;
  if (field == "threads") return plan.threads.rule;
  if (field == "batch_size") return plan.batch_size.rule;
  if (field == "max_chunk_ids") return plan.max_chunk_ids.rule;
  if (field == "first_chunk_ids") return plan.first_chunk_ids.rule;
  if (field == "components") return plan.components.rule;
  if (field == "warmup") return plan.warmup.rule;
  return "?";
}

std::string FieldReason(const Plan& plan, const std::string& field) {
  if (const auto* decision = StringDecision(plan, field)) return decision->reason;
  if (field == "threads") return plan.threads.reason;
  if (field == "batch_size") return plan.batch_size.reason;
  if (field == "max_chunk_ids") return plan.max_chunk_ids.reason;
  if (field == "first_chunk_ids") return plan.first_chunk_ids.reason;
  if (field == "components") return plan.components.reason;
  if (field == "warmup") return plan.warmup.reason;
  return "";
}

using P = DeviceProfile;
using V = VoiceConfig;
using O = TuneOverrides;

const std::vector<BranchCase>& BranchCases() {
  static const std::vector<BranchCase> kCases = {
      {"backend.node", [](P& p, V&, O&) { p = NoGpu(); p.is_node = true; }, "backend", "wasm"},
      {"backend.no-adapter", [](P& p, V&, O&) { p = NoGpu(); }, "backend", "wasm"},
      {"backend.fallback-adapter",
       [](P& p, V&, O&) { p.webgpu_fallback = true; p.gflops_webgpu.reset(); }, "backend", "wasm"},
      {"backend.gpu-slower", [](P& p, V&, O&) { p.gflops_webgpu = 20; }, "backend", "wasm"},
      {"backend.buffer-too-small", [](P& p, V&, O&) { p.webgpu_max_buffer_bytes = 4e6; }, "backend", "wasm"},
      {"backend.webgpu", [](P&, V&, O&) {}, "backend", "webgpu"},
      {"precision.only-model", [](P&, V& v, O&) { v = PiperVoice(); }, "precision", "fp32"},
      {"precision.webgpu-fp16", [](P&, V&, O&) {}, "precision", "fp16"},
      {"precision.webgpu-fp32", [](P& p, V&, O&) { p.webgpu_shader_f16 = false; }, "precision", "fp32"},
      {"precision.small-download", [](P& p, V&, O&) { p = NoGpu(); p.device_memory_gb = 2; },
       "precision", "int8-weights"},
      {"precision.wasm-int8-weights", [](P& p, V&, O&) { p = NoGpu(); }, "precision", "int8-weights"},
      {"threads.webgpu", [](P&, V&, O&) {}, "threads", "1"},
      {"threads.not-isolated", [](P& p, V&, O&) { p = NoGpu(); p.threads_allowed = false; }, "threads", "1"},
      {"threads.no-gain", [](P& p, V&, O&) { p = NoGpu(); p.gflops_wasm_multi = 9; }, "threads", "1"},
      {"threads.measured-gain",
       [](P& p, V&, O&) { p = NoGpu(); p.logical_cores = 2; p.gflops_wasm_single = 5; p.gflops_wasm_multi = 9.5; },
       "threads", "2"},
      {"threads.half-cores",
       [](P& p, V&, O&) { p = NoGpu(); p.logical_cores = 6; p.gflops_wasm_single.reset(); p.gflops_wasm_multi.reset(); },
       "threads", "3"},
      {"batch.interactive", [](P&, V&, O&) {}, "batch_size", "1"},
      {"batch.low-memory",
       [](P& p, V&, O& o) { p.js_heap_limit_mb = 700; o.use = TuneUse::kOffline; }, "batch_size", "1"},
      {"batch.offline", [](P&, V&, O& o) { o.use = TuneUse::kOffline; }, "batch_size", "4"},
      {"max-chunk.small", [](P& p, V&, O&) { p.device_memory_gb = 1; }, "max_chunk_ids", "200"},
      {"max-chunk.voice", [](P&, V& v, O&) { v.max_chunk_tokens = 321; }, "max_chunk_ids", "321"},
      {"first-chunk.offline", [](P&, V&, O& o) { o.use = TuneUse::kOffline; }, "first_chunk_ids", "400"},
      {"first-chunk.weak-cpu",
       [](P& p, V&, O&) { p.gflops_wasm_single = 1; p.gflops_wasm_multi = 1.5; }, "first_chunk_ids", "24"},
      {"first-chunk.default", [](P&, V&, O&) {}, "first_chunk_ids", "48"},
      {"components.single", [](P&, V& v, O&) { v = PiperVoice(); }, "components", "full"},
      {"components.all", [](P&, V& v, O&) { v = ProsodyVoice(); }, "components", "acoustic+prosody"},
      {"components.skip-optional",
       [](P& p, V& v, O&) { v = ProsodyVoice(); p.device_memory_gb = 0.5; }, "components", "acoustic"},
      {"warmup.interactive", [](P&, V&, O&) {}, "warmup", "yes"},
      {"warmup.offline", [](P&, V&, O& o) { o.use = TuneUse::kOffline; }, "warmup", "no"},
      {"override", [](P&, V&, O& o) { o.threads = 3; }, "threads", "3"},
  };
  return kCases;
}

TEST(TunerTest, EveryBranchOfTheTree) {
  std::set<std::string> covered;
  for (const BranchCase& branch : BranchCases()) {
    SCOPED_TRACE(branch.rule);
    DeviceProfile profile = Desktop();
    VoiceConfig voice = SltLikeVoice();
    TuneOverrides overrides;
    branch.setup(profile, voice, overrides);
    Result<Plan> plan = Tune(profile, voice, overrides);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(FieldRule(plan.value(), branch.field), branch.rule) << plan->ToString();
    EXPECT_EQ(FieldValue(plan.value(), branch.field), branch.expected) << plan->ToString();
    EXPECT_FALSE(FieldReason(plan.value(), branch.field).empty());
    covered.insert(branch.rule);
  }
  for (const std::string& rule : AllTuneRules()) EXPECT_TRUE(covered.count(rule)) << "no case for " << rule;
  EXPECT_EQ(covered.size(), AllTuneRules().size());
}

TEST(TunerTest, EveryFieldHasAReasonAndARule) {
  for (const BranchCase& branch : BranchCases()) {
    DeviceProfile profile = Desktop();
    VoiceConfig voice = SltLikeVoice();
    TuneOverrides overrides;
    branch.setup(profile, voice, overrides);
    const Plan plan = Tune(profile, voice, overrides).value();
    for (const char* field : {"backend", "precision", "threads", "batch_size", "max_chunk_ids",
                              "first_chunk_ids", "components", "warmup"}) {
      EXPECT_FALSE(FieldReason(plan, field).empty()) << branch.rule << " " << field;
      const std::string rule = FieldRule(plan, field);
      EXPECT_TRUE(std::count(AllTuneRules().begin(), AllTuneRules().end(), rule)) << rule;
    }
  }
}

TEST(TunerTest, SymptomsAreNamedAsInTheGuide) {
  DeviceProfile p = NoGpu();
  p.device_memory_gb = 2;
  p.gflops_wasm_single = 1;
  p.gflops_wasm_multi = 1.5;
  p.storage_read_mbps = 5;
  const Plan plan = Tune(p, SltLikeVoice(), {}).value();
  EXPECT_EQ(plan.symptoms,
            (std::vector<std::string>{"low memory", "weak CPU", "no usable GPU", "slow storage"}));
  EXPECT_TRUE(Tune(Desktop(), SltLikeVoice(), {}).value().symptoms.empty());
}

TEST(TunerTest, MultiThreadRateCountsOnlyWhereThreadsAreAllowed) {
  DeviceProfile p = NoGpu();
  p.gflops_wasm_single = 1.5;  // weak on one thread
  p.gflops_wasm_multi = 6;     // fine on four
  EXPECT_EQ(Tune(p, SltLikeVoice(), {}).value().symptoms, std::vector<std::string>{"no usable GPU"});
  p.threads_allowed = false;
  EXPECT_EQ(Tune(p, SltLikeVoice(), {}).value().symptoms,
            (std::vector<std::string>{"weak CPU", "no usable GPU"}));
}

TEST(TunerTest, NeverFp16OnWasmByChoice) {
  for (bool low_memory : {false, true}) {
    DeviceProfile p = NoGpu();
    if (low_memory) p.device_memory_gb = 1;
    EXPECT_NE(Tune(p, SltLikeVoice(), {}).value().precision.value, "fp16");
  }
}

TEST(TunerTest, OverridesSaySetByYouAndLaterRulesBuildOnThem) {
  TuneOverrides o;
  o.backend = "wasm";
  const Plan plan = Tune(Desktop(), SltLikeVoice(), o).value();
  EXPECT_EQ(plan.backend.reason, "set by you");
  EXPECT_EQ(plan.backend.rule, "override");
  EXPECT_EQ(plan.precision.rule, "precision.wasm-int8-weights");
  EXPECT_EQ(plan.threads.rule, "threads.measured-gain");
  EXPECT_EQ(plan.threads.value, 4);
}

// The measured gain tells a free 2-core machine (2 threads 1.9x faster: 2) from a loaded one
// (no faster: 1); without a measurement the count is half the cores (docs/tuning.md).
TEST(TunerTest, ThreadsFollowTheMeasuredGain) {
  const auto threads_for = [](int cores, std::optional<double> single, std::optional<double> multi) {
    DeviceProfile p = NoGpu();
    p.logical_cores = cores;
    p.gflops_wasm_single = single;
    p.gflops_wasm_multi = multi;
    return Tune(p, SltLikeVoice(), {}).value().threads;
  };
  auto free2 = threads_for(2, 18.1, 34);
  EXPECT_EQ(free2.value, 2);
  EXPECT_EQ(free2.rule, "threads.measured-gain");
  EXPECT_NE(free2.reason.find("measured 1.88× the 1-thread rate (34 vs 18.1 GFLOP/s): the cores are free; "
                              "half of 2 cores, at least 2"),
            std::string::npos)
      << free2.reason;
  auto loaded2 = threads_for(2, 18.1, 12);
  EXPECT_EQ(loaded2.value, 1);
  EXPECT_EQ(loaded2.rule, "threads.no-gain");
  auto unmeasured2 = threads_for(2, std::nullopt, std::nullopt);
  EXPECT_EQ(unmeasured2.value, 1);
  EXPECT_EQ(unmeasured2.rule, "threads.half-cores");
  auto only_single = threads_for(8, 6, std::nullopt);  // one rate is not a gain
  EXPECT_EQ(only_single.value, 4);
  EXPECT_EQ(only_single.rule, "threads.half-cores");
  EXPECT_EQ(threads_for(3, 6, 15).value, 2);
  EXPECT_EQ(threads_for(8, 6, 20).value, 4);
  auto many = threads_for(16, 6, 40);
  EXPECT_EQ(many.value, 4);
  EXPECT_NE(many.reason.find("at most 4"), std::string::npos) << many.reason;
  EXPECT_EQ(threads_for(1, 6, 7.5).value, 1);  // never more threads than cores

  auto parsed = ParseDeviceProfile(
      R"({"logical_cores": 2, "threads": true, "is_node": true,
          "gflops": {"wasm_single": 5, "wasm_multi": 9.5, "threads_measured": 2}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto reason = Tune(parsed.value(), SltLikeVoice(), {}).value().threads.reason;
  EXPECT_EQ(reason.rfind("2 threads measured 1.9× the 1-thread rate", 0), 0u) << reason;
  EXPECT_FALSE(ParseDeviceProfile(R"({"gflops": {"threads_measured": 0}})").ok());
}

TEST(TunerTest, VoiceWithoutVariantsUsesItsSingleFp32Model) {
  const Plan plan = Tune(NoGpu(), PiperVoice(), {}).value();
  EXPECT_EQ(plan.precision.value, "fp32");
  EXPECT_EQ(plan.precision.rule, "precision.only-model");
  EXPECT_TRUE(plan.files.empty());
  EXPECT_EQ(plan.components.value, std::vector<std::string>{"full"});
}

TEST(TunerTest, InvalidProfilesAndOverridesAreErrorsNamingTheField) {
  DeviceProfile p = Desktop();
  p.logical_cores = -2;
  auto plan = Tune(p, SltLikeVoice(), {});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("profile.logical_cores"), std::string::npos);

  TuneOverrides o;
  o.precision = "fp8";
  plan = Tune(Desktop(), SltLikeVoice(), o);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("expected one of: fp32, fp16, int8, int8-weights, pruned"),
            std::string::npos);

  o.precision = "int8";
  plan = Tune(Desktop(), PiperVoice(), o);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("expected one of: fp32"), std::string::npos);

  DeviceProfile nan = Desktop();
  nan.gflops_wasm_single = std::nan("");
  EXPECT_FALSE(Tune(nan, SltLikeVoice(), {}).ok());
}

TEST(TunerTest, PureSameInputsSamePlan) {
  const std::string a = PlanToJson(Tune(Desktop(), ProsodyVoice(), {}).value());
  const std::string b = PlanToJson(Tune(Desktop(), ProsodyVoice(), {}).value());
  EXPECT_EQ(a, b);
}

TEST(TunerTest, ToStringNamesEveryField) {
  const std::string text = Tune(NoGpu(), SltLikeVoice(), {}).value().ToString();
  for (const char* field : {"backend = wasm (no usable GPU: no WebGPU adapter)", "precision = int8-weights",
                            "threads = 4", "batch_size = 1", "first_chunk_ids = 48",
                            "max_chunk_ids = 400", "components = full", "warmup = yes",
                            "symptoms = no usable GPU"}) {
    EXPECT_NE(text.find(field), std::string::npos) << field << "\n" << text;
  }
  EXPECT_NE(Desktop().ToString().find("cores=8"), std::string::npos);
  TuneOverrides o;
  o.threads = 2;
  EXPECT_EQ(o.ToString(), "TuneOverrides(use=interactive, threads=2)");
}

TEST(TunerTest, ParseEmptyJsonGivesDefaults) {
  auto profile = ParseDeviceProfile("");
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->logical_cores, 1);
  EXPECT_FALSE(profile->webgpu_adapter);
  auto overrides = ParseTuneOverrides("{}");
  ASSERT_TRUE(overrides.ok());
  EXPECT_FALSE(ParseDeviceProfile("[1]").ok());
  EXPECT_FALSE(ParseTuneOverrides("{\"threads\": 2.5}").ok());
  EXPECT_FALSE(ParseTuneOverrides("{\"components\": [1]}").ok());
  EXPECT_FALSE(ParseTuneOverrides("{\"warmup\": \"yes\"}").ok());
}

// --- The shared golden table (the Node suite runs it through the WASM build) -------

// A row's voice: inline JSON, "piper-test-voice" (the shared Piper fixture) or the name of a
// fixed config in tests/golden/voices/ (sizes written by hand: retraining a model in models/
// cannot move a golden row).
std::string VoiceJson(const Json& voice) {
  if (voice.is_string()) {
    const std::string name = voice.get<std::string>();
    return ReadFile(name == "piper-test-voice" ? test_support::kPiperFixture
                                               : std::string(VOXLET_GOLDEN_DIR) + "/voices/" + name + ".json");
  }
  return voice.dump();
}

TEST(TunerTest, GoldenTable) {
  const auto rows = test_support::ReadGolden("tuning.jsonl");
  ASSERT_GE(rows.size(), 40u);
  if (ReadFile(test_support::kPiperFixture).empty()) GTEST_SKIP() << "../shared fixtures absent";
  EngineApi api;
  std::set<std::string> covered;
  for (const Json& row : rows) {
    ASSERT_FALSE(row.is_discarded());
    SCOPED_TRACE(row["name"].get<std::string>());
    const std::string overrides = row.contains("overrides") ? row["overrides"].dump() : "";
    const Json plan = test_support::Parse(api.Tune(row["profile"].dump(), VoiceJson(row["voice"]), overrides));
    if (row.contains("error")) {
      ASSERT_TRUE(plan.contains("error")) << plan.dump();
      EXPECT_EQ(plan["error"]["code"], row["error"]);
      EXPECT_NE(plan["error"]["message"].get<std::string>().find(row["message_contains"].get<std::string>()),
                std::string::npos)
          << plan["error"]["message"];
      continue;
    }
    ASSERT_FALSE(plan.contains("error")) << plan.dump();
    const Json& expected = row["expected"];
    for (const auto& [key, value] : expected.items()) {
      if (key == "reasons_contain") {
        for (const auto& [field, part] : value.items()) {
          EXPECT_NE(plan["reasons"][field].get<std::string>().find(part.get<std::string>()), std::string::npos)
              << field << ": " << plan["reasons"][field];
        }
      } else {
        EXPECT_EQ(plan[key], value) << key;
      }
    }
    for (const auto& [field, rule] : plan["rules"].items()) covered.insert(rule.get<std::string>());
  }
  for (const std::string& rule : AllTuneRules()) EXPECT_TRUE(covered.count(rule)) << "no golden row for " << rule;
}

}  // namespace
}  // namespace voxlet
