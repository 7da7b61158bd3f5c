#include "scan/history_scan.hpp"

#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/thread_pool.hpp"
#include "git/blob_history.hpp"
#include "source/ignore_rules.hpp"
#include "source/source_file.hpp"
#include "source/workspace.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace aiops::scan {

namespace {

namespace fs = std::filesystem;

/// How many file versions of history are read before they are scanned in parallel.
constexpr std::size_t k_history_batch = 256;

/// Which paths of the repository a history scan reads.
class HistoryPaths
{
public:
    explicit HistoryPaths(const source::WalkOptions& walk) : m_shard(walk.shard)
    {
        if (walk.default_excludes) {
            for (const auto& pattern : source::default_exclude_patterns()) {
                m_excludes.add_pattern(pattern);
            }
        }
        for (const auto& pattern : walk.excludes) {
            m_excludes.add_pattern(pattern);
        }
    }

    /// Limits the scan to the repository's files under a path of the file system.
    core::Result<bool> add_path(const fs::path& path, const fs::path& root)
    {
        std::error_code error;
        const fs::path real = fs::canonical(path, error);
        if (error) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("'{}' does not exist", path.string()));
        }
        const fs::path inside = real.lexically_relative(fs::canonical(root, error));
        if (inside.empty() || *inside.begin() == "..") {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("--history: '{}' is outside the repository at '{}'",
                                           path.string(),
                                           root.string()));
        }
        if (inside == ".") {
            m_everywhere = true;
        } else {
            m_prefixes.push_back(inside.generic_string());
        }
        return true;
    }

    bool wanted(const std::string& path) const
    {
        if (m_excludes.is_ignored(path, /*is_folder=*/false)) {
            return false;
        }
        if (m_shard && !source::in_shard(path, *m_shard)) {
            return false;
        }
        if (m_everywhere || m_prefixes.empty()) {
            return true;
        }
        for (const auto& prefix : m_prefixes) {
            if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/')) {
                return true;
            }
        }
        return false;
    }

private:
    source::IgnoreRules m_excludes;
    std::optional<source::Shard> m_shard;
    std::vector<std::string> m_prefixes;
    bool m_everywhere = false;
};

/// A file version read for scanning, with the versions it replaced.
struct ReadVersion
{
    std::optional<std::string> text; ///< nullopt: not scanned (skipped, binary)
    std::vector<std::string> earlier;
};

std::string_view without_carriage_return(std::string_view line)
{
    return line.ends_with('\r') ? line.substr(0, line.size() - 1) : line;
}

template <typename Visit> void for_each_line(std::string_view text, Visit visit)
{
    std::size_t begin = 0;
    while (begin < text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        visit(without_carriage_return(text.substr(begin, end - begin)));
        begin = end + 1;
    }
}

// For each line of a file version (index 0 for line 1), whether no earlier version of
// the file holds it: the lines its commit added.
std::vector<bool> added_lines(std::string_view text, const std::vector<std::string>& earlier)
{
    std::unordered_set<std::string_view> known;
    for (const auto& version : earlier) {
        for_each_line(version, [&](std::string_view line) { known.insert(line); });
    }
    std::vector<bool> added;
    for_each_line(text, [&](std::string_view line) { added.push_back(known.count(line) == 0); });
    return added;
}

// Keeps the findings that stand on an added line, when the version had earlier ones.
void keep_added(std::vector<core::Finding>& findings, const std::vector<bool>& added)
{
    std::erase_if(findings, [&](const core::Finding& finding) {
        for (int line = finding.location.start_line; line <= finding.location.end_line; ++line) {
            const auto index = static_cast<std::size_t>(line - 1);
            if (index >= added.size() || added[index]) {
                return false;
            }
        }
        return true;
    });
}

// Names the commit in each finding of a file version, in a field and in the message.
void name_commit(std::vector<core::Finding>& findings, const std::string& commit)
{
    for (auto& finding : findings) {
        finding.commit = commit;
        finding.message += fmt::format(" (commit {})", commit.substr(0, 12));
    }
}

