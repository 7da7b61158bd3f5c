#pragma once

#include <curl/curl.h>

#include <string>

namespace aiops::llm {

/// libcurl's entry points, looked up in the shared library the first time a command makes
/// a request. The commands that never speak HTTP (scan, validate, prompt) do not load
/// libcurl and the TLS, LDAP and Kerberos libraries it depends on, which cost every
/// process that loads them about 4 MiB of resident memory and their start-up code.
struct CurlLibrary
{
    decltype(&curl_global_init) global_init = nullptr;
    decltype(&curl_easy_init) easy_init = nullptr;
    decltype(&curl_easy_setopt) easy_setopt = nullptr;
    decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&curl_easy_perform) easy_perform = nullptr;
    decltype(&curl_easy_reset) easy_reset = nullptr;
    decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&curl_easy_strerror) easy_strerror = nullptr;
    decltype(&curl_share_init) share_init = nullptr;
    decltype(&curl_share_setopt) share_setopt = nullptr;
    decltype(&curl_share_cleanup) share_cleanup = nullptr;
    decltype(&curl_slist_append) slist_append = nullptr;
    decltype(&curl_slist_free_all) slist_free_all = nullptr;
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
