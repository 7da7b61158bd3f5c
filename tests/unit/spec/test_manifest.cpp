#include "core/sha256.hpp"
#include "printers.hpp"
#include "spec/manifest.hpp"
#include "spec/spec.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace core = aiops::core;
namespace fs = std::filesystem;
namespace spec = aiops::spec;

namespace {

const std::string k_hash_a(64, 'a');
const std::string k_hash_b(64, 'b');

spec::Manifest sample()
{
    spec::Manifest manifest;
    manifest.aiops_version = "0.1.0";
    manifest.generated_at = "2026-01-31T12:00:00Z";
    manifest.spec_path = "specs/users.yaml";
    manifest.spec_sha256 = k_hash_a;
    manifest.prompt = spec::ManifestPrompt{"codegen", "v2", k_hash_b};
    manifest.provider = "openai";
    manifest.model = "gpt-4o";
    manifest.parameters = {{"temperature", 0.5}, {"max_tokens", 2048}};
    manifest.model_snapshot = "gpt-4o-2024-08-06";
    manifest.usage = spec::ManifestUsage{120, 340, 0.0125, true, 950, 2, 2};
    manifest.repairs = 1;
    manifest.files = {{"app/main.py", k_hash_a, {}}, {"README.md", k_hash_b, {}}};
    return manifest;
}

std::string manifest_error(const std::string& text)
{
    auto read = spec::read_manifest("m.json", text);
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code() == core::ErrorCode::input);
    return read.error().message();
}

std::string with_files(const std::string& files)
{
    return "{\"version\": \"1\", \"aiops_version\": \"0.1.0\", \"generated_at\": \"t\",\n"
           " \"spec\": {\"path\": \"s.yaml\", \"sha256\": \""
           + k_hash_a + "\"},\n \"files\": " + files + "}\n";
}

} // namespace

TEST_SUITE("spec")
{
    TEST_CASE("spec::write_manifest and spec::read_manifest")
    {
        REQUIRE(spec::write_manifest("out", sample()).ok());
        CHECK_FALSE(fs::exists("out/.aiops/manifest.json.tmp"));
        std::ifstream stream("out/.aiops/manifest.json");
        std::stringstream text;
        text << stream.rdbuf();
        CHECK(text.str().starts_with("{\n  \"version\": \"1\",\n  \"aiops_version\": \"0.1.0\","));

        auto read = spec::read_manifest("m.json", text.str());
        REQUIRE(read.ok());
        const spec::Manifest& m = *read;
        CHECK(m.spec_path == "specs/users.yaml");
        CHECK(m.spec_sha256 == k_hash_a);
        REQUIRE(m.prompt.has_value());
        CHECK(m.prompt->version == "v2");
        CHECK(m.provider == "openai");
        CHECK(m.model == "gpt-4o");
        CHECK(m.parameters["max_tokens"] == 2048);
        REQUIRE(m.usage.has_value());
        CHECK(m.usage->output_tokens == 340);
        CHECK(m.usage->cost_usd == doctest::Approx(0.0125));
        CHECK(m.usage->cache_hit);
        CHECK(m.usage->calls == 2);
        CHECK(m.usage->cache_hits == 2);
        CHECK(m.model_snapshot == "gpt-4o-2024-08-06");
        CHECK(m.repairs == 1);
        REQUIRE(m.files.size() == 2);
        CHECK(m.files[1].path == "README.md");
        CHECK(m.files[1].sha256 == k_hash_b);
        CHECK(m.files[0].origin.line > 1);
        CHECK(spec::manifest_text(m) == text.str());
    }

    TEST_CASE("spec::read_manifest errors")
    {
        CHECK(manifest_error("{\"version\": \"1\",\n \"files\": [}\n")
                  .starts_with("m.json:2:12: invalid JSON: "));
        CHECK(manifest_error("{\"version\": \"1\"}")
              == "m.json:1:1: the manifest has no 'aiops_version'");
        CHECK(manifest_error(with_files("[{\"path\": \"a.py\", \"sha256\": \"abc\"}]"))
              == "m.json:3:39: 'sha256' must be 64 lowercase hexadecimal digits");
        CHECK(manifest_error(
                  with_files("[{\"path\": \"../a.py\", \"sha256\": \"" + k_hash_a + "\"}]"))
              == "m.json:3:21: '../a.py' must be a relative path inside the folder");
        const std::string entry = "{\"path\": \"a.py\", \"sha256\": \"" + k_hash_a + "\"}";
        CHECK(manifest_error(with_files("[" + entry + ", " + entry + "]"))
              == "m.json:3:117: 'a.py' is listed twice");
        CHECK(manifest_error(with_files("[{\"path\": \"a.py\", \"sha25\": \"x\"}]"))
              == "m.json:3:29: unknown key 'sha25' in a file entry; did you mean 'sha256'?");
        CHECK(manifest_error(with_files("{}")) == "m.json:3:11: 'files' must be a list");
    }

    TEST_CASE("spec::read_manifest: JSON's types are kept, and errors are told in JSON's terms")
    {
        // A string in quotes, a count of zero or more.
        CHECK(manifest_error("{\"version\": 1, \"aiops_version\": \"0.1.0\", \"generated_at\": "
                             "\"t\", \"spec\": {}, \"files\": []}")
              == "m.json:1:13: 'version' must be \"1\", a string");
        CHECK(manifest_error(with_files("[{\"path\": 5, \"sha256\": \"" + k_hash_a + "\"}]"))
              == "m.json:3:21: 'path' must be a string");
        const std::string usage = "{\"version\": \"1\", \"aiops_version\": \"0.1.0\", "
                                  "\"generated_at\": \"t\",\n \"spec\": {\"path\": \"s.yaml\", "
                                  "\"sha256\": \""
                                  + k_hash_a
                                  + "\"},\n \"usage\": {\"input_tokens\": -5},\n \"files\": []}";
        CHECK(manifest_error(usage) == "m.json:3:28: 'input_tokens' must not be negative");
        // An unclosed list is told as JSON tells it, not as YAML does.
        CHECK(manifest_error("{\"version\": \"1\", \"files\": [{\"path\": \"a\"}\n")
              == "m.json:2:1: invalid JSON: syntax error while parsing array - unexpected end of "
                 "input; expected ']'");
    }
}

TEST_SUITE("spec")
{
    TEST_CASE("spec: the example's manifest records its files and its spec")
    {
        const fs::path project = fs::path(AIOPS_TEST_DATA_DIR).parent_path().parent_path();
        const fs::path folder = project / "examples/generated/users";
        std::ifstream stream(folder / spec::k_manifest_path);
        std::stringstream text;
        text << stream.rdbuf();
        auto manifest = spec::read_manifest("manifest.json", text.str());
        REQUIRE(manifest.ok());
        auto described = spec::load_spec_file(project / manifest->spec_path);
        REQUIRE(described.ok());
        CHECK(manifest->spec_sha256 == described->hash);
        REQUIRE(manifest->files.size() == described->outputs.size() + 1); // and __init__.py
        for (const auto& file : manifest->files) {
            std::ifstream in(folder / file.path, std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            CHECK_MESSAGE(core::sha256_hex(bytes.str()) == file.sha256, file.path);
        }
    }
}
