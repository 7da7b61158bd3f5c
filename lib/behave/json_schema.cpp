#include "behave/json_schema.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace aiops::behave {

namespace {

using nlohmann::json;

const std::set<std::string> k_checked_keywords{
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$defs",
    "definitions",
};

const std::set<std::string> k_annotations{
    "$schema",
    "$id",
    "$comment",
    "$anchor",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "contentMediaType",
    "contentEncoding",
};

// The formats `format` checks. Draft 2020-12 makes `format` an annotation unless a
// validator asserts it; a gate that let "notanemail" pass `format: email` would be weaker
// than written, so these are checked and any other format is refused.
const std::vector<std::string> k_formats{"date", "time", "date-time", "email", "uuid", "ipv4"};

bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// RFC 3339 full-date: YYYY-MM-DD, a day the month has.
bool is_date(const std::string& text)
{
    static const RE2 k_date(R"((\d{4})-(\d{2})-(\d{2}))");
    int year = 0;
    int month = 0;
    int day = 0;
    if (!RE2::FullMatch(text, k_date, &year, &month, &day) || month < 1 || month > 12) {
        return false;
    }
    static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int days = month == 2 && is_leap_year(year) ? 29 : k_days[month - 1];
    return day >= 1 && day <= days;
}

// RFC 3339 full-time: HH:MM:SS, optional fraction, then Z or an offset; 60 seconds
// for a leap second.
bool is_time(const std::string& text)
{
    static const RE2 k_time(R"((\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2})))");
    int hour = 0;
    int minute = 0;
    int second = 0;
    std::string offset_hour; // empty for Z
    std::string offset_minute;
    return RE2::FullMatch(text, k_time, &hour, &minute, &second, &offset_hour, &offset_minute)
           && hour <= 23 && minute <= 59 && second <= 60
           && (offset_hour.empty()
               || (std::stoi(offset_hour) <= 23 && std::stoi(offset_minute) <= 59));
}

bool is_ipv4(const std::string& text)
{
    static const RE2 k_ipv4(R"((\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}))");
    std::string parts[4];
    if (!RE2::FullMatch(text, k_ipv4, &parts[0], &parts[1], &parts[2], &parts[3])) {
        return false;
    }
    return std::all_of(std::begin(parts), std::end(parts), [](const std::string& part) {
        return std::stoi(part) <= 255 && (part.size() == 1 || part[0] != '0');
    });
}

bool matches_format(const std::string& format, const std::string& text)
{
    if (format == "date") {
        return is_date(text);
    }
    if (format == "time") {
        return is_time(text);
    }
    if (format == "date-time") {
        return text.size() > 11 && (text[10] == 'T' || text[10] == 't')
               && is_date(text.substr(0, 10)) && is_time(text.substr(11));
    }
    if (format == "email") {
        // A local part and a domain of non-empty labels; quoted local parts are not taken.
        static const RE2 k_email(R"([^@\s"]+@[^@\s.]+(?:\.[^@\s.]+)*)");
        return RE2::FullMatch(text, k_email);
    }
    if (format == "uuid") {
        static const RE2 k_uuid(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        return RE2::FullMatch(text, k_uuid);
    }
    return format == "ipv4" && is_ipv4(text);
}

// Keywords of draft 2020-12 (and draft 7) the subset leaves out: named as they are, with
// no "did you mean" towards a supported keyword they merely resemble.
const std::set<std::string> k_unsupported_keywords{
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "contains",
    "minContains",
    "maxContains",
    "additionalItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
};

// Every keyword a schema may hold, for "did you mean" hints.
const std::vector<std::string>& known_keywords()
{
    static const std::vector<std::string> k_known = [] {
        std::vector<std::string> known(k_checked_keywords.begin(), k_checked_keywords.end());
        known.insert(known.end(), k_annotations.begin(), k_annotations.end());
        return known;
    }();
    return k_known;
}

std::string escape_pointer_token(const std::string& token)
{
    std::string out;
    for (const char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

bool is_integer(const json& value)
{
    if (value.is_number_integer()) {
        return true;
    }
    if (value.is_number_float()) {
        const double number = value.get<double>();
        return std::isfinite(number) && std::floor(number) == number;
    }
    return false;
}

bool has_type(const json& value, const std::string& type)
{
    if (type == "integer") {
        return is_integer(value);
    }
    if (type == "number") {
        return value.is_number();
    }
    if (type == "string") {
        return value.is_string();
    }
    if (type == "object") {
        return value.is_object();
    }
    if (type == "array") {
        return value.is_array();
    }
    if (type == "boolean") {
        return value.is_boolean();
    }
    return type == "null" && value.is_null();
}

} // namespace

struct JsonSchema::Compiled
{
    json root;
    std::map<std::string, std::unique_ptr<RE2>> patterns; ///< by pattern text

    core::Error error(const std::string& pointer, const std::string& what) const
    {
        return core::Error(
            core::ErrorCode::input,
            fmt::format("schema at '{}': {}", pointer.empty() ? "#" : pointer, what));
    }

    const json* resolve(const std::string& reference) const
    {
        if (reference == "#") {
            return &root;
        }
        if (reference.rfind("#/", 0) != 0) {
            return nullptr;
        }
        try {
            const json::json_pointer pointer(reference.substr(1));
            return root.contains(pointer) ? &root.at(pointer) : nullptr;
        } catch (const json::exception&) {
            return nullptr;
        }
    }

    core::Result<bool> check_schema(const json& schema, const std::string& pointer)
    {
        if (schema.is_boolean()) {
            return true;
        }
        if (!schema.is_object()) {
            return error(pointer, "a schema is an object or a boolean");
        }
        for (const auto& [key, value] : schema.items()) {
            const std::string at = pointer + "/" + escape_pointer_token(key);
            if (k_annotations.count(key) != 0) {
                continue;
            }
            if (k_checked_keywords.count(key) == 0) {
                std::string message = fmt::format("the keyword '{}' is not supported", key);
                const auto close = k_unsupported_keywords.count(key) == 0
                                       ? core::closest_match(key, known_keywords())
                                       : std::nullopt;
                if (close) {
                    message += fmt::format("; did you mean '{}'?", *close);
                }
                return error(at, message);
            }
            if (auto checked = check_keyword(key, value, at); !checked) {
                return checked;
            }
        }
        return true;
    }

    core::Result<bool>
    check_keyword(const std::string& key, const json& value, const std::string& at)
    {
        if (key == "properties" || key == "patternProperties" || key == "$defs"
            || key == "definitions") {
            if (!value.is_object()) {
                return error(at, "must be an object of schemas");
            }
            for (const auto& [name, child] : value.items()) {
                if (key == "patternProperties") {
                    if (auto compiled = add_pattern(name, at); !compiled) {
                        return compiled;
                    }
                }
                if (auto checked = check_schema(child, at + "/" + escape_pointer_token(name));
                    !checked) {
                    return checked;
                }
            }
            return true;
        }
        if (key == "allOf" || key == "anyOf" || key == "oneOf" || key == "prefixItems") {
            if (!value.is_array() || value.empty()) {
                return error(at, "must be a non-empty array of schemas");
            }
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (auto checked = check_schema(value[i], fmt::format("{}/{}", at, i)); !checked) {
                    return checked;
                }
            }
            return true;
        }
        if (key == "items" && value.is_array()) {
            return error(
                at, "'items' is one schema in draft 2020-12; a list of schemas is 'prefixItems'");
        }
        if (key == "additionalProperties" || key == "items" || key == "not" || key == "if"
            || key == "then" || key == "else") {
            return check_schema(value, at);
        }
        if (key == "type") {
            const auto valid = [](const json& name) {
                static const std::set<std::string> k_types{
                    "null", "boolean", "object", "array", "number", "string", "integer"};
                return name.is_string() && k_types.count(name.get<std::string>()) != 0;
            };
            if (valid(value)
                || (value.is_array() && std::all_of(value.begin(), value.end(), valid))) {
                return true;
            }
            return error(at, "must be a type name or a list of them");
        }
        if (key == "enum") {
            return value.is_array() ? core::Result<bool>(true) : error(at, "must be an array");
        }
        if (key == "required") {
            const bool valid =
                value.is_array() && std::all_of(value.begin(), value.end(), [](const json& item) {
                    return item.is_string();
                });
            return valid ? core::Result<bool>(true) : error(at, "must be an array of strings");
        }
        if (key == "minItems" || key == "maxItems" || key == "minLength" || key == "maxLength") {
            return is_integer(value) && value.get<double>() >= 0
                       ? core::Result<bool>(true)
                       : error(at, "must be a non-negative integer");
        }
        if (key == "uniqueItems") {
            return value.is_boolean() ? core::Result<bool>(true) : error(at, "must be a boolean");
        }
        if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum"
            || key == "exclusiveMaximum") {
            return value.is_number() ? core::Result<bool>(true) : error(at, "must be a number");
        }
        if (key == "multipleOf") {
            return value.is_number() && value.get<double>() > 0
                       ? core::Result<bool>(true)
                       : error(at, "must be a number above 0");
        }
        if (key == "format") {
            if (value.is_string()
                && std::find(k_formats.begin(), k_formats.end(), value.get<std::string>())
                       != k_formats.end()) {
                return true;
            }
            return error(at,
                         fmt::format("the format {} is not checked (date, time, date-time, "
                                     "email, uuid, ipv4); a 'pattern' can check it",
                                     value.dump()));
        }
        if (key == "pattern") {
            if (!value.is_string()) {
                return error(at, "must be a string");
            }
            return add_pattern(value.get<std::string>(), at);
        }
        if (key == "$ref") {
            if (!value.is_string()) {
                return error(at, "must be a string");
            }
            if (resolve(value.get<std::string>()) == nullptr) {
                return error(at,
                             fmt::format("'{}' does not resolve: only references inside the "
                                         "schema ('#', '#/$defs/NAME') are supported",
                                         value.get<std::string>()));
            }
            return true;
        }
        return true; // const: any value
    }

