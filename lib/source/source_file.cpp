#include "source/source_file.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <vector>

namespace aiops::source {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

class FileDescriptor
{
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}

    ~FileDescriptor()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return m_fd; }

private:
    int m_fd;
};

core::Error io_error(const std::filesystem::path& path, int error_number)
{
    return core::Error(core::ErrorCode::io,
                       fmt::format("'{}': {}", path.string(), std::strerror(error_number)));
}

bool is_utf8_name(std::string_view name)
{
    const std::string lowered = core::to_lower(name);
    return lowered == "utf-8" || lowered == "utf8" || lowered == "utf-8-sig" || lowered == "utf_8";
}

// The names iconv may know a Python codec by: Python writes "latin-1", "latin_1",
// "iso8859_15" or "cp1252" where iconv wants "ISO-8859-1", "ISO-8859-15" or "CP1252".
std::vector<std::string> iconv_names(const std::string& python_name)
{
    std::string normal = core::to_lower(python_name);
    std::replace(normal.begin(), normal.end(), '_', '-');
    std::vector<std::string> names{python_name, normal};
    if (normal == "latin-1" || normal == "latin1" || normal == "iso-latin-1" || normal == "l1") {
        names.emplace_back("ISO-8859-1");
    }
    if (normal.starts_with("iso8859-")) {
        names.push_back("ISO-8859-" + normal.substr(8));
    }
    if (normal.starts_with("latin-")) {
        names.push_back("LATIN" + normal.substr(6));
    }
    std::string compact;
    std::copy_if(
        normal.begin(), normal.end(), std::back_inserter(compact), [](char c) { return c != '-'; });
    names.push_back(compact);
    return names;
}

// Converts with iconv; nullopt when the encoding is unknown. Sets invalid_offset on
// the first byte that is not valid in the encoding.
std::optional<std::string> convert_to_utf8(std::string_view bytes,
                                           const std::string& encoding,
                                           std::optional<std::size_t>& invalid_offset)
{
    iconv_t converter = reinterpret_cast<iconv_t>(-1);
    for (const std::string& name : iconv_names(encoding)) {
        converter = iconv_open("UTF-8", name.c_str());
        if (converter != reinterpret_cast<iconv_t>(-1)) {
            break;
        }
    }
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    // Bytes that are not valid in the encoding become U+FFFD, and conversion goes on:
    // the rest of the file is still checked.
    std::string out(bytes.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    while (in_left > 0) {
        if (iconv(converter, &in_ptr, &in_left, &out_ptr, &out_left)
            != static_cast<std::size_t>(-1)) {
            break;
        }
        if (errno != EILSEQ && errno != EINVAL) {
            break;
        }
        if (!invalid_offset) {
            invalid_offset = static_cast<std::size_t>(out_ptr - out.data());
        }
        ++in_ptr;
        --in_left;
        if (out_left >= 3) {
            std::memcpy(out_ptr, "\xEF\xBF\xBD", 3);
            out_ptr += 3;
            out_left -= 3;
        }
    }
    iconv_close(converter);
    out.resize(out.size() - out_left);
    return out;
}

} // namespace

/// The bytes looks_binary reads.
constexpr std::size_t k_binary_window = 8192;

core::Result<std::string> read_file(const std::filesystem::path& path, BinaryFiles binary)
{
    constexpr std::size_t k_max_read_bytes = std::size_t{1} << 30;
    constexpr std::size_t k_chunk = 65536;
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        return io_error(path, errno);
    }
    struct stat info = {};
    if (::fstat(fd.get(), &info) != 0) {
        return io_error(path, errno);
    }
    if (S_ISDIR(info.st_mode)) {
        return io_error(path, EISDIR);
    }
    // A device such as /dev/zero never ends; a pipe (`<(...)`, /dev/stdin) is read, up to
    // a bound no input file of aiops comes near.
    if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}': a device, not a file", path.string()));
    }
    // Read in place: the size fstat gives, then on while the file (or a pipe) goes on.
    std::string bytes(info.st_size > 0 ? static_cast<std::size_t>(info.st_size) : k_chunk, '\0');
    std::size_t filled = 0;
    bool start_checked = binary == BinaryFiles::read_whole;
    while (true) {
        // At the size fstat gave, most often the end: a read into a small buffer says so
        // without growing (and copying) the bytes. Until the start is checked, only the
        // start is read.
        char probe[512];
        const bool probing = filled == bytes.size();
        const std::size_t room = probing ? sizeof probe
                                 : start_checked
                                     ? bytes.size() - filled
                                     : std::min(bytes.size() - filled, k_binary_window - filled);
        const ssize_t got = ::read(fd.get(), probing ? probe : bytes.data() + filled, room);
        if (got == 0) {
            break;
        }
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error(path, errno);
        }
        if (probing) {
            bytes.resize(bytes.size() + k_chunk);
            std::memcpy(bytes.data() + filled, probe, static_cast<std::size_t>(got));
        }
        filled += static_cast<std::size_t>(got);
        if (filled > k_max_read_bytes) {
            return core::Error(
                core::ErrorCode::usage,
                fmt::format("'{}': more than {} MiB, larger than any input aiops reads",
                            path.string(),
                            k_max_read_bytes >> 20));
        }
        if (!start_checked && filled >= k_binary_window) {
            start_checked = true;
            if (looks_binary(std::string_view(bytes.data(), filled))) {
                break;
            }
        }
    }
    bytes.resize(filled);
    return bytes;
}

