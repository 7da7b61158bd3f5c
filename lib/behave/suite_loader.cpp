#include "behave/suite.hpp"
#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "core/yaml_reader.hpp"
#include "prompt/template.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace aiops::behave {

namespace {

const std::vector<std::string> k_suite_keys{"version", "name", "description", "defaults", "cases"};

const std::vector<std::string> k_default_keys{"trials",
                                              "threshold",
                                              "provider",
                                              "model",
                                              "temperature",
                                              "timeout",
                                              "max-output",
                                              "normalise"};

const std::vector<std::string> k_case_keys{
    "id",          "description", "prompt",    "messages",    "vars",   "provider", "model",
    "temperature", "max-tokens",  "run",       "stdin",       "env",    "cwd",      "timeout",
    "max-output",  "trials",      "threshold", "consistency", "assert",
};

struct AssertionName
{
    const char* name;
    Assertion::Kind kind;
    bool has_streams; ///< has stdout- and stderr- variants
};

const std::vector<AssertionName> k_assertions{
    {"equals", Assertion::Kind::equals, true},
    {"contains", Assertion::Kind::contains, true},
    {"icontains", Assertion::Kind::icontains, true},
    {"not-contains", Assertion::Kind::not_contains, true},
    {"regex", Assertion::Kind::regex, true},
    {"starts-with", Assertion::Kind::starts_with, true},
    {"is-json", Assertion::Kind::is_json, true},
    {"json-schema", Assertion::Kind::json_schema, true},
    {"json-path", Assertion::Kind::json_path, true},
    {"max-length", Assertion::Kind::max_length, true},
    {"min-length", Assertion::Kind::min_length, true},
    {"valid-code", Assertion::Kind::valid_code, true},
    {"max-latency-ms", Assertion::Kind::max_latency_ms, false},
    {"max-cost", Assertion::Kind::max_cost, false},
    {"exit-code", Assertion::Kind::exit_code, false},
};

std::vector<std::string> assertion_names()
{
    std::vector<std::string> names{"not"};
    for (const auto& entry : k_assertions) {
        names.emplace_back(entry.name);
        if (entry.has_streams) {
            names.push_back(std::string("stdout-") + entry.name);
            names.push_back(std::string("stderr-") + entry.name);
        }
    }
    return names;
}

class SuiteParser
{
public:
    SuiteParser(std::string_view text, std::string display_path, std::filesystem::path base)
        : m_text(text), m_lines(core::split(text, '\n')), m_display_path(std::move(display_path)),
          m_base(std::move(base)), m_reader(m_display_path)
    {}

    core::Result<Suite> run()
    {
        auto document = m_reader.read_document(m_text);
        if (!document) {
            return document.error();
        }
        try {
            return load(*document);
        } catch (const core::Error& error) {
            return error;
        } catch (const YAML::Exception& error) {
            return m_reader.error_at(error.mark, error.msg);
        }
    }

private:
    [[noreturn]] void raise(const YAML::Node& node, const std::string& message) const
    {
        m_reader.raise(node, message);
    }

    Position position_of(const YAML::Node& node) const
    {
        const core::TextPosition at = m_reader.position(node);
        return {at.line, at.column};
    }

    // A repeated key is refused too: YAML forbids one, but yaml-cpp keeps one of the
    // two silently.
    void check_keys(const YAML::Node& map,
                    const std::vector<std::string>& known,
                    const char* where) const
    {
        m_reader.check_mapping(map, known, where);
    }

    // Names, models and messages are strings: `name: 42` is a mistake.
    std::string string_of(const YAML::Node& node, const std::string& key) const
    {
        return m_reader.strict_string(node, key);
    }

    // An argument, an input or an expected output is text, and a number or a word such
    // as true written there is that text: `run: [sleep, 1]`, `run: [true]`, `equals: 42`.
    std::string text_of(const YAML::Node& node, const std::string& key) const
    {
        return m_reader.string(node, key);
    }

    double number_of(const YAML::Node& node, const std::string& key) const
    {
        if (node.IsScalar()) {
            const std::string text = node.as<std::string>();
            double value = 0;
            const auto [end, error] =
                std::from_chars(text.data(), text.data() + text.size(), value);
            if (error == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
                return value;
            }
        }
        raise(node, fmt::format("'{}' must be a number", key));
    }

