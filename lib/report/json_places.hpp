#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::report {

/// Places in the text of a JSON document that parsed, which the parsed value no longer
/// knows: where a value starts, and the first key an object holds twice.
class JsonPlaces
{
public:
    /// `text` must outlive the object and be well-formed JSON.
    explicit JsonPlaces(std::string_view text) : m_text(text) {}

    /// The byte offset at which the value a JSON pointer names starts; nullopt when the
    /// document has no such value.
    std::optional<std::size_t> offset_of(const nlohmann::json::json_pointer& pointer) const;

    /// A key that an object of the document holds twice.
    struct RepeatedKey
    {
        std::size_t offset; ///< of the second one
        std::string key;
    };

    /// The first repeated key in document order; nullopt when there is none.
    std::optional<RepeatedKey> repeated_key() const;

private:
    std::size_t skip_space(std::size_t at) const;
    std::size_t skip_string(std::size_t at) const;
    std::size_t skip_value(std::size_t at) const;
    std::string key_at(std::size_t at, std::size_t end) const;

    std::string_view m_text;
};

} // namespace aiops::report
