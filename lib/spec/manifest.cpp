#include "spec/manifest.hpp"

#include "core/atomic_file.hpp"
#include "core/yaml_reader.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <system_error>

namespace aiops::spec {

namespace {

const std::vector<std::string> k_manifest_keys{
    "version",
    "aiops_version",
    "generated_at",
    "spec",
    "prompt",
    "provider",
    "model",
    "model_snapshot",
    "parameters",
    "usage",
    "repairs",
    "files",
};

bool is_sha256(const std::string& text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool stays_inside(const std::string& path)
{
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos) {
        return false;
    }
    for (const auto& part : std::filesystem::path(path)) {
        if (part == ".." || part == ".") {
            return false;
        }
    }
    return true;
}

class ManifestReader
{
public:
    explicit ManifestReader(const core::YamlReader& reader) : m_reader(reader) {}

    Manifest run(const YAML::Node& document) const
    {
        m_reader.check_mapping(document, k_manifest_keys, "the manifest");
        m_reader.require(document,
                         {"version", "aiops_version", "generated_at", "spec", "files"},
                         "the manifest");
        if (plain(document["version"]) || m_reader.string(document["version"], "version") != "1") {
            m_reader.raise(document["version"], "'version' must be \"1\", a string");
        }
        Manifest out;
        out.aiops_version = text(document["aiops_version"], "aiops_version");
        out.generated_at = text(document["generated_at"], "generated_at");
        const YAML::Node spec = document["spec"];
        m_reader.check_mapping(spec, {"path", "sha256"}, "'spec'");
        m_reader.require(spec, {"path", "sha256"}, "'spec'");
        out.spec_path = text(spec["path"], "path");
        out.spec_sha256 = hash(spec["sha256"]);
        if (const auto& prompt = document["prompt"]) {
            m_reader.check_mapping(prompt, {"name", "version", "sha256"}, "'prompt'");
            m_reader.require(prompt, {"name", "version", "sha256"}, "'prompt'");
            out.prompt = ManifestPrompt{text(prompt["name"], "name"),
                                        text(prompt["version"], "version"),
                                        hash(prompt["sha256"])};
        }
        if (const auto& provider = document["provider"]) {
            out.provider = text(provider, "provider");
        }
        if (const auto& model = document["model"]) {
            out.model = text(model, "model");
        }
        if (const auto& snapshot = document["model_snapshot"]) {
            out.model_snapshot = text(snapshot, "model_snapshot");
        }
        if (const auto& repairs = document["repairs"]) {
            out.repairs = count(repairs, "repairs");
        }
        if (const auto& parameters = document["parameters"]) {
            if (!parameters.IsMap()) {
                m_reader.raise(parameters, "'parameters' must be an object");
            }
            out.parameters = m_reader.to_json(parameters);
        }
        if (const auto& usage = document["usage"]) {
            out.usage = read_usage(usage);
        }
        read_files(document["files"], out);
        return out;
    }

private:
    // JSON writes a string in quotes: a value without them is a number, true, false or
    // null, which a field of text does not take ("path": 5 is not the path "5").
    static bool plain(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

    std::string text(const YAML::Node& node, std::string_view key) const
    {
        if (plain(node)) {
            m_reader.raise(node, fmt::format("'{}' must be a string", key));
        }
        return m_reader.string(node, key);
    }

    // A count: a whole number, never below zero.
    long long count(const YAML::Node& node, std::string_view key) const
    {
        const long long value = m_reader.integer(node, key);
        if (value < 0) {
            m_reader.raise(node, fmt::format("'{}' must not be negative", key));
        }
        return value;
    }

    std::string hash(const YAML::Node& node) const
    {
        std::string digits = text(node, "sha256");
        if (!is_sha256(digits)) {
            m_reader.raise(node, "'sha256' must be 64 lowercase hexadecimal digits");
        }
        return digits;
    }

    ManifestUsage read_usage(const YAML::Node& node) const
    {
        m_reader.check_mapping(node,
                               {"input_tokens",
                                "output_tokens",
                                "cost_usd",
                                "cache_hit",
                                "duration_ms",
                                "calls",
                                "cache_hits"},
                               "'usage'");
        ManifestUsage usage;
        if (const auto& value = node["input_tokens"]) {
            usage.input_tokens = count(value, "input_tokens");
        }
        if (const auto& value = node["output_tokens"]) {
            usage.output_tokens = count(value, "output_tokens");
        }
        if (const auto& value = node["cost_usd"]) {
            usage.cost_usd = m_reader.number(value, "cost_usd");
            if (usage.cost_usd < 0) {
                m_reader.raise(value, "'cost_usd' must not be negative");
            }
        }
        if (const auto& value = node["cache_hit"]) {
            usage.cache_hit = m_reader.boolean(value, "cache_hit");
        }
        if (const auto& value = node["duration_ms"]) {
            usage.duration_ms = count(value, "duration_ms");
        }
        if (const auto& value = node["calls"]) {
            usage.calls = count(value, "calls");
        }
        if (const auto& value = node["cache_hits"]) {
            usage.cache_hits = count(value, "cache_hits");
        }
        return usage;
    }

    void read_files(const YAML::Node& list, Manifest& out) const
    {
        m_reader.sequence(list, "files");
        std::set<std::string> paths;
        for (const auto& item : list) {
            m_reader.check_mapping(item, {"path", "sha256"}, "a file entry");
            m_reader.require(item, {"path", "sha256"}, "a file entry");
            ManifestFile file{
                text(item["path"], "path"), hash(item["sha256"]), m_reader.position(item["path"])};
            if (!stays_inside(file.path)) {
                m_reader.raise(
                    item["path"],
                    fmt::format("'{}' must be a relative path inside the folder", file.path));
            }
            if (!paths.insert(file.path).second) {
                m_reader.raise(item["path"], fmt::format("'{}' is listed twice", file.path));
            }
            out.files.push_back(std::move(file));
        }
    }

    const core::YamlReader& m_reader;
};

} // namespace

core::Result<Manifest> read_manifest(const std::string& name, std::string_view text)
{
    const core::YamlReader reader(name);
    auto document = reader.read_document(text);
    if (!document) {
        return document.error();
    }
    try {
        return ManifestReader(reader).run(*document);
    } catch (const core::Error& error) {
        return error;
    } catch (const YAML::Exception& error) {
        return reader.error_at(error.mark, error.msg);
    }
}

std::string manifest_text(const Manifest& manifest)
{
    // ordered_json keeps the schema's order, which reads better in a review.
    nlohmann::ordered_json out;
    out["version"] = "1";
    out["aiops_version"] = manifest.aiops_version;
    out["generated_at"] = manifest.generated_at;
    out["spec"] = {{"path", manifest.spec_path}, {"sha256", manifest.spec_sha256}};
    if (manifest.prompt) {
        out["prompt"] = {{"name", manifest.prompt->name},
                         {"version", manifest.prompt->version},
                         {"sha256", manifest.prompt->sha256}};
    }
    if (!manifest.provider.empty()) {
        out["provider"] = manifest.provider;
    }
    if (!manifest.model.empty()) {
        out["model"] = manifest.model;
    }
    if (!manifest.model_snapshot.empty()) {
        out["model_snapshot"] = manifest.model_snapshot;
    }
    out["parameters"] = nlohmann::ordered_json::parse(manifest.parameters.dump());
    if (manifest.usage) {
        out["usage"] = {{"input_tokens", manifest.usage->input_tokens},
                        {"output_tokens", manifest.usage->output_tokens},
                        {"cost_usd", manifest.usage->cost_usd},
                        {"cache_hit", manifest.usage->cache_hit},
                        {"duration_ms", manifest.usage->duration_ms}};
        if (manifest.usage->calls > 0) {
            out["usage"]["calls"] = manifest.usage->calls;
            out["usage"]["cache_hits"] = manifest.usage->cache_hits;
        }
    }
    if (manifest.repairs) {
        out["repairs"] = *manifest.repairs;
    }
    out["files"] = nlohmann::ordered_json::array();
    for (const auto& file : manifest.files) {
        out["files"].push_back({{"path", file.path}, {"sha256", file.sha256}});
    }
    return out.dump(2) + "\n";
}

core::Result<bool> write_manifest(const std::filesystem::path& folder, const Manifest& manifest)
{
    return core::write_file_atomically(folder / k_manifest_path, manifest_text(manifest));
}

} // namespace aiops::spec