core::Result<ReadVersion> read_version(const git::History& history,
                                       const git::HistoryBlob& blob,
                                       std::uint64_t max_file_size,
                                       report::FileOutcome& outcome)
{
    ReadVersion read;
    if (blob.size > max_file_size) {
        outcome.skipped = report::SkippedFile{
            blob.path, fmt::format("larger than --max-file-size in commit {}", blob.commit_id)};
        return read;
    }
    auto bytes = history.read_blob(blob.blob_id);
    if (!bytes) {
        return bytes.error();
    }
    if (source::looks_binary(*bytes)) {
        return read;
    }
    read.text = std::move(*bytes);
    for (const auto& id : blob.earlier_blob_ids) {
        auto earlier = history.read_blob(id);
        if (!earlier) {
            return earlier.error();
        }
        read.earlier.push_back(std::move(*earlier));
    }
    return read;
}

core::Result<HistoryPaths> history_paths(const ScanOptions& options, const fs::path& root)
{
    HistoryPaths paths(options.walk);
    for (const auto& path : options.walk.paths) {
        if (auto added = paths.add_path(path, root); !added) {
            return added.error();
        }
    }
    return paths;
}

core::Result<git::History> open_history(const ScanOptions& options)
{
    const fs::path start = options.walk.paths.empty() ? fs::path(".") : options.walk.paths.front();
    std::error_code error;
    if (!fs::exists(start, error)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}' does not exist", start.string()));
    }
    return git::History::open(fs::is_directory(start) ? start : start.parent_path() / ".");
}

void warn_of_shallow_edges(const git::HistoryListing& listing, report::Report& result)
{
    for (const auto& commit : listing.shallow_boundary) {
        result.notices.push_back(
            {report::Notice::Level::warning,
             "",
             fmt::format("shallow clone: history stops at commit {}, whose parents were not "
                         "fetched; run 'git fetch --unshallow' to scan all of it",
                         commit)});
    }
}

} // namespace

core::Result<bool>
scan_history(const ScanOptions& options, const VersionScanner& scan, report::Report& result)
{
    auto history = open_history(options);
    if (!history) {
        return history.error();
    }
    result.root = history->root();
    const auto paths = history_paths(options, history->root());
    if (!paths) {
        return paths.error();
    }
    auto listing = history->list(*options.history,
                                 [&](const std::string& path) { return paths->wanted(path); });
    if (!listing) {
        return listing.error();
    }
    warn_of_shallow_edges(*listing, result);

    const unsigned jobs = options.jobs == 0 ? core::hardware_threads() : options.jobs;
    std::vector<report::FileOutcome> outcomes;
    const auto& blobs = listing->blobs;
    for (std::size_t first = 0; first < blobs.size() && !core::interrupted();
         first += k_history_batch) {
        const std::size_t count = std::min(k_history_batch, blobs.size() - first);
        std::vector<ReadVersion> versions(count);
        std::vector<report::FileOutcome> batch(count);
        // libgit2 reads blobs on one thread; the scans run in parallel.
        for (std::size_t i = 0; i < count; ++i) {
            auto read =
                read_version(*history, blobs[first + i], options.walk.max_file_size, batch[i]);
            if (!read) {
                return read.error();
            }
            versions[i] = std::move(*read);
        }
        core::parallel_for(count, jobs, [&](std::size_t i) {
            ReadVersion& version = versions[i];
            if (!version.text || core::interrupted()) {
                return;
            }
            const git::HistoryBlob& blob = blobs[first + i];
            const std::vector<bool> added = version.earlier.empty()
                                                ? std::vector<bool>()
                                                : added_lines(*version.text, version.earlier);
            batch[i] = scan(blob.path, std::move(*version.text));
            if (!version.earlier.empty()) {
                keep_added(batch[i].findings, added);
            }
            name_commit(batch[i].findings, blob.commit_id);
        });
        outcomes.insert(outcomes.end(),
                        std::make_move_iterator(batch.begin()),
                        std::make_move_iterator(batch.end()));
    }
    if (core::interrupted()) {
        return core::Error(core::ErrorCode::interrupted, "interrupted");
    }
    core::log::info("scanned {} file versions of {} commits", blobs.size(), listing->commits);
    report::add_file_outcomes(result, outcomes, options.keep_going);
    return true;
}

} // namespace aiops::scan