    double share_of(const YAML::Node& node, const std::string& key) const
    {
        const double value = number_of(node, key);
        if (value < 0.0 || value > 1.0) {
            raise(node, fmt::format("'{}' must be between 0 and 1", key));
        }
        return value;
    }

    std::size_t count_of(const YAML::Node& node, const std::string& key, std::size_t least) const
    {
        const double value = number_of(node, key);
        if (value < static_cast<double>(least) || value > 1e7 || std::floor(value) != value) {
            raise(node, fmt::format("'{}' must be a whole number of at least {}", key, least));
        }
        return static_cast<std::size_t>(value);
    }

    std::chrono::milliseconds duration_of(const YAML::Node& node, const std::string& key) const
    {
        if (node.IsScalar()) {
            const std::string text = node.as<std::string>();
            static const RE2 k_duration(R"(([0-9]+(?:\.[0-9]+)?)(ms|s|m)?)");
            std::string amount;
            std::string unit;
            if (RE2::FullMatch(text, k_duration, &amount, &unit)) {
                const double value = std::stod(amount);
                const double factor = unit == "ms" ? 1.0 : unit == "m" ? 60000.0 : 1000.0;
                const auto millis = static_cast<long long>(std::llround(value * factor));
                if (millis > 0) {
                    return std::chrono::milliseconds(millis);
                }
            }
        }
        raise(node,
              fmt::format("'{}' must be a duration above 0: seconds (30), or 500ms, 30s, 2m", key));
    }

    // A command writes at most this much to each stream; 1G keeps a run's memory bounded.
    std::size_t byte_size_of(const YAML::Node& node, const std::string& key) const
    {
        constexpr std::uint64_t k_most = 1024ULL * 1024 * 1024;
        if (node.IsScalar()) {
            const auto size = core::parse_byte_size(node.Scalar());
            if (size && *size > 0 && *size <= k_most) {
                return static_cast<std::size_t>(*size);
            }
        }
        raise(node,
              fmt::format("'{}' must be a size from 1 byte to 1G: bytes (1048576), or 512K, 16M",
                          key));
    }

    std::map<std::string, std::string> string_map(const YAML::Node& node,
                                                  const std::string& key) const
    {
        if (!node.IsMap()) {
            raise(node, fmt::format("'{}' must be a mapping of names to strings", key));
        }
        std::map<std::string, std::string> out;
        for (const auto& entry : node) {
            const std::string name = string_of(entry.first, key);
            if (out.contains(name)) {
                raise(entry.first, fmt::format("'{}' is given twice in '{}'", name, key));
            }
            out[name] = text_of(entry.second, key + "." + name);
        }
        return out;
    }