    core::Result<bool> add_pattern(const std::string& text, const std::string& at)
    {
        if (patterns.count(text) != 0) {
            return true;
        }
        RE2::Options options;
        options.set_log_errors(false);
        auto regex = std::make_unique<RE2>(text, options);
        if (!regex->ok()) {
            return error(at, fmt::format("invalid pattern '{}': {}", text, regex->error()));
        }
        patterns.emplace(text, std::move(regex));
        return true;
    }
};

namespace {

class Validation
{
public:
    Validation(const JsonSchema::Compiled& compiled, std::size_t limit)
        : m_compiled(compiled), m_limit(limit)
    {}

    std::vector<std::string> problems;

    void check(const json& schema, const json& value, const std::string& where, int depth = 0)
    {
        if (problems.size() >= m_limit) {
            return;
        }
        if (depth > 64) {
            add(where, "the schema's references nest deeper than 64 levels");
            return;
        }
        if (schema.is_boolean()) {
            if (!schema.get<bool>()) {
                add(where, "no value is allowed here");
            }
            return;
        }
        check_generic(schema, value, where, depth);
        if (value.is_object()) {
            check_object(schema, value, where, depth);
        } else if (value.is_array()) {
            check_array(schema, value, where, depth);
        } else if (value.is_string()) {
            check_string(schema, value, where);
        } else if (value.is_number()) {
            check_number(schema, value, where);
        }
    }

private:
    void add(const std::string& where, const std::string& what)
    {
        if (problems.size() < m_limit) {
            problems.push_back(fmt::format("at '{}': {}", where.empty() ? "/" : where, what));
        }
    }

