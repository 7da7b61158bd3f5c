// The baseline of the validate benchmark: lists the same files as `aiops validate`
// (the same walk), then reads and parses each one on the same number of threads, and
// does nothing else. Usage: aiops_parse_only JOBS ROOT [EXCLUDE...]
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
    if (argc < 3) {
        std::fputs("usage: aiops_parse_only JOBS ROOT [EXCLUDE...]\n", stderr);
        return 2;
    }
    source::WalkOptions options;
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