bool looks_binary(std::string_view bytes)
{
    return bytes.substr(0, k_binary_window).find('\0') != std::string_view::npos;
}

std::optional<std::string> python_declared_encoding(std::string_view bytes)
{
    // PEP 263: a comment matching "coding[:=]\s*([-\w.]+)" on line 1 or 2; line 2
    // counts only when line 1 is a comment or blank.
    std::size_t line_start = 0;
    for (int line = 0; line < 2 && line_start < bytes.size(); ++line) {
        std::size_t line_end = bytes.find('\n', line_start);
        if (line_end == std::string_view::npos) {
            line_end = bytes.size();
        }
        std::string_view text = bytes.substr(line_start, line_end - line_start);
        if (line == 0 && text.starts_with(k_utf8_bom)) {
            text.remove_prefix(k_utf8_bom.size());
        }
        const std::string_view stripped = core::trim(text);
        if (!stripped.starts_with('#')) {
            if (!stripped.empty()) {
                return std::nullopt;
            }
            line_start = line_end + 1;
            continue;
        }
        for (std::size_t at = stripped.find("coding"); at != std::string_view::npos;
             at = stripped.find("coding", at + 1)) {
            std::size_t pos = at + 6;
            if (pos >= stripped.size() || (stripped[pos] != ':' && stripped[pos] != '=')) {
                continue;
            }
            ++pos;
            while (pos < stripped.size() && (stripped[pos] == ' ' || stripped[pos] == '\t')) {
                ++pos;
            }
            std::size_t end = pos;
            while (end < stripped.size()
                   && (std::isalnum(static_cast<unsigned char>(stripped[end])) != 0
                       || stripped[end] == '-' || stripped[end] == '_' || stripped[end] == '.')) {
                ++end;
            }
            if (end > pos) {
                return std::string(stripped.substr(pos, end - pos));
            }
        }
        line_start = line_end + 1;
    }
    return std::nullopt;
}

SourceText decode_source(std::string bytes, Language language)
{
    SourceText source;
    const auto declared =
        language == Language::python ? python_declared_encoding(bytes) : std::nullopt;
    if (declared) {
        const bool has_bom = std::string_view(bytes).starts_with(k_utf8_bom);
        if (!has_bom && !is_utf8_name(*declared)) {
            auto converted = convert_to_utf8(bytes, *declared, source.invalid_offset);
            if (!converted) {
                source.text = std::move(bytes);
                source.invalid_offset = 0;
                source.invalid_reason =
                    fmt::format("unknown encoding '{}' in the coding declaration",
                                core::quote_for_message(*declared));
                return source;
            }
            source.text = std::move(*converted);
            if (source.invalid_offset) {
                source.invalid_reason = fmt::format("text is not valid '{}'", *declared);
            }
            return source;
        }
    }
    if (std::string_view(bytes).starts_with(k_utf8_bom)) {
        bytes.erase(0, k_utf8_bom.size());
        // CPython accepts a byte-order mark only with no declaration or a UTF-8 one
        // spelt "utf-8" (any case, '_' for '-', optionally with a suffix).
        if (declared) {
            std::string normal = core::to_lower(*declared);
            std::replace(normal.begin(), normal.end(), '_', '-');
            if (normal != "utf-8" && !normal.starts_with("utf-8-")) {
                source.text = std::move(bytes);
                source.invalid_offset = 0;
                source.invalid_reason =
                    fmt::format("encoding problem: '{}' declared with a UTF-8 byte-order mark",
                                core::quote_for_message(*declared));
                return source;
            }
        }
    }
    source.text = std::move(bytes);
    source.invalid_offset = core::find_invalid_utf8(source.text);
    if (source.invalid_offset) {
        source.invalid_reason =
            fmt::format("invalid UTF-8: byte 0x{:02x} does not start a valid sequence",
                        static_cast<unsigned char>(source.text[*source.invalid_offset]));
    }
    return source;
}

} // namespace aiops::source