    bool passes(const json& schema, const json& value, int depth)
    {
        Validation inner(m_compiled, 1);
        inner.check(schema, value, "", depth + 1);
        return inner.problems.empty();
    }

    void check_generic(const json& schema, const json& value, const std::string& where, int depth)
    {
        if (auto type = schema.find("type"); type != schema.end()) {
            bool matched = false;
            if (type->is_string()) {
                matched = has_type(value, type->get<std::string>());
            } else {
                for (const auto& name : *type) {
                    matched = matched || has_type(value, name.get<std::string>());
                }
            }
            if (!matched) {
                add(where,
                    fmt::format("expected type {}, found {}", type->dump(), value.type_name()));
            }
        }
        if (auto values = schema.find("enum"); values != schema.end()) {
            if (std::find(values->begin(), values->end(), value) == values->end()) {
                add(where, "the value is not one of the enum's");
            }
        }
        if (auto constant = schema.find("const"); constant != schema.end() && *constant != value) {
            add(where, fmt::format("expected {}", constant->dump()));
        }
        if (auto reference = schema.find("$ref"); reference != schema.end()) {
            if (const json* target = m_compiled.resolve(reference->get<std::string>())) {
                check(*target, value, where, depth + 1);
            }
        }
        check_combinations(schema, value, where, depth);
    }