    nlohmann::json to_json(const YAML::Node& node) const
    {
        if (node.IsNull()) {
            return nullptr;
        }
        if (node.IsSequence()) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : node) {
                out.push_back(to_json(item));
            }
            return out;
        }
        if (node.IsMap()) {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& entry : node) {
                out[entry.first.as<std::string>()] = to_json(entry.second);
            }
            return out;
        }
        const std::string text = node.as<std::string>();
        // A quoted scalar is a string; a plain one may be a number, a boolean or null.
        if (node.Tag() != "!") {
            if (text == "true" || text == "false") {
                return text == "true";
            }
            if (text == "null" || text == "~") {
                return nullptr;
            }
            long long integer = 0;
            if (auto [end, error] =
                    std::from_chars(text.data(), text.data() + text.size(), integer);
                error == std::errc() && end == text.data() + text.size()) {
                return integer;
            }
            // Up to 2^64 - 1 a whole number stays exact, as JSON output parses it.
            unsigned long long large = 0;
            if (auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), large);
                error == std::errc() && end == text.data() + text.size()) {
                return large;
            }
            double real = 0;
            if (auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), real);
                error == std::errc() && end == text.data() + text.size()) {
                return real;
            }
        }
        return text;
    }

    Suite load(const YAML::Node& document)
    {
        if (!document.IsMap()) {
            raise(document, "a suite is a mapping with 'cases' (and optional 'name', 'defaults')");
        }
        check_keys(document, k_suite_keys, "the suite");
        Suite suite;
        suite.display_path = m_display_path;
        if (auto version = document["version"]) {
            if (m_reader.string(version, "version") != "1") {
                raise(version, "this aiops reads suite version 1");
            }
        }
        if (auto name = document["name"]) {
            suite.name = string_of(name, "name");
        }
        if (auto defaults = document["defaults"]) {
            load_defaults(defaults, suite.defaults);
        }
        const YAML::Node cases = document["cases"];
        if (!cases) {
            raise(document, "the suite has no 'cases'");
        }
        if (!cases.IsSequence() || cases.size() == 0) {
            raise(cases, "'cases' must be a non-empty list of cases");
        }
        std::set<std::string> ids;
        for (const auto& node : cases) {
            Case loaded = load_case(node);
            if (!ids.insert(loaded.id).second) {
                raise(node["id"], fmt::format("the case id '{}' is used twice", loaded.id));
            }
            suite.cases.push_back(std::move(loaded));
        }
        return suite;
    }

    void load_defaults(const YAML::Node& node, SuiteDefaults& defaults) const
    {
        if (!node.IsMap()) {
            raise(node, "'defaults' must be a mapping");
        }
        check_keys(node, k_default_keys, "'defaults'");
        if (auto trials = node["trials"]) {
            defaults.trials = count_of(trials, "trials", 1);
        }
        if (auto threshold = node["threshold"]) {
            defaults.threshold = share_of(threshold, "threshold");
        }
        if (auto provider = node["provider"]) {
            defaults.provider = string_of(provider, "provider");
        }
        if (auto model = node["model"]) {
            defaults.model = string_of(model, "model");
        }
        if (auto temperature = node["temperature"]) {
            defaults.temperature = number_of(temperature, "temperature");
        }
        if (auto timeout = node["timeout"]) {
            defaults.timeout = duration_of(timeout, "timeout");
        }
        if (auto size = node["max-output"]) {
            defaults.max_output = byte_size_of(size, "max-output");
        }
        if (auto normalise = node["normalise"]) {
            defaults.normalisation = normalisation_of(normalise);
        }
    }

    Normalisation normalisation_of(const YAML::Node& node) const
    {
        const auto parsed = parse_normalisation(string_of(node, "normalise"));
        if (!parsed) {
            raise(node, "'normalise' must be one of exact, whitespace, case, json");
        }
        return *parsed;
    }

    Case load_case(const YAML::Node& node)
    {
        if (!node.IsMap()) {
            raise(node,
                  "a case is a mapping with 'id', then 'run' or 'prompt'/'messages', and 'assert'");
        }
        check_keys(node, k_case_keys, "a case");
        Case loaded;
        loaded.position = position_of(node);
        const auto line_index = static_cast<std::size_t>(loaded.position.line - 1);
        if (line_index < m_lines.size()) {
            loaded.source_line = m_lines[line_index];
        }
        if (!node["id"]) {
            raise(node, "the case has no 'id'");
        }
        loaded.id = string_of(node["id"], "id");
        static const RE2 k_id(R"([A-Za-z0-9][A-Za-z0-9_.-]*)");
        if (!RE2::FullMatch(loaded.id, k_id)) {
            raise(node["id"],
                  fmt::format("the case id '{}' may hold letters, digits, '_', '.' and '-'",
                              loaded.id));
        }
        if (auto description = node["description"]) {
            loaded.description = string_of(description, "description");
        }
        const bool is_command = static_cast<bool>(node["run"]);
        const bool is_prompt = node["prompt"] || node["messages"];
        if (is_command == is_prompt) {
            raise(node,
                  fmt::format("the case '{}' needs either 'run' (a command) or 'prompt'/'messages' "
                              "(a model call), not {}",
                              loaded.id,
                              is_command ? "both" : "neither"));
        }
        if (is_command) {
            loaded.command = load_command(node);
        } else {
            loaded.prompt = load_prompt(node);
        }
        load_case_settings(node, loaded);
        const YAML::Node assertions = node["assert"];
        if (!assertions) {
            raise(node, fmt::format("the case '{}' has no 'assert' list", loaded.id));
        }
        if (!assertions.IsSequence() || assertions.size() == 0) {
            raise(assertions, "'assert' must be a non-empty list of assertions");
        }
        for (const auto& item : assertions) {
            loaded.assertions.push_back(load_assertion(item, is_command, false));
        }
        return loaded;
    }

    void load_case_settings(const YAML::Node& node, Case& loaded) const
    {
        if (auto trials = node["trials"]) {
            loaded.trials = count_of(trials, "trials", 1);
        }
        if (auto threshold = node["threshold"]) {
            loaded.threshold = share_of(threshold, "threshold");
        }
        if (auto timeout = node["timeout"]) {
            loaded.timeout = duration_of(timeout, "timeout");
        }
        if (auto size = node["max-output"]) {
            if (!loaded.command) {
                raise(size, "'max-output' belongs to command cases; this case calls a model");
            }
            loaded.max_output = byte_size_of(size, "max-output");
        }
        if (auto consistency = node["consistency"]) {
            if (!consistency.IsMap()) {
                raise(consistency, "'consistency' must be a mapping with 'min' and/or 'normalise'");
            }
            check_keys(consistency, {"min", "normalise"}, "'consistency'");
            if (auto least = consistency["min"]) {
                loaded.consistency_min = share_of(least, "consistency.min");
            }
            if (auto normalise = consistency["normalise"]) {
                loaded.normalisation = normalisation_of(normalise);
            }
        }
    }

    CommandCase load_command(const YAML::Node& node) const
    {
        for (const char* key : {"vars", "provider", "model", "temperature", "max-tokens"}) {
            if (node[key]) {
                raise(node[key],
                      fmt::format("'{}' belongs to prompt cases; this case runs a command", key));
            }
        }
        CommandCase command;
        const YAML::Node run = node["run"];
        if (!run.IsSequence() || run.size() == 0) {
            raise(run,
                  "'run' must be a non-empty list: the program, then its arguments (no shell)");
        }
        for (const auto& argument : run) {
            command.argv.push_back(text_of(argument, "run"));
        }
        if (command.argv.front().empty()) {
            raise(run, "'run' names no program");
        }
        if (auto input = node["stdin"]) {
            command.stdin_text = text_of(input, "stdin");
        }
        if (auto env = node["env"]) {
            command.env = string_map(env, "env");
        }
        command.working_folder = m_base;
        if (auto folder = node["cwd"]) {
            const std::string name = string_of(folder, "cwd");
            command.working_folder = (m_base / name).lexically_normal();
            std::error_code error;
            if (!std::filesystem::is_directory(command.working_folder, error)) {
                raise(folder,
                      fmt::format("the working folder '{}' {} (cwd is taken from the suite's "
                                  "folder)",
                                  name,
                                  std::filesystem::exists(command.working_folder, error)
                                      ? "is not a folder"
                                      : "does not exist"));
            }
        }
        return command;
    }

    PromptCase load_prompt(const YAML::Node& node) const
    {
        for (const char* key : {"stdin", "env", "cwd"}) {
            if (node[key]) {
                raise(node[key],
                      fmt::format("'{}' belongs to command cases; this case calls a model", key));
            }
        }
        PromptCase prompt;
        if (node["prompt"] && node["messages"]) {
            raise(node["messages"],
                  "a case names a registry 'prompt' or gives inline 'messages', not both");
        }
        if (auto reference = node["prompt"]) {
            const std::string text = string_of(reference, "prompt");
            static const RE2 k_reference(R"(([A-Za-z0-9][A-Za-z0-9_./-]*)(?:@([A-Za-z0-9_.-]+))?)");
            if (!RE2::FullMatch(text, k_reference, &prompt.prompt_name, &prompt.prompt_version)) {
                raise(reference,
                      fmt::format("'{}' is not a prompt reference: expected NAME or NAME@VERSION",
                                  text));
            }
        }
        if (auto messages = node["messages"]) {
            if (!messages.IsSequence() || messages.size() == 0) {
                raise(messages, "'messages' must be a non-empty list of {role, content}");
            }
            for (const auto& item : messages) {
                if (!item.IsMap()) {
                    raise(item, "a message is a mapping with 'role' and 'content'");
                }
                check_keys(item, {"role", "content"}, "a message");
                if (!item["role"] || !item["content"]) {
                    raise(item, "a message needs 'role' and 'content'");
                }
                Message message{string_of(item["role"], "role"),
                                string_of(item["content"], "content")};
                static const std::vector<std::string> k_roles{"system", "user", "assistant"};
                if (std::find(k_roles.begin(), k_roles.end(), message.role) == k_roles.end()) {
                    raise(
                        item["role"],
                        fmt::format("unknown role '{}': system, user or assistant", message.role));
                }
                prompt.messages.push_back(std::move(message));
            }
        }
        if (auto vars = node["vars"]) {
            prompt.variables = string_map(vars, "vars");
        }
        if (auto provider = node["provider"]) {
            prompt.provider = string_of(provider, "provider");
        }
        if (auto model = node["model"]) {
            prompt.model = string_of(model, "model");
        }
        if (auto temperature = node["temperature"]) {
            prompt.temperature = number_of(temperature, "temperature");
        }
        if (auto tokens = node["max-tokens"]) {
            prompt.max_tokens = static_cast<int>(count_of(tokens, "max-tokens", 1));
        }
        if (auto messages = node["messages"]) {
            check_templates(messages, prompt.variables);
        }
        return prompt;
    }

    // Mustache renders a name without a value as nothing, so a name missing from 'vars'
    // would send the model a prompt with a hole in it.
    void check_templates(const YAML::Node& messages,
                         const std::map<std::string, std::string>& variables) const
    {
        for (const auto& item : messages) {
            const YAML::Node content = item["content"];
            const std::string text = content.Scalar();
            if (const auto problem = prompt::template_problem(text)) {
                raise(content, fmt::format("the template does not compile: {}", *problem));
            }
            for (const auto& reference : prompt::template_references(text)) {
                if (!reference.in_section && !variables.contains(reference.name)) {
                    raise(content,
                          fmt::format("the template uses '{}', which the case's 'vars' do not "
                                      "give",
                                      reference.name));
                }
            }
        }
    }

    Assertion load_assertion(const YAML::Node& item, bool is_command, bool negated)
    {
        if (!item.IsMap() || item.size() != 1) {
            raise(item,
                  "an assertion is a mapping with one key, such as 'contains: text' or 'not: "
                  "{regex: x}'");
        }
        const auto entry = *item.begin();
        const std::string name = entry.first.as<std::string>();
        const YAML::Node value = entry.second;
        if (name == "not") {
            if (negated) {
                raise(entry.first, "'not' inside 'not' cancels out: write the assertion itself");
            }
            return load_assertion(value, is_command, true);
        }
        Assertion assertion;
        assertion.name = name;
        assertion.negated = negated;
        assertion.position = position_of(entry.first);
        std::string base = name;
        if (name.rfind("stdout-", 0) == 0) {
            assertion.stream = Stream::stdout_stream;
            base = name.substr(7);
        } else if (name.rfind("stderr-", 0) == 0) {
            assertion.stream = Stream::stderr_stream;
            base = name.substr(7);
        }
        const auto known =
            std::find_if(k_assertions.begin(), k_assertions.end(), [&](const AssertionName& a) {
                return base == a.name && (a.has_streams || assertion.stream == Stream::output);
            });
        if (known == k_assertions.end()) {
            std::string message = fmt::format("unknown assertion '{}'", name);
            if (auto close = core::closest_match(name, assertion_names())) {
                message += fmt::format("; did you mean '{}'?", *close);
            }
            raise(entry.first, message);
        }
        assertion.kind = known->kind;
        if (!is_command
            && (assertion.stream != Stream::output
                || assertion.kind == Assertion::Kind::exit_code)) {
            raise(entry.first,
                  fmt::format("'{}' applies to command cases; this case calls a model", name));
        }
        if (is_command && assertion.kind == Assertion::Kind::max_cost) {
            raise(entry.first, "'max-cost' applies to prompt cases: a command costs nothing");
        }
        load_operand(value, assertion);
        return assertion;
    }

    void load_operand(const YAML::Node& value, Assertion& assertion)
    {
        using Kind = Assertion::Kind;
        const std::string& name = assertion.name;
        switch (assertion.kind) {
        case Kind::equals:
        case Kind::contains:
        case Kind::icontains:
        case Kind::not_contains:
        case Kind::starts_with:
            assertion.text = text_of(value, name);
            break;
        case Kind::regex: {
            assertion.text = text_of(value, name);
            RE2::Options options;
            options.set_log_errors(false);
            auto regex = std::make_shared<RE2>(assertion.text, options);
            if (!regex->ok()) {
                raise(value, fmt::format("invalid regular expression: {}", regex->error()));
            }
            assertion.regex = std::move(regex);
            break;
        }
        case Kind::is_json:
            if (!value.IsNull() && !(value.IsScalar() && value.as<std::string>() == "true")) {
                raise(value, fmt::format("'{}' takes no value (or true)", name));
            }
            break;
        case Kind::json_schema:
            load_schema(value, assertion);
            break;
        case Kind::json_path:
            load_json_path(value, assertion);
            break;
        case Kind::max_length:
        case Kind::min_length:
            assertion.number = static_cast<double>(count_of(value, name, 0));
            break;
        case Kind::max_latency_ms:
        case Kind::max_cost:
            assertion.number = number_of(value, name);
            if (assertion.number < 0) {
                raise(value, fmt::format("'{}' must not be negative", name));
            }
            break;
        case Kind::exit_code: {
            const double code = number_of(value, name);
            if (code < 0 || code > 255 || std::floor(code) != code) {
                raise(value, "'exit-code' must be a whole number from 0 to 255");
            }
            assertion.number = code;
            break;
        }
        case Kind::valid_code: {
            assertion.text = string_of(value, name);
            const auto language = source::language_from_name(assertion.text);
            if (!language) {
                raise(value, fmt::format("unknown language '{}'", assertion.text));
            }
            assertion.language = *language;
            break;
        }
        }
    }

    void load_schema(const YAML::Node& value, Assertion& assertion) const
    {
        nlohmann::json schema;
        if (value.IsScalar() && value.Tag() == "!") {
            schema = read_schema_file(value);
        } else if (value.IsScalar() && value.as<std::string>() != "true"
                   && value.as<std::string>() != "false") {
            schema = read_schema_file(value);
        } else {
            // yaml-cpp keeps one of two equal keys silently; in a schema the lost one is a
            // constraint dropped.
            m_reader.check_unique_keys(value);
            schema = to_json(value);
        }
        auto compiled = JsonSchema::compile(schema);
        if (!compiled) {
            raise(value, compiled.error().message());
        }
        assertion.schema = std::make_shared<const JsonSchema>(std::move(compiled).take());
    }

    nlohmann::json read_schema_file(const YAML::Node& value) const
    {
        const std::filesystem::path file = m_base / value.as<std::string>();
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            raise(value, fmt::format("cannot read the schema file '{}'", value.as<std::string>()));
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        try {
            return nlohmann::json::parse(buffer.str());
        } catch (const nlohmann::json::exception& error) {
            raise(value,
                  fmt::format("the schema file '{}' is not JSON: {}",
                              value.as<std::string>(),
                              error.what()));
        }
    }

    void load_json_path(const YAML::Node& value, Assertion& assertion) const
    {
        if (!value.IsMap()) {
            raise(value,
                  "'json-path' takes a mapping: {path: $.key, equals: value} or {path: ..., "
                  "contains: value}");
        }
        check_keys(value, {"path", "equals", "contains"}, "'json-path'");
        if (!value["path"]) {
            raise(value, "'json-path' needs a 'path'");
        }
        auto path = JsonPath::compile(string_of(value["path"], "path"));
        if (!path) {
            raise(value["path"], path.error().message());
        }
        assertion.path = std::move(path).take();
        if (value["equals"] && value["contains"]) {
            raise(value, "'json-path' takes 'equals' or 'contains', not both");
        }
        if (auto equals = value["equals"]) {
            assertion.path_equals = to_json(equals);
        } else if (auto contains = value["contains"]) {
            assertion.path_contains = to_json(contains);
        }
    }

    std::string_view m_text;
    std::vector<std::string> m_lines;
    std::string m_display_path;
    std::filesystem::path m_base;
    core::YamlReader m_reader; ///< names m_display_path in its errors
};

} // namespace

std::optional<Normalisation> parse_normalisation(std::string_view name)
{
    if (name == "exact") {
        return Normalisation::exact;
    }
    if (name == "whitespace") {
        return Normalisation::whitespace;
    }
    if (name == "case") {
        return Normalisation::case_fold;
    }
    if (name == "json") {
        return Normalisation::json;
    }
    return std::nullopt;
}

core::Result<Suite> parse_suite(std::string_view text,
                                const std::string& display_path,
                                const std::filesystem::path& base_folder)
{
    return SuiteParser(text, display_path, base_folder).run();
}

core::Result<Suite> load_suite(const std::filesystem::path& path, const std::string& display_path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("cannot read the suite '{}'", display_path));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    // Relative paths in a suite are written from where the file really is, so a suite
    // reached through a link works from its target's folder.
    std::error_code error;
    auto real = std::filesystem::canonical(path, error);
    if (error) {
        real = std::filesystem::absolute(path, error);
    }
    auto suite = parse_suite(buffer.str(), display_path, real.parent_path());
    if (suite) {
        suite->path = path;
    }
    return suite;
}

} // namespace aiops::behave
