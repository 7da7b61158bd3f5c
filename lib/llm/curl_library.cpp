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
#define AIOPS_CURL_LOOK_UP(member, function) shared.look_up(#function, library.member);
    AIOPS_CURL_FUNCTIONS(AIOPS_CURL_LOOK_UP)
#undef AIOPS_CURL_LOOK_UP
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