    void
    check_combinations(const json& schema, const json& value, const std::string& where, int depth)
    {
        if (auto all = schema.find("allOf"); all != schema.end()) {
            for (const auto& part : *all) {
                check(part, value, where, depth + 1);
            }
        }
        if (auto any = schema.find("anyOf"); any != schema.end()) {
            if (std::none_of(any->begin(), any->end(), [&](const json& part) {
                    return passes(part, value, depth);
                })) {
                add(where, "the value matches none of 'anyOf'");
            }
        }
        if (auto one = schema.find("oneOf"); one != schema.end()) {
            const auto matches = std::count_if(one->begin(), one->end(), [&](const json& part) {
                return passes(part, value, depth);
            });
            if (matches != 1) {
                add(where, fmt::format("the value matches {} of 'oneOf', not exactly 1", matches));
            }
        }
        if (auto negated = schema.find("not");
            negated != schema.end() && passes(*negated, value, depth)) {
            add(where, "the value matches the schema under 'not'");
        }
        if (auto condition = schema.find("if"); condition != schema.end()) {
            const char* branch = passes(*condition, value, depth) ? "then" : "else";
            if (auto chosen = schema.find(branch); chosen != schema.end()) {
                check(*chosen, value, where, depth + 1);
            }
        }
    }

    void check_object(const json& schema, const json& value, const std::string& where, int depth)
    {
        if (auto required = schema.find("required"); required != schema.end()) {
            for (const auto& name : *required) {
                if (!value.contains(name.get<std::string>())) {
                    add(where,
                        fmt::format("the property '{}' is required", name.get<std::string>()));
                }
            }
        }
        const auto properties = schema.find("properties");
        const auto pattern_properties = schema.find("patternProperties");
        const auto additional = schema.find("additionalProperties");
        for (const auto& [name, child] : value.items()) {
            const std::string at = where + "/" + escape_pointer_token(name);
            bool known = false;
            if (properties != schema.end()) {
                if (auto property = properties->find(name); property != properties->end()) {
                    known = true;
                    check(*property, child, at, depth + 1);
                }
            }
            if (pattern_properties != schema.end()) {
                for (const auto& [pattern, property] : pattern_properties->items()) {
                    if (RE2::PartialMatch(name, *m_compiled.patterns.at(pattern))) {
                        known = true;
                        check(property, child, at, depth + 1);
                    }
                }
            }
            if (!known && additional != schema.end()) {
                if (additional->is_boolean() && !additional->get<bool>()) {
                    add(at, "no additional property is allowed");
                } else {
                    check(*additional, child, at, depth + 1);
                }
            }
        }
    }

