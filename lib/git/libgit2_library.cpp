#include "git/libgit2_library.hpp"

#include "core/shared_library.hpp"

#include <fmt/format.h>

#include <mutex>

namespace aiops::git {

// Set by lib/git/CMakeLists.txt from the libgit2 found at configure time.
const char* const libgit2_library_file = AIOPS_LIBGIT2_FILE;
const char* const libgit2_package = AIOPS_LIBGIT2_PACKAGE;

Libgit2Library load_libgit2(const std::string& file)
{
    const core::SharedLibrary shared(
        file, {"libgit2", "reading a git repository needs it", libgit2_package, "", "git: "});
    Libgit2Library library;
#define AIOPS_LIBGIT2_LOOK_UP(name) shared.look_up(#name, library.name);
    AIOPS_LIBGIT2_FUNCTIONS(AIOPS_LIBGIT2_LOOK_UP)
#undef AIOPS_LIBGIT2_LOOK_UP
    return library;
}

const Libgit2Library& libgit2()
{
    static std::once_flag once;
    static Libgit2Library library;
    // call_once runs the function again on a later call when it threw, so a failure is
    // reported by every command that needs git rather than only the first.
    std::call_once(once, [] {
        Libgit2Library loaded = load_libgit2(libgit2_library_file);
        if (loaded.git_libgit2_init() < 0) {
            const git_error* error = loaded.git_error_last();
            throw core::Error(core::ErrorCode::internal,
                              fmt::format("git: libgit2's global initialisation failed: {}",
                                          error != nullptr && error->message != nullptr
                                              ? error->message
                                              : "unknown error"));
        }
        library = loaded;
    });
    return library;
}

core::Result<const Libgit2Library*> loaded_libgit2()
{
    try {
        return &libgit2();
    } catch (const core::Error& error) {
        return error;
    }
}

} // namespace aiops::git
