#include "llm/curl_library.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <mutex>

namespace aiops::llm {

namespace {

template <typename Function>
void look_up(void* handle, const std::string& file, const char* name, Function& function)
{
    void* address = dlsym(handle, name);
    if (address == nullptr) {
        throw core::Error(core::ErrorCode::internal,
                          fmt::format("the libcurl loaded from '{}' has no function '{}': "
                                      "install the Debian package 'libcurl4' (7.85 or later)",
                                      file,
                                      name));
    }
    // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
    function = reinterpret_cast<Function>(address);
}

} // namespace

CurlLibrary load_curl_library(const std::string& file)
{
    // RTLD_NOW finds a missing dependency here rather than at the first call.
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* reason = dlerror();
        throw core::Error(core::ErrorCode::internal,
                          fmt::format("cannot load libcurl from '{}' ({}): model requests "
                                      "need it; install the Debian package 'libcurl4'",
                                      file,
                                      reason != nullptr ? reason : "unknown reason"));
    }
    CurlLibrary library;
    look_up(handle, file, "curl_global_init", library.global_init);
    look_up(handle, file, "curl_easy_init", library.easy_init);
    look_up(handle, file, "curl_easy_setopt", library.easy_setopt);
    look_up(handle, file, "curl_easy_getinfo", library.easy_getinfo);
    look_up(handle, file, "curl_easy_perform", library.easy_perform);
    look_up(handle, file, "curl_easy_reset", library.easy_reset);
    look_up(handle, file, "curl_easy_cleanup", library.easy_cleanup);
    look_up(handle, file, "curl_easy_strerror", library.easy_strerror);
    look_up(handle, file, "curl_share_init", library.share_init);
    look_up(handle, file, "curl_share_setopt", library.share_setopt);
    look_up(handle, file, "curl_share_cleanup", library.share_cleanup);
    look_up(handle, file, "curl_slist_append", library.slist_append);
    look_up(handle, file, "curl_slist_free_all", library.slist_free_all);
    return library;
}

const CurlLibrary& curl_library()
{
    static std::once_flag once;
    static CurlLibrary library;
    // call_once runs the function again on a later call when it threw, so a failure is
    // reported by every request rather than only the first.
    std::call_once(once, [] {
        CurlLibrary loaded = load_curl_library(curl_library_file);
        if (loaded.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw core::Error(core::ErrorCode::internal, "libcurl's global initialisation failed");
        }
        library = loaded;
    });
    return library;
}

} // namespace aiops::llm