    void check_array(const json& schema, const json& value, const std::string& where, int depth)
    {
        std::size_t prefix = 0;
        if (auto prefix_items = schema.find("prefixItems"); prefix_items != schema.end()) {
            prefix = std::min(prefix_items->size(), value.size());
            for (std::size_t i = 0; i < prefix; ++i) {
                check((*prefix_items)[i], value[i], fmt::format("{}/{}", where, i), depth + 1);
            }
        }
        if (auto items = schema.find("items"); items != schema.end()) {
            for (std::size_t i = prefix; i < value.size(); ++i) {
                check(*items, value[i], fmt::format("{}/{}", where, i), depth + 1);
            }
        }
        if (auto least = schema.find("minItems");
            least != schema.end() && static_cast<double>(value.size()) < least->get<double>()) {
            add(where,
                fmt::format("expected at least {} items, found {}", least->dump(), value.size()));
        }
        if (auto most = schema.find("maxItems");
            most != schema.end() && static_cast<double>(value.size()) > most->get<double>()) {
            add(where,
                fmt::format("expected at most {} items, found {}", most->dump(), value.size()));
        }
        if (auto unique = schema.find("uniqueItems");
            unique != schema.end() && unique->get<bool>()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                for (std::size_t j = i + 1; j < value.size(); ++j) {
                    if (value[i] == value[j]) {
                        add(where, fmt::format("items {} and {} are equal", i, j));
                        return;
                    }
                }
            }
        }
    }

    void check_string(const json& schema, const json& value, const std::string& where)
    {
        const auto& text = value.get_ref<const std::string&>();
        const auto length = static_cast<double>(core::count_code_points(text));
        if (auto least = schema.find("minLength");
            least != schema.end() && length < least->get<double>()) {
            add(where, fmt::format("expected at least {} characters", least->dump()));
        }
        if (auto most = schema.find("maxLength");
            most != schema.end() && length > most->get<double>()) {
            add(where, fmt::format("expected at most {} characters", most->dump()));
        }
        if (auto pattern = schema.find("pattern"); pattern != schema.end()) {
            const auto& regex = *m_compiled.patterns.at(pattern->get<std::string>());
            if (!RE2::PartialMatch(text, regex)) {
                add(where,
                    fmt::format("does not match the pattern '{}'", pattern->get<std::string>()));
            }
        }
        if (auto format = schema.find("format");
            format != schema.end() && !matches_format(format->get<std::string>(), text)) {
            add(where, fmt::format("is not a valid {}", format->get<std::string>()));
        }
    }

    void check_number(const json& schema, const json& value, const std::string& where)
    {
        const double number = value.get<double>();
        const auto bound = [&](const char* keyword, auto out_of_range, const char* words) {
            if (auto limit = schema.find(keyword);
                limit != schema.end() && out_of_range(number, limit->get<double>())) {
                add(where, fmt::format("{} {}", words, limit->dump()));
            }
        };
        bound(
            "minimum", [](double n, double l) { return n < l; }, "expected at least");
        bound(
            "maximum", [](double n, double l) { return n > l; }, "expected at most");
        bound(
            "exclusiveMinimum", [](double n, double l) { return n <= l; }, "expected more than");
        bound(
            "exclusiveMaximum", [](double n, double l) { return n >= l; }, "expected less than");
        if (auto divisor = schema.find("multipleOf"); divisor != schema.end()) {
            bool multiple = false;
            if (value.is_number_integer() && divisor->is_number_integer()) {
                multiple = value.get<long long>() % divisor->get<long long>() == 0;
            } else {
                const double quotient = number / divisor->get<double>();
                multiple = std::isfinite(quotient)
                           && std::fabs(quotient - std::round(quotient))
                                  < 1e-9 * std::max(1.0, std::fabs(quotient));
            }
            if (!multiple) {
                add(where, fmt::format("expected a multiple of {}", divisor->dump()));
            }
        }
    }

    const JsonSchema::Compiled& m_compiled;
    std::size_t m_limit;
};

} // namespace

core::Result<JsonSchema> JsonSchema::compile(const nlohmann::json& schema)
{
    auto compiled = std::make_shared<Compiled>();
    compiled->root = schema;
    if (auto checked = compiled->check_schema(compiled->root, ""); !checked) {
        return checked.error();
    }
    JsonSchema out;
    out.m_compiled = std::move(compiled);
    return out;
}

std::vector<std::string> JsonSchema::validate(const nlohmann::json& instance,
                                              std::size_t limit) const
{
    Validation validation(*m_compiled, limit);
    validation.check(m_compiled->root, instance, "");
    return validation.problems;
}

} // namespace aiops::behave
