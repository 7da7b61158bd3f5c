#include "report/output.hpp"

#include "core/atomic_file.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace aiops::report {

namespace fs = std::filesystem;

std::optional<Format> parse_format(std::string_view name)
{
    if (name == "text") {
        return Format::text;
    }
    if (name == "json") {
        return Format::json;
    }
    if (name == "sarif") {
        return Format::sarif;
    }
    if (name == "github") {
        return Format::github;
    }
    return std::nullopt;
}

bool use_color(ColorMode mode)
{
    if (mode != ColorMode::automatic) {
        return mode == ColorMode::always;
    }
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') {
        return false;
    }
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) {
        return false;
    }
    return ::isatty(STDOUT_FILENO) == 1;
}

namespace {

// Bytes that are not UTF-8 (in a file name, say) become U+FFFD instead of failing.
std::string dump_json(const nlohmann::ordered_json& document)
{
    return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render(const Report& report, Format format, bool color)
{
    switch (format) {
    case Format::text:
        return write_text(report, TextStyle{color});
    case Format::json:
        return write_json(report);
    case Format::sarif:
        return dump_json(to_sarif(report));
    case Format::github:
        return write_github(report);
    }
    return {};
}

} // namespace

core::Result<bool> write_outputs(const Report& report,
                                 const OutputOptions& options,
                                 const std::vector<OutputFile>& other_files)
{
    using Renderer = std::string (*)(const Report&);
    const std::pair<const std::optional<fs::path>*, Renderer> files[] = {
        {&options.sarif_file, [](const Report& r) { return render(r, Format::sarif, false); }},
        {&options.json_file, [](const Report& r) { return render(r, Format::json, false); }},
        {&options.gitlab_sast_file, [](const Report& r) { return dump_json(to_gitlab_sast(r)); }},
        {&options.gitlab_codequality_file,
         [](const Report& r) { return dump_json(to_gitlab_codequality(r)); }},
        {&options.junit_file, [](const Report& r) { return write_junit(r); }},
        {&options.markdown_file, [](const Report& r) { return write_markdown(r); }},
    };
    // All the files or none: a pipeline that finds its SARIF log must not be reading
    // it beside a JUnit report from an earlier run.
    core::FileBatch batch;
    for (const auto& [path, renderer] : files) {
        if (*path) {
            if (auto staged = batch.stage(**path, renderer(report)); !staged) {
                return core::Error(staged.error().code(),
                                   staged.error().message() + " (no report was written)");
            }
        }
    }
    for (const auto& file : other_files) {
        if (auto staged = batch.stage(file.path, file.text); !staged) {
            return core::Error(staged.error().code(),
                               staged.error().message() + " (no report was written)");
        }
    }
    if (auto committed = batch.commit(); !committed) {
        return committed;
    }
    std::string out = render(report, options.format, use_color(options.color));
    if (options.github_annotations && options.format != Format::github) {
        out += write_github(report);
    }
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
        return core::Error(
            core::ErrorCode::io,
            fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    }
    return true;
}

} // namespace aiops::report
