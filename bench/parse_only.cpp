// The baseline of the validate and scan benchmarks: lists the same files as `aiops
// validate` (the same walk), then reads and parses each one on the same number of
// threads, and does nothing else. With --read-only it lists every file, as a scan with
// text rules does, and only reads them (the baseline of the secrets benchmark).
// Usage: aiops_parse_only [--read-only] JOBS ROOT [EXCLUDE...]
#include "core/thread_pool.hpp"
#include "source/source_file.hpp"
#include "source/syntax_tree.hpp"
#include "source/workspace.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    using namespace aiops;
    const bool read_only = argc > 1 && std::string(argv[1]) == "--read-only";
    if (read_only) {
        --argc;
        ++argv;
    }
    if (argc < 3) {
        std::fputs("usage: aiops_parse_only [--read-only] JOBS ROOT [EXCLUDE...]\n", stderr);
        return 2;
    }
    source::WalkOptions options;
    options.include_other_files = read_only;
    options.root = argv[2];
    options.paths = {argv[2]};
    options.use_git = false;
    for (int i = 3; i < argc; ++i) {
        options.excludes.emplace_back(argv[i]);
    }
    auto workspace = source::walk_workspace(options);
    if (!workspace) {
        std::fprintf(stderr, "aiops_parse_only: %s\n", workspace.error().message().c_str());
        return 3;
    }
    std::atomic<std::size_t> parsed{0};
    std::atomic<std::size_t> with_errors{0};
    if (read_only) {
        std::atomic<std::size_t> bytes_read{0};
        core::parallel_for(
            workspace->files.size(), static_cast<unsigned>(std::atoi(argv[1])), [&](std::size_t i) {
                auto bytes = source::read_file(workspace->files[i].location);
                if (bytes && !source::looks_binary(*bytes)) {
                    ++parsed;
                    bytes_read += bytes->size();
                }
            });
        std::printf("%zu text files read, %zu bytes\n", parsed.load(), bytes_read.load());
        return 0;
    }
    core::parallel_for(
        workspace->files.size(), static_cast<unsigned>(std::atoi(argv[1])), [&](std::size_t i) {
            const auto& file = workspace->files[i];
            auto bytes = source::read_file(file.location);
            if (!bytes || !file.language || source::looks_binary(*bytes)) {
                return;
            }
            const auto text = source::decode_source(std::move(*bytes), *file.language);
            auto tree = source::parse(*file.language, text.text);
            if (tree) {
                ++parsed;
                with_errors += tree->has_error() ? 1 : 0;
            }
        });
    std::printf("%zu files parsed, %zu with errors\n", parsed.load(), with_errors.load());
    return 0;
}
