#pragma once

#include "core/error.hpp"
#include "spec/spec.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::spec {

/// Where a generated folder keeps its manifest, relative to the folder.
inline constexpr const char* k_manifest_path = ".aiops/manifest.json";

/// The journal of a switch to a new generation that is decided but not yet complete
/// (see generate's switch_folder), relative to the folder.
inline constexpr const char* k_switch_journal_path = ".aiops/switch.json";

/// A generated file as the manifest records it.
struct ManifestFile
{
    std::string path;   ///< relative to the generated folder, '/'-separated
    std::string sha256; ///< of the bytes as written
    Origin origin;      ///< where the entry sits in the manifest
};

/// The prompt a generation used.
struct ManifestPrompt
{
    std::string name;
    std::string version;
    std::string sha256;
};

/// What the model call cost.
struct ManifestUsage
{
    long long input_tokens = 0;
    long long output_tokens = 0;
    double cost_usd = 0;
    bool cache_hit = false;
    long long duration_ms = 0;
    long long calls = 0;      ///< model calls made, repair rounds included
    long long cache_hits = 0; ///< of those, the ones the cache answered
};

/// The record `aiops generate` leaves in DIR/.aiops/manifest.json
/// (schemas/manifest.schema.json).
struct Manifest
{
    std::string aiops_version;
    std::string generated_at; ///< UTC, "2026-01-31T12:00:00Z"
    std::string spec_path;
    std::string spec_sha256;
    std::optional<ManifestPrompt> prompt;
    std::string provider;
    std::string model;
    std::string model_snapshot; ///< the model version that answered, as the provider named it
    nlohmann::json parameters = nlohmann::json::object(); ///< temperature, max_tokens, ...
    std::optional<ManifestUsage> usage;
    std::optional<long long> repairs; ///< repair rounds sent before the files passed
    std::vector<ManifestFile> files;
};

/// Reads a manifest from its text. Fails with ErrorCode::input and
/// "name:line:column: what is wrong" for malformed JSON, an unknown key, a wrong type,
/// a missing field, a path that leaves the folder, a hash that is not SHA-256 or a file
/// listed twice.
core::Result<Manifest> read_manifest(const std::string& name, std::string_view text);

/// The manifest as JSON text, two-space indented, keys in a fixed order of the schema.
std::string manifest_text(const Manifest& manifest);

/// Writes DIR/.aiops/manifest.json atomically (a temporary file renamed into place),
/// creating .aiops/ when needed. Fails with ErrorCode::io.
core::Result<bool> write_manifest(const std::filesystem::path& folder, const Manifest& manifest);

} // namespace aiops::spec
