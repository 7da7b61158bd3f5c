#pragma once

#include <curl/curl.h>

#include <string>

namespace aiops::llm {

// libcurl's functions the HTTP client calls, once each: X(member, function) becomes a
// member of CurlLibrary and its look-up when the library is loaded.
// clang-format off
#define AIOPS_CURL_FUNCTIONS(X) \
    X(global_init, curl_global_init) \
    X(easy_init, curl_easy_init) \
    X(easy_setopt, curl_easy_setopt) \
    X(easy_getinfo, curl_easy_getinfo) \
    X(easy_perform, curl_easy_perform) \
    X(easy_reset, curl_easy_reset) \
    X(easy_cleanup, curl_easy_cleanup) \
    X(easy_strerror, curl_easy_strerror) \
    X(share_init, curl_share_init) \
    X(share_setopt, curl_share_setopt) \
    X(share_cleanup, curl_share_cleanup) \
    X(slist_append, curl_slist_append) \
    X(slist_free_all, curl_slist_free_all)

// clang-format on

/// libcurl's entry points, looked up in the shared library the first time a command makes
/// a request. The commands that never speak HTTP (scan, validate, prompt) do not load
/// libcurl and the TLS, LDAP and Kerberos libraries it depends on, which cost every
/// process that loads them about 4 MiB of resident memory and their start-up code.
struct CurlLibrary
{
#define AIOPS_CURL_MEMBER(member, function) decltype(&function) member = nullptr;
    AIOPS_CURL_FUNCTIONS(AIOPS_CURL_MEMBER)
#undef AIOPS_CURL_MEMBER
};

/// The soname of the libcurl the binary was built against (the OpenSSL flavour).
inline constexpr const char* curl_library_file = "libcurl.so.4";

/// Loads libcurl from `file` (a soname or a path) and looks up every entry point; throws
/// core::Error (internal) naming the file, what the loader said and the Debian package
/// to install when the library or one of its functions is missing. The library stays
/// loaded for the life of the process.
CurlLibrary load_curl_library(const std::string& file);

/// libcurl loaded from curl_library_file and globally initialised, once per process;
/// throws as load_curl_library does.
const CurlLibrary& curl_library();

} // namespace aiops::llm
