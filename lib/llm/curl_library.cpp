#include "llm/curl_library.hpp"

#include "core/error.hpp"
#include "core/shared_library.hpp"

#include <mutex>

namespace aiops::llm {

CurlLibrary load_curl_library(const std::string& file)
{
    const core::SharedLibrary shared(
        file, {"libcurl", "model requests need it", "libcurl4", " (7.85 or later)", ""});
    CurlLibrary library;
    shared.look_up("curl_global_init", library.global_init);
    shared.look_up("curl_easy_init", library.easy_init);
    shared.look_up("curl_easy_setopt", library.easy_setopt);
    shared.look_up("curl_easy_getinfo", library.easy_getinfo);
    shared.look_up("curl_easy_perform", library.easy_perform);
    shared.look_up("curl_easy_reset", library.easy_reset);
    shared.look_up("curl_easy_cleanup", library.easy_cleanup);
    shared.look_up("curl_easy_strerror", library.easy_strerror);
    shared.look_up("curl_share_init", library.share_init);
    shared.look_up("curl_share_setopt", library.share_setopt);
    shared.look_up("curl_share_cleanup", library.share_cleanup);
    shared.look_up("curl_slist_append", library.slist_append);
    shared.look_up("curl_slist_free_all", library.slist_free_all);
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
