#include "core/shared_library.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <utility>

namespace aiops::core {

SharedLibrary::SharedLibrary(const std::string& file, SharedLibraryNames names)
    // RTLD_NOW finds a missing dependency here rather than at the first call.
    : m_handle(dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL)), m_file(file), m_names(std::move(names))
{
    if (m_handle == nullptr) {
        const char* reason = dlerror();
        throw Error(ErrorCode::internal,
                    fmt::format("{}cannot load {} from '{}' ({}): {}; install the Debian "
                                "package '{}'",
                                m_names.prefix,
                                m_names.library,
                                file,
                                reason != nullptr ? reason : "unknown reason",
                                m_names.needed_for,
                                m_names.package));
    }
}

void* SharedLibrary::address_of(const char* name) const
{
    void* address = dlsym(m_handle, name);
    if (address == nullptr) {
        throw Error(ErrorCode::internal,
                    fmt::format("{}the {} loaded from '{}' has no function '{}': install the "
                                "Debian package '{}'{}",
                                m_names.prefix,
                                m_names.library,
                                m_file,
                                name,
                                m_names.package,
                                m_names.version_note));
    }
    return address;
}

} // namespace aiops::core
