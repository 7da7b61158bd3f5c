#pragma once

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace aiops::behave {

/// A compiled JSONPath of the subset aiops supports: the root `$`, member names
/// (`.key`, `['key']`, `["key"]`), array indexes (`[2]`, `[-1]` from the end), the
/// wildcard (`.*`, `[*]`) and descendants (`..key`, `..*`).
class JsonPath
{
public:
    /// Compiles a path. Fails with ErrorCode::input naming the column of the first
    /// character it cannot read.
    static core::Result<JsonPath> compile(std::string_view text);

    /// Every value the path selects, in document order.
    std::vector<const nlohmann::json*> select(const nlohmann::json& document) const;

    const std::string& text() const { return m_text; }

private:
    struct Step
    {
        enum class Kind
        {
            member,
            index,
            wildcard,
        };

        Kind kind = Kind::member;
        bool descendant = false; ///< `..`: this step applies at any depth below
        std::string name;
        long long index = 0;
    };

    std::string m_text;
    std::vector<Step> m_steps;
};

} // namespace aiops::behave
