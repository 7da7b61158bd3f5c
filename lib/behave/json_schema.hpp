#pragma once

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace aiops::behave {

/// A JSON Schema of the subset of draft 2020-12 aiops supports: type, enum, const,
/// properties, required, additionalProperties, patternProperties, items, prefixItems,
/// minItems, maxItems, uniqueItems, minLength, maxLength, pattern (RE2), minimum,
/// maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, allOf, anyOf, oneOf, not,
/// if/then/else, local $ref into $defs (or definitions), and format for date, time,
/// date-time, email, uuid and ipv4. Annotations (title, description, default, examples,
/// ...) are accepted and not checked.
class JsonSchema
{
public:
    /// Compiles a schema. Fails with ErrorCode::input, naming the JSON pointer of the
    /// place, for a keyword outside the subset (so a check is never silently weaker than
    /// written), a malformed keyword value, an invalid pattern or a $ref that does not
    /// resolve inside the document.
    static core::Result<JsonSchema> compile(const nlohmann::json& schema);

    /// The first problems the instance has, each "at /pointer: what is wrong"; empty
    /// when it is valid. At most `limit` are collected.
    std::vector<std::string> validate(const nlohmann::json& instance, std::size_t limit = 5) const;

    bool is_valid(const nlohmann::json& instance) const { return validate(instance, 1).empty(); }

    struct Compiled;

private:
    std::shared_ptr<const Compiled> m_compiled;
};

} // namespace aiops::behave
