#include "core/strings.hpp"
#include "validate/manifests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace aiops::validate {

namespace {

bool is_alnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_digit(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

char lower(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

constexpr std::array<std::string_view, 8> k_operators = {
    "===", "==", "!=", "<=", ">=", "~=", "<", ">"};

/// The variables a PEP 508 marker may name, with the dotted spellings older tools wrote.
constexpr std::array<std::string_view, 22> k_marker_variables = {
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "extras",
    "dependency_groups",
    "python_implementation",
    "os.name",
    "sys.platform",
    "platform.version",
    "platform.machine",
    "platform.python_implementation",
    "platform.release",
    "platform.system",
};

/// Checks one PEP 440 version against what the operator before it allows.
class VersionReader
{
public:
    explicit VersionReader(std::string_view text) : m_text(text) {}

    /// Whether the whole text is a version the operator accepts: a trailing ".*" only
    /// after == and !=, a local label ("+ubuntu.1") only there too, and at least two
    /// release numbers after ~=.
    bool valid_for(std::string_view op)
    {
        if (at_word("v")) {
            ++m_at;
        }
        if (!release()) {
            return false;
        }
        const bool exact = op == "==" || op == "!=";
        if (exact && m_text.substr(m_at) == ".*") {
            return true;
        }
        optional_segment({"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"});
        if (m_at < m_text.size() && m_text[m_at] == '-' && m_at + 1 < m_text.size()
            && is_digit(m_text[m_at + 1])) {
            ++m_at;
            numbers();
        } else {
            optional_segment({"post", "rev", "r"});
        }
        optional_segment({"dev"});
        if (exact && m_at < m_text.size() && m_text[m_at] == '+') {
            ++m_at;
            if (!local()) {
                return false;
            }
        }
        if (op == "~=" && m_release_parts < 2) {
            return false;
        }
        return m_at == m_text.size();
    }

private:
    bool at_word(std::string_view word) const
    {
        if (m_text.size() - m_at < word.size()) {
            return false;
        }
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (lower(m_text[m_at + i]) != word[i]) {
                return false;
            }
        }
        return true;
    }

    bool numbers()
    {
        const std::size_t start = m_at;
        while (m_at < m_text.size() && is_digit(m_text[m_at])) {
            ++m_at;
        }
        return m_at > start;
    }

    // N!N(.N)*
    bool release()
    {
        if (!numbers()) {
            return false;
        }
        if (m_at < m_text.size() && m_text[m_at] == '!') {
            ++m_at;
            if (!numbers()) {
                return false;
            }
        }
        m_release_parts = 1;
        while (m_at + 1 < m_text.size() && m_text[m_at] == '.' && is_digit(m_text[m_at + 1])) {
            ++m_at;
            numbers();
            ++m_release_parts;
        }
        return true;
    }

    bool is_separator(std::size_t at) const
    {
        return at < m_text.size() && (m_text[at] == '.' || m_text[at] == '-' || m_text[at] == '_');
    }

    // [-_.]?word[-_.]?N?, the words tried longest first.
    void optional_segment(std::initializer_list<std::string_view> words)
    {
        const std::size_t start = m_at;
        if (is_separator(m_at)) {
            ++m_at;
        }
        for (std::string_view word : words) {
            if (at_word(word)) {
                m_at += word.size();
                const std::size_t before_number = m_at;
                if (is_separator(m_at)) {
                    ++m_at;
                }
                if (!numbers()) {
                    m_at = before_number;
                }
                return;
            }
        }
        m_at = start;
    }

    // [a-z0-9]+([-_.][a-z0-9]+)*
    bool local()
    {
        while (true) {
            const std::size_t start = m_at;
            while (m_at < m_text.size() && is_alnum(m_text[m_at])) {
                ++m_at;
            }
            if (m_at == start) {
                return false;
            }
            if (!is_separator(m_at)) {
                return true;
            }
            ++m_at;
        }
    }

    std::string_view m_text;
    std::size_t m_at = 0;
    int m_release_parts = 0;
};

/// A recursive-descent reader of the PEP 508 grammar that stops at the first error and
/// keeps its byte offset.
class RequirementReader
{
public:
    explicit RequirementReader(std::string_view text) : m_text(text) {}

    std::size_t error_offset() const { return m_error_at; }

    const std::string& error() const { return m_error; }

    /// name [extras] (@ url | specifiers) [; marker]
    bool requirement(std::string& name)
    {
        skip_space();
        if (!read_name(name)) {
            return fail(fmt::format("expected a package name, found '{}'", rest()));
        }
        skip_space();
        if (peek('[') && !extras()) {
            return false;
        }
        skip_space();
        if (peek('@')) {
            ++m_at;
            if (!url()) {
                return false;
            }
        } else if (peek('(')) {
            const std::size_t open = m_at++;
            skip_space();
            if (!specifiers(")")) {
                return false;
            }
            if (!peek(')')) {
                return fail_at(open, "'(' is not closed with ')'");
            }
            ++m_at;
        } else if (at_operator_char()) {
            if (!specifiers("")) {
                return false;
            }
        } else if (!at_end() && !peek(';')) {
            return fail(fmt::format(
                "expected a version specifier, extras or a marker after '{}', found '{}'",
                name,
                rest()));
        }
        skip_space();
        if (peek(';')) {
            ++m_at;
            skip_space();
            if (at_end()) {
                return fail("expected a marker after ';'");
            }
            if (!marker_or()) {
                return false;
            }
            skip_space();
        }
        if (!at_end()) {
            return fail(
                fmt::format("expected ',', ';' or the end of the requirement, found '{}'", rest()));
        }
        return true;
    }

    /// A comma-separated list of specifiers and nothing else (requires-python).
    bool specifier_set()
    {
        skip_space();
        if (at_end()) {
            return true;
        }
        if (!specifiers("")) {
            return false;
        }
        skip_space();
        if (!at_end()) {
            return fail(
                fmt::format("expected ',' or the end of the specifier, found '{}'", rest()));
        }
        return true;
    }

private:
    bool fail(std::string message) { return fail_at(m_at, std::move(message)); }

    bool fail_at(std::size_t at, std::string message)
    {
        m_error_at = at;
        m_error = std::move(message);
        return false;
    }

    bool at_end() const { return m_at >= m_text.size(); }

    bool peek(char c) const { return m_at < m_text.size() && m_text[m_at] == c; }

    bool at_operator_char() const
    {
        return m_at < m_text.size()
               && std::string_view("<>=!~").find(m_text[m_at]) != std::string_view::npos;
    }

    std::string rest() const { return core::quote_for_message(m_text.substr(m_at)); }

    void skip_space()
    {
        while (m_at < m_text.size() && is_space(m_text[m_at])) {
            ++m_at;
        }
    }

    // [A-Za-z0-9] ([A-Za-z0-9._-]* [A-Za-z0-9])?
    bool read_name(std::string& name)
    {
        std::size_t end = m_at;
        while (end < m_text.size()
               && (is_alnum(m_text[end]) || m_text[end] == '-' || m_text[end] == '_'
                   || m_text[end] == '.')) {
            ++end;
        }
        if (end == m_at || !is_alnum(m_text[m_at]) || !is_alnum(m_text[end - 1])) {
            return false;
        }
        name = std::string(m_text.substr(m_at, end - m_at));
        m_at = end;
        return true;
    }

    // '[' [name (',' name)*] ']'
    bool extras()
    {
        const std::size_t open = m_at++;
        skip_space();
        if (peek(']')) {
            ++m_at;
            return true;
        }
        while (true) {
            std::string extra;
            if (at_end()) {
                return fail_at(open, "extras opened with '[' are not closed with ']'");
            }
            if (!read_name(extra)) {
                return fail(fmt::format("expected an extra's name, found '{}'", rest()));
            }
            skip_space();
            if (peek(']')) {
                ++m_at;
                return true;
            }
            if (at_end()) {
                return fail_at(open, "extras opened with '[' are not closed with ']'");
            }
            if (!peek(',')) {
                return fail(fmt::format("expected ',' or ']' in the extras, found '{}'", rest()));
            }
            ++m_at;
            skip_space();
        }
    }

    bool url()
    {
        skip_space();
        const std::size_t start = m_at;
        while (m_at < m_text.size() && !is_space(m_text[m_at])) {
            ++m_at;
        }
        const std::string_view url = m_text.substr(start, m_at - start);
        if (url.empty()) {
            return fail("expected a URL after '@'");
        }
        if (url.find(':') == std::string_view::npos) {
            return fail_at(start, fmt::format("'{}' is not a URL", core::quote_for_message(url)));
        }
        // A marker after a URL needs white space before its ';', or the ';' belongs to
        // the URL.
        if (url.ends_with(';') && m_at < m_text.size()) {
            return fail_at(m_at - 1, "put white space between the URL and the ';' of its marker");
        }
        skip_space();
        if (!at_end() && !peek(';')) {
            return fail(fmt::format("expected ';' and a marker after the URL, found '{}'", rest()));
        }
        return true;
    }

    // specifier (',' specifier)*; `closing` holds the characters that may end the list
    // besides a marker's ';' and the end.
    bool specifiers(std::string_view closing)
    {
        while (true) {
            if (!specifier()) {
                return false;
            }
            skip_space();
            if (!peek(',')) {
                return true;
            }
            ++m_at;
            skip_space();
            if (at_end() || peek(';') || (!closing.empty() && peek(closing.front()))) {
                return fail("expected a version specifier after ','");
            }
        }
    }

    bool specifier()
    {
        const std::size_t op_start = m_at;
        while (at_operator_char()) {
            ++m_at;
        }
        const std::string_view op = m_text.substr(op_start, m_at - op_start);
        if (op.empty()) {
            return fail(fmt::format("expected a version operator (==, !=, <=, >=, <, >, ~=, ===), "
                                    "found '{}'",
                                    rest()));
        }
        if (std::find(k_operators.begin(), k_operators.end(), op) == k_operators.end()) {
            return fail_at(op_start,
                           fmt::format("'{}' is not a version operator (==, !=, <=, >=, <, >, "
                                       "~=, ===)",
                                       op));
        }
        skip_space();
        // A version ends where a list, a marker or another operator starts ("4.2<5" is a
        // missing comma, not a version; "1!2.0" is an epoch); after === anything but white
        // space belongs to it.
        const std::string_view ends = op == "===" ? std::string_view(",;)") : ",;)<>=~";
        const std::size_t start = m_at;
        while (m_at < m_text.size() && !is_space(m_text[m_at])
               && ends.find(m_text[m_at]) == std::string_view::npos) {
            ++m_at;
        }
        const std::string_view version = m_text.substr(start, m_at - start);
        if (version.empty()) {
            return fail(fmt::format("expected a version after '{}'", op));
        }
        if (op != "===" && !VersionReader(version).valid_for(op)) {
            return fail_at(start,
                           fmt::format("'{}' is not a valid version after '{}'",
                                       core::quote_for_message(version),
                                       op));
        }
        return true;
    }

    // marker_and ('or' marker_and)*
    bool marker_or()
    {
        while (true) {
            if (!marker_and()) {
                return false;
            }
            skip_space();
            if (!keyword("or")) {
                return true;
            }
            skip_space();
        }
    }

    // marker_expression ('and' marker_expression)*
    bool marker_and()
    {
        while (true) {
            if (!marker_expression()) {
                return false;
            }
            skip_space();
            if (!keyword("and")) {
                return true;
            }
            skip_space();
        }
    }

    // '(' marker_or ')' | value operator value
    bool marker_expression()
    {
        skip_space();
        if (peek('(')) {
            const std::size_t open = m_at++;
            if (!marker_or()) {
                return false;
            }
            skip_space();
            if (!peek(')')) {
                return fail_at(open, "'(' in the marker is not closed with ')'");
            }
            ++m_at;
            return true;
        }
        if (!marker_value()) {
            return false;
        }
        skip_space();
        if (!marker_operator()) {
            return false;
        }
        skip_space();
        return marker_value();
    }

    // A quoted string or one of the environment's variables.
    bool marker_value()
    {
        if (peek('"') || peek('\'')) {
            const std::size_t open = m_at;
            const std::size_t close = m_text.find(m_text[m_at], m_at + 1);
            if (close == std::string_view::npos) {
                return fail_at(open, "the string in the marker is not closed");
            }
            m_at = close + 1;
            return true;
        }
        const std::size_t start = m_at;
        while (m_at < m_text.size()
               && (is_alnum(m_text[m_at]) || m_text[m_at] == '_' || m_text[m_at] == '.')) {
            ++m_at;
        }
        const std::string_view word = m_text.substr(start, m_at - start);
        if (word.empty()) {
            return fail(
                fmt::format("expected a marker variable or a quoted string, found '{}'", rest()));
        }
        if (std::find(k_marker_variables.begin(), k_marker_variables.end(), word)
            == k_marker_variables.end()) {
            return fail_at(start,
                           fmt::format("unknown marker variable '{}' (strings need quotes)",
                                       core::quote_for_message(word)));
        }
        return true;
    }

    bool marker_operator()
    {
        if (keyword("in")) {
            return true;
        }
        if (keyword("not")) {
            skip_space();
            if (keyword("in")) {
                return true;
            }
            return fail("expected 'in' after 'not'");
        }
        const std::size_t start = m_at;
        while (at_operator_char()) {
            ++m_at;
        }
        const std::string_view op = m_text.substr(start, m_at - start);
        if (std::find(k_operators.begin(), k_operators.end(), op) == k_operators.end()) {
            m_at = start;
            return fail(fmt::format("expected a marker operator (==, !=, <, <=, >, >=, ~=, ===, "
                                    "in, not in), found '{}'",
                                    rest()));
        }
        return true;
    }

    /// Takes a keyword that is not the start of a longer word.
    bool keyword(std::string_view word)
    {
        if (m_text.substr(m_at, word.size()) != word) {
            return false;
        }
        const std::size_t after = m_at + word.size();
        if (after < m_text.size() && (is_alnum(m_text[after]) || m_text[after] == '_')) {
            return false;
        }
        m_at = after;
        return true;
    }

    std::string_view m_text;
    std::size_t m_at = 0;
    std::size_t m_error_at = 0;
    std::string m_error;
};

} // namespace

core::Result<std::string> requirement_name(std::string_view requirement, std::size_t& error_offset)
{
    RequirementReader reader(requirement);
    std::string name;
    if (!reader.requirement(name)) {
        error_offset = reader.error_offset();
        return core::Error(core::ErrorCode::input, reader.error());
    }
    return name;
}

core::Result<bool> check_version_specifiers(std::string_view specifiers, std::size_t& error_offset)
{
    RequirementReader reader(specifiers);
    if (!reader.specifier_set()) {
        error_offset = reader.error_offset();
        return core::Error(core::ErrorCode::input, reader.error());
    }
    return true;
}

} // namespace aiops::validate
