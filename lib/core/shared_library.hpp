#pragma once

#include <string>

namespace aiops::core {

/// How errors name a library loaded at run time, and the Debian package that ships it.
struct SharedLibraryNames
{
    std::string library;    ///< "libcurl"
    std::string needed_for; ///< what cannot work without it: "model requests need it"
    std::string package;    ///< "libcurl4"
    /// After the package when a function is missing: " (7.85 or later)".
    std::string version_note;
    std::string prefix; ///< before every message: "git: "
};

/// A shared library opened at run time (dlopen, every symbol bound at once, nothing
/// exported to other libraries), which stays loaded for the life of the process.
class SharedLibrary
{
public:
    /// Opens `file` (a soname or a path); throws Error (internal) naming the file, what
    /// the loader said and the package to install.
    SharedLibrary(const std::string& file, SharedLibraryNames names);

    /// Sets `function` to the library's function `name`; throws Error (internal) naming
    /// the function and the package when the library has none.
    template <typename Function> void look_up(const char* name, Function& function) const
    {
        // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
        function = reinterpret_cast<Function>(address_of(name));
    }

private:
    void* address_of(const char* name) const;

    void* m_handle;
    std::string m_file;
    SharedLibraryNames m_names;
};

} // namespace aiops::core
