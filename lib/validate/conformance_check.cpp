#include "validate/conformance_check.hpp"

#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "source/source_file.hpp"
#include "validate/declarations.hpp"
#include "validate/route_prefixes.hpp"
#include "validate/syntax_check.hpp"
#include "validate/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace aiops::validate {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_missing_file = "conformance.missing-file";
constexpr const char* k_missing_function = "conformance.missing-function";
constexpr const char* k_missing_class = "conformance.missing-class";
constexpr const char* k_missing_method = "conformance.missing-method";
constexpr const char* k_parameters = "conformance.parameters";
constexpr const char* k_types = "conformance.types";
constexpr const char* k_missing_endpoint = "conformance.missing-endpoint";

// A default as a value: "'user'" and "\"user\"" are the same string.
std::string normalise_default(std::string_view text)
{
    std::string_view trimmed = core::trim(text);
    if (trimmed.size() >= 2 && (trimmed.front() == '\'' || trimmed.front() == '"')
        && trimmed.back() == trimmed.front()) {
        trimmed = trimmed.substr(1, trimmed.size() - 2);
    }
    return core::normalise_whitespace(trimmed);
}

// A boolean or null as a language writes it: Python's True, False and None, the
// others' true, false, null, nil and undefined; nullopt for anything else.
std::optional<std::string> literal_value(std::string_view text, source::Language language)
{
    text = core::trim(text);
    if (language == source::Language::python) {
        return text == "True"    ? std::optional<std::string>("true")
               : text == "False" ? std::optional<std::string>("false")
               : text == "None"  ? std::optional<std::string>("null")
                                 : std::nullopt;
    }
    if (text == "true" || text == "false") {
        return std::string(text);
    }
    if (text == "null" || text == "nil" || text == "undefined") {
        return "null";
    }
    return std::nullopt;
}

// Whether the code's default is the one the spec declares: a boolean or null by its
// value in the file's language, anything else as text without the quotes.
bool same_default(const std::string& code,
                  const spec::Parameter& declared,
                  source::Language language)
{
    if (declared.default_kind == spec::DefaultKind::boolean
        || declared.default_kind == spec::DefaultKind::null) {
        return literal_value(code, language) == declared.default_value;
    }
    return normalise_default(code) == normalise_default(*declared.default_value);
}

std::string spec_signature(const spec::Function& function)
{
    std::vector<std::string> parts;
    for (const auto& parameter : function.parameters) {
        parts.push_back(parameter.default_value ? parameter.name + "=" + *parameter.default_value
                                                : parameter.name);
    }
    return fmt::format("({})", fmt::join(parts, ", "));
}

/// What sets the code's parameter names apart from the spec's: "; 'b' is missing",
/// "; 'c' is not in the spec", both, or nothing when only the order or defaults differ.
std::string parameter_difference(const std::vector<DeclaredParameter>& parameters,
                                 const spec::Function& wanted)
{
    std::vector<std::string> missing;
    for (const auto& parameter : wanted.parameters) {
        if (std::none_of(parameters.begin(), parameters.end(), [&](const auto& code) {
                return code.name == parameter.name;
            })) {
            missing.push_back(fmt::format("'{}'", parameter.name));
        }
    }
    std::vector<std::string> extra;
    for (const auto& parameter : parameters) {
        if (std::none_of(wanted.parameters.begin(), wanted.parameters.end(), [&](const auto& spec) {
                return spec.name == parameter.name;
            })) {
            extra.push_back(fmt::format("'{}'", parameter.name.empty() ? "_" : parameter.name));
        }
    }
    std::string text;
    if (!missing.empty()) {
        text += fmt::format(
            "; {} {} missing", fmt::join(missing, ", "), missing.size() == 1 ? "is" : "are");
    }
    if (!extra.empty()) {
        text += fmt::format(
            "; {} {} not in the spec", fmt::join(extra, ", "), extra.size() == 1 ? "is" : "are");
    }
    return text;
}

std::string code_signature(const std::vector<DeclaredParameter>& parameters)
{
    std::vector<std::string> parts;
    for (const auto& parameter : parameters) {
        std::string name = parameter.name.empty() ? "_" : parameter.name;
        parts.push_back(parameter.default_value
                            ? name + "=" + core::normalise_whitespace(*parameter.default_value)
                            : name);
    }
    return fmt::format("({})", fmt::join(parts, ", "));
}

bool method_matches(const std::string& route, const std::string& wanted)
{
    return route.empty() || route == wanted || (wanted == "HEAD" && route == "GET");
}

bool path_matches(const std::string& path, const std::string& wanted, source::Language language)
{
    const std::string have = normalise_route(path);
    if (have == wanted) {
        return true;
    }
    // net/http: a pattern ending in '/' serves the whole subtree below it.
    if (language == source::Language::go && path.ends_with('/')) {
        return have == "/" || wanted.starts_with(have + "/");
    }
    return false;
}

/// What the spec says about one file.
struct SpecFile
{
    std::string path; ///< as the spec writes it
    spec::Origin origin;
    std::vector<const spec::Function*> functions;
    std::vector<const spec::Class*> classes;
    bool declares = false; ///< functions or classes are declared in it
};

/// The declarations of a file the run does not check, and its language.
struct FileDeclarations
{
    Declarations declarations;
    source::Language language;
};

/// Reads and parses a file the run does not check; nullopt when it cannot be read or
/// its language has no declaration reader.
std::optional<FileDeclarations> declarations_of(const source::WorkspaceFile& file)
{
    auto bytes = source::read_workspace_file(file);
    if (!bytes || source::looks_binary(*bytes)) {
        return std::nullopt;
    }
    auto language = file.language;
    if (!language) {
        language =
            source::language_from_shebang(std::string_view(*bytes).substr(0, bytes->find('\n')));
    }
    if (!language || !declarations_supported(*language)) {
        return std::nullopt;
    }
    const source::SourceText decoded = source::decode_source(std::move(*bytes), *language);
    auto parsed = parse_for_checks(file.path, *language, decoded.text);
    if (!parsed) {
        return std::nullopt;
    }
    return FileDeclarations{read_declarations(parsed->tree), parsed->language};
}

class ConformanceCheck final : public Check
{
public:
    ConformanceCheck(spec::Spec spec,
                     std::string report_path,
                     std::string text,
                     SpecBase base,
                     SpecSelection selection)
        : m_spec(std::move(spec)), m_report_path(std::move(report_path)),
          m_text(std::make_unique<std::string>(std::move(text))), m_lines(*m_text),
          m_base(std::move(base)), m_selection(std::move(selection))
    {
        for (const auto& file : m_selection.unselected) {
            m_unselected.insert(file.path);
        }
        index_files();
        m_endpoint_found = std::make_unique<std::atomic<bool>[]>(m_spec.endpoints.size());
        m_file_seen = std::make_unique<std::atomic<bool>[]>(m_files.size());
    }

    std::vector<report::RuleInfo> rules() const override;
    void check_file(const CheckedFile& file, FileFindings& out) const override;
    std::vector<core::Finding> finish() override;

    bool finish_judges_given_files() const override { return true; }

private:
    bool judged_here(const std::string& report_path) const
    {
        return !m_selection.shard || source::in_shard(report_path, *m_selection.shard);
    }

    void search_unselected_files();
    std::set<std::string> add_file_findings(std::vector<core::Finding>& findings) const;
    void add_endpoint_findings(const std::set<std::string>& not_judged,
                               std::vector<core::Finding>& findings);
    void index_files();
    std::size_t file_index(const std::string& path, spec::Origin origin);
    void check_function(const CheckedFile& file,
                        const spec::Function& wanted,
                        const DeclaredFunction& found,
                        std::string_view display,
                        bool method,
                        FileFindings& out) const;
    void check_class(const CheckedFile& file,
                     const spec::Class& wanted,
                     const Declarations& declarations,
                     FileFindings& out) const;
    void check_operation_ids(const std::string& spec_path, const Declarations& declarations) const;
    std::string spec_path_of(const std::string& report_path) const;
    void keep_routes(const std::string& spec_path,
                     source::Language language,
                     Declarations& declarations) const;
    void match_routes(std::vector<std::string>& methods_seen) const;
    std::string endpoint_message(const spec::Endpoint& endpoint,
                                 const std::string& methods_seen) const;
    core::Finding spec_finding(std::string rule_id, std::string message, spec::Origin at) const;

    spec::Spec m_spec;
    std::string m_report_path;
    std::unique_ptr<std::string> m_text; // the line index points into it
    core::LineIndex m_lines;
    SpecBase m_base;
    SpecSelection m_selection;
    std::set<std::string> m_unselected; ///< report paths
    std::vector<SpecFile> m_files;
    std::unordered_map<std::string, std::size_t> m_by_report_path;
    // Set from the worker threads; read by finish once they are done.
    std::unique_ptr<std::atomic<bool>[]> m_endpoint_found;
    std::unique_ptr<std::atomic<bool>[]> m_file_seen;
    // The routes of every file, matched once all are read: a router's prefix may be
    // set in another file.
    mutable std::mutex m_routes_mutex;
    mutable std::vector<RouteFile> m_route_files;
};

std::size_t ConformanceCheck::file_index(const std::string& path, spec::Origin origin)
{
    const std::string report_path = m_base.base_prefix + path;
    const auto [it, inserted] = m_by_report_path.emplace(report_path, m_files.size());
    if (inserted) {
        m_files.push_back({path, origin, {}, {}, false});
    }
    return it->second;
}

void ConformanceCheck::index_files()
{
    for (const auto& output : m_spec.outputs) {
        file_index(output.path, output.origin);
    }
    for (const auto& function : m_spec.functions) {
        SpecFile& file = m_files[file_index(function.file, function.origin)];
        file.functions.push_back(&function);
        file.declares = true;
    }
    for (const auto& type : m_spec.classes) {
        SpecFile& file = m_files[file_index(type.file, type.origin)];
        file.classes.push_back(&type);
        file.declares = true;
    }
    for (const auto& endpoint : m_spec.endpoints) {
        if (!endpoint.file.empty()) {
            file_index(endpoint.file, endpoint.origin);
        }
    }
}

std::vector<report::RuleInfo> ConformanceCheck::rules() const
{
    const std::vector<std::string> tags{"conformance", "spec"};
    const auto rule = [&](const char* id,
                          const char* name,
                          const char* summary,
                          const char* help,
                          core::Severity severity) {
        return report::RuleInfo{
            id, name, summary, summary, help, severity, tags, "high", {}, {}, {}};
    };
    return {
        rule(k_missing_file,
             "SpecFileMissing",
             "A file the spec names is not there.",
             "The spec lists this file as an output or puts declarations in it, but the "
             "folder the code was generated into does not hold it (or it was left out of the "
             "check). Generate it again, or correct the path in the spec.",
             core::Severity::high),
        rule(k_missing_function,
             "SpecFunctionMissing",
             "A function the spec declares is not defined.",
             "The file the spec names defines no function of this name at its top level "
             "(for Java: no method of that name in any of its classes). The model may have "
             "renamed it or left it out; callers written against the spec will fail.",
             core::Severity::high),
        rule(k_missing_class,
             "SpecClassMissing",
             "A class the spec declares is not defined.",
             "The file the spec names defines no class (for Go: no named type) of this name.",
             core::Severity::high),
        rule(k_missing_method,
             "SpecMethodMissing",
             "A method the spec declares is missing from its class.",
             "The class exists, but it has no method of this name (for Go: no method with "
             "the type as its receiver).",
             core::Severity::high),
        rule(k_parameters,
             "SpecParametersDiffer",
             "The parameters differ from the spec.",
             "The names, the order or the defaults of the parameters are not those the spec "
             "declares. The message shows both lists. A default is only compared where the "
             "spec gives one; quotes around a string default do not count.",
             core::Severity::medium),
        rule(k_types,
             "SpecTypesDiffer",
             "A parameter or return type differs from the spec.",
             "The code states a type (a Python annotation, a TypeScript, Go or Java type) that "
             "is not the one the spec declares. Types are compared as text with white space "
             "normalised; a type the code does not state is not compared.",
             core::Severity::medium),
        rule(k_missing_endpoint,
             "SpecEndpointMissing",
             "No handler serves an endpoint of the spec.",
             "No function is named after the endpoint's operationId, and no route is "
             "registered for its method and path (Flask and FastAPI decorators, Express "
             "calls, Go net/http patterns, chi and gin routers, Spring mappings). Path "
             "parameters are compared by position: {id}, :id and <int:id> are alike.",
             core::Severity::high),
    };
}

void ConformanceCheck::check_function(const CheckedFile& file,
                                      const spec::Function& wanted,
                                      const DeclaredFunction& found,
                                      std::string_view display,
                                      bool method,
                                      FileFindings& out) const
{
    std::vector<DeclaredParameter> parameters = found.parameters;
    // The receiver of a Python method is not part of the interface a spec describes.
    if (method && file.language == source::Language::python && !parameters.empty()
        && (parameters.front().name == "self" || parameters.front().name == "cls")
        && (wanted.parameters.empty()
            || wanted.parameters.front().name != parameters.front().name)) {
        parameters.erase(parameters.begin());
    }
    bool names_match = parameters.size() == wanted.parameters.size();
    for (std::size_t i = 0; names_match && i < parameters.size(); ++i) {
        names_match = parameters[i].name == wanted.parameters[i].name;
    }
    bool defaults_match = true;
    for (std::size_t i = 0; names_match && i < parameters.size(); ++i) {
        const spec::Parameter& declared = wanted.parameters[i];
        if (declared.default_value
            && (!parameters[i].default_value
                || !same_default(*parameters[i].default_value, declared, file.language))) {
            defaults_match = false;
        }
    }
    if (!names_match || !defaults_match) {
        out.findings.push_back(file_finding(file,
                                            k_parameters,
                                            core::Severity::medium,
                                            fmt::format("'{}' takes {} but the spec declares {}{}",
                                                        display,
                                                        code_signature(parameters),
                                                        spec_signature(wanted),
                                                        parameter_difference(parameters, wanted)),
                                            found.parameters_start,
                                            found.parameters_end));
    }
    // Types are compared by name, so a parameter that is there keeps its type check
    // when others are missing, extra or moved.
    for (const auto& parameter : parameters) {
        const auto spec_parameter =
            std::find_if(wanted.parameters.begin(),
                         wanted.parameters.end(),
                         [&](const auto& candidate) { return candidate.name == parameter.name; });
        if (spec_parameter == wanted.parameters.end()) {
            continue;
        }
        const std::string& declared = spec_parameter->type;
        if (declared.empty() || parameter.type.empty()
            || normalise_type(declared) == normalise_type(parameter.type)) {
            continue;
        }
        out.findings.push_back(
            file_finding(file,
                         k_types,
                         core::Severity::medium,
                         fmt::format("parameter '{}' of '{}' is '{}' but the spec declares '{}'",
                                     parameter.name,
                                     display,
                                     core::normalise_whitespace(parameter.type),
                                     core::normalise_whitespace(declared)),
                         parameter.start_byte,
                         parameter.end_byte));
    }
    if (!wanted.returns.empty() && !found.returns.empty()
        && normalise_type(wanted.returns) != normalise_type(found.returns)) {
        out.findings.push_back(
            file_finding(file,
                         k_types,
                         core::Severity::medium,
                         fmt::format("'{}' returns '{}' but the spec declares '{}'",
                                     display,
                                     core::normalise_whitespace(found.returns),
                                     core::normalise_whitespace(wanted.returns)),
                         found.returns_start,
                         found.returns_end));
    }
}

void ConformanceCheck::check_class(const CheckedFile& file,
                                   const spec::Class& wanted,
                                   const Declarations& declarations,
                                   FileFindings& out) const
{
    const auto found = std::find_if(declarations.classes.begin(),
                                    declarations.classes.end(),
                                    [&](const auto& type) { return type.name == wanted.name; });
    if (found == declarations.classes.end()) {
        out.findings.push_back(
            file_finding(file,
                         k_missing_class,
                         core::Severity::high,
                         fmt::format("class '{}' is not defined here; the spec declares it in '{}'",
                                     wanted.name,
                                     wanted.file),
                         0,
                         0));
        return;
    }
    for (const auto& method : wanted.methods) {
        const auto match =
            std::find_if(found->methods.begin(), found->methods.end(), [&](const auto& candidate) {
                return candidate.name == method.name;
            });
        const std::string display = wanted.name + "." + method.name;
        if (match == found->methods.end()) {
            out.findings.push_back(
                file_finding(file,
                             k_missing_method,
                             core::Severity::high,
                             fmt::format("class '{}' has no method '{}', which the spec declares",
                                         wanted.name,
                                         method.name),
                             found->start_byte,
                             std::min(found->end_byte, found->start_byte + 1)));
            continue;
        }
        check_function(file, method, *match, display, /*method=*/true, out);
    }
}

void ConformanceCheck::check_operation_ids(const std::string& spec_path,
                                           const Declarations& declarations) const
{
    for (std::size_t i = 0; i < m_spec.endpoints.size(); ++i) {
        const spec::Endpoint& endpoint = m_spec.endpoints[i];
        if (endpoint.operation_id.empty()
            || (!endpoint.file.empty() && endpoint.file != spec_path)) {
            continue;
        }
        if (std::find(declarations.handler_names.begin(),
                      declarations.handler_names.end(),
                      endpoint.operation_id)
            != declarations.handler_names.end()) {
            m_endpoint_found[i].store(true, std::memory_order_relaxed);
        }
    }
}

std::string ConformanceCheck::spec_path_of(const std::string& report_path) const
{
    return report_path.starts_with(m_base.base_prefix)
               ? report_path.substr(m_base.base_prefix.size())
               : report_path;
}

void ConformanceCheck::keep_routes(const std::string& spec_path,
                                   source::Language language,
                                   Declarations& declarations) const
{
    if (declarations.routes.empty() && declarations.mounts.empty() && declarations.routers.empty()
        && declarations.exports.empty()) {
        return;
    }
    RouteFile routes{spec_path,
                     language,
                     std::move(declarations.routes),
                     std::move(declarations.routers),
                     std::move(declarations.mounts),
                     std::move(declarations.imports),
                     std::move(declarations.exports)};
    const std::lock_guard lock(m_routes_mutex);
    m_route_files.push_back(std::move(routes));
}

// Marks each endpoint a route serves; methods_seen receives, per endpoint, the methods
// of the routes for its path (for the message when none has its method).
void ConformanceCheck::match_routes(std::vector<std::string>& methods_seen) const
{
    std::sort(m_route_files.begin(), m_route_files.end(), [](const auto& a, const auto& b) {
        return a.path < b.path;
    });
    const RoutePrefixes prefixes(m_route_files);
    methods_seen.assign(m_spec.endpoints.size(), {});
    for (std::size_t f = 0; f < m_route_files.size(); ++f) {
        const RouteFile& file = m_route_files[f];
        for (const DeclaredRoute& route : file.routes) {
            const std::vector<std::string> paths = prefixes.full_paths(f, route);
            for (std::size_t i = 0; i < m_spec.endpoints.size(); ++i) {
                const spec::Endpoint& endpoint = m_spec.endpoints[i];
                if (m_endpoint_found[i].load()
                    || (!endpoint.file.empty() && endpoint.file != file.path)) {
                    continue;
                }
                const std::string wanted = normalise_route(endpoint.path);
                const bool path = std::any_of(paths.begin(), paths.end(), [&](const auto& full) {
                    return path_matches(full, wanted, file.language);
                });
                if (path && method_matches(route.method, endpoint.method)) {
                    m_endpoint_found[i].store(true);
                } else if (path && methods_seen[i].find(route.method) == std::string::npos) {
                    methods_seen[i] += methods_seen[i].empty() ? route.method : ", " + route.method;
                }
            }
        }
    }
}

void ConformanceCheck::check_file(const CheckedFile& file, FileFindings& out) const
{
    const auto it = m_by_report_path.find(file.path);
    const SpecFile* named = it == m_by_report_path.end() ? nullptr : &m_files[it->second];
    // Declarations in a language without a reader are unverified: finish reports them.
    if (named != nullptr && (!named->declares || declarations_supported(file.language))) {
        m_file_seen[it->second].store(true, std::memory_order_relaxed);
    }
    // Every file is read for routes: one that names no endpoint may mount a router.
    const bool routes = !m_spec.endpoints.empty();
    if ((named == nullptr || !named->declares) && !routes) {
        return;
    }
    if (!declarations_supported(file.language)) {
        return;
    }
    Declarations declarations = read_declarations(file.tree);
    if (named != nullptr) {
        for (const spec::Function* wanted : named->functions) {
            const auto found =
                std::find_if(declarations.functions.begin(),
                             declarations.functions.end(),
                             [&](const auto& function) { return function.name == wanted->name; });
            if (found == declarations.functions.end()) {
                out.findings.push_back(file_finding(
                    file,
                    k_missing_function,
                    core::Severity::high,
                    fmt::format("function '{}' is not defined here; the spec declares it in '{}'",
                                wanted->name,
                                wanted->file),
                    0,
                    0));
                continue;
            }
            check_function(file, *wanted, *found, wanted->name, /*method=*/false, out);
        }
        for (const spec::Class* wanted : named->classes) {
            check_class(file, *wanted, declarations, out);
        }
    }
    if (routes) {
        const std::string spec_path = named != nullptr ? named->path : spec_path_of(file.path);
        check_operation_ids(spec_path, declarations);
        keep_routes(spec_path, file.language, declarations);
    }
}

core::Finding
ConformanceCheck::spec_finding(std::string rule_id, std::string message, spec::Origin at) const
{
    core::Finding finding;
    finding.rule_id = std::move(rule_id);
    finding.severity = core::Severity::high;
    finding.message = std::move(message);
    finding.location = {m_report_path, at.line, at.column, at.line, at.column};
    finding.snippet = m_lines.snippet(at.line, at.line);
    finding.tags = {"conformance", "spec"};
    return finding;
}

// The files the run leaves out (--diff, --shard) may serve an endpoint, or mount the
// router a route of the run is registered on: their routes count too.
void ConformanceCheck::search_unselected_files()
{
    for (const auto& file : m_selection.unselected) {
        auto read = declarations_of(file);
        if (!read) {
            continue;
        }
        const std::string spec_path = spec_path_of(file.path);
        check_operation_ids(spec_path, read->declarations);
        keep_routes(spec_path, read->language, read->declarations);
    }
}

std::set<std::string>
ConformanceCheck::add_file_findings(std::vector<core::Finding>& findings) const
{
    std::set<std::string> not_judged;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        if (m_file_seen[i].load()) {
            continue;
        }
        const SpecFile& file = m_files[i];
        const std::string shown = m_base.base_prefix + file.path;
        if (m_unselected.contains(shown) || !judged_here(shown)) {
            not_judged.insert(file.path); // another shard, or the base, judges it
            continue;
        }
        std::error_code ec;
        if (!fs::exists(m_base.base / file.path, ec)) {
            not_judged.insert(file.path);
            findings.push_back(spec_finding(
                k_missing_file,
                fmt::format("'{}' is missing: the spec names it, but there is no such file", shown),
                file.origin));
        } else if (file.declares) {
            findings.push_back(spec_finding(
                k_missing_file,
                fmt::format("'{}' was not checked (left out of the walk, or in a language whose "
                            "declarations are not read), so the spec's declarations in it are "
                            "unverified",
                            shown),
                file.origin));
        }
    }
    return not_judged;
}

void ConformanceCheck::add_endpoint_findings(const std::set<std::string>& not_judged,
                                             std::vector<core::Finding>& findings)
{
    const bool any_file_judged_here = judged_here(m_report_path);
    const bool unfound = std::any_of(m_endpoint_found.get(),
                                     m_endpoint_found.get() + m_spec.endpoints.size(),
                                     [](const std::atomic<bool>& found) { return !found.load(); });
    if (unfound && !m_selection.unselected.empty()) {
        search_unselected_files();
    }
    std::vector<std::string> methods_seen;
    match_routes(methods_seen);
    for (std::size_t i = 0; i < m_spec.endpoints.size(); ++i) {
        const spec::Endpoint& endpoint = m_spec.endpoints[i];
        if (m_endpoint_found[i].load() || not_judged.contains(endpoint.file)) {
            continue;
        }
        if (endpoint.file.empty() ? !any_file_judged_here
                                  : !judged_here(m_base.base_prefix + endpoint.file)) {
            continue;
        }
        findings.push_back(spec_finding(
            k_missing_endpoint, endpoint_message(endpoint, methods_seen[i]), endpoint.origin));
    }
}

std::vector<core::Finding> ConformanceCheck::finish()
{
    std::vector<core::Finding> findings;
    // A missing file is the finding for its endpoints; one another shard or the base
    // judges has its endpoints judged there too.
    const std::set<std::string> not_judged = add_file_findings(findings);
    add_endpoint_findings(not_judged, findings);
    core::compute_fingerprints(findings);
    return findings;
}

// "no handler for 'GET /users/{id}': no function 'getUser' and the routes for the path
// serve only POST, PUT in 'gen/app.py'"
std::string ConformanceCheck::endpoint_message(const spec::Endpoint& endpoint,
                                               const std::string& methods_seen) const
{
    std::string message = fmt::format("no handler for '{} {}': ", endpoint.method, endpoint.path);
    if (!endpoint.operation_id.empty()) {
        message += fmt::format("no function '{}' and ", endpoint.operation_id);
    }
    message += methods_seen.empty()
                   ? std::string("no route for the path")
                   : fmt::format("the routes for the path serve only {}", methods_seen);
    if (!endpoint.file.empty()) {
        message += fmt::format(" in '{}'", m_base.base_prefix + endpoint.file);
    }
    return message;
}

fs::path canonical_or_lexical(const fs::path& path)
{
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? fs::absolute(path).lexically_normal() : canonical;
}

} // namespace

SpecBase spec_base(const source::WalkOptions& walk, const source::Workspace& workspace)
{
    const fs::path root = canonical_or_lexical(workspace.root);
    std::error_code ec;
    if (walk.paths.size() != 1 || !fs::is_directory(walk.paths.front(), ec)) {
        return {"", root};
    }
    const fs::path base = canonical_or_lexical(walk.paths.front());
    const fs::path relative = base.lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") {
        std::string prefix = fs::absolute(walk.paths.front()).lexically_normal().string();
        while (prefix.size() > 1 && prefix.back() == '/') {
            prefix.pop_back();
        }
        return {prefix + "/", base};
    }
    if (relative == ".") {
        return {"", base};
    }
    return {relative.generic_string() + "/", base};
}

std::unique_ptr<Check> make_conformance_check(spec::Spec spec,
                                              std::string spec_report_path,
                                              std::string spec_text,
                                              SpecBase base,
                                              SpecSelection selection)
{
    return std::make_unique<ConformanceCheck>(std::move(spec),
                                              std::move(spec_report_path),
                                              std::move(spec_text),
                                              std::move(base),
                                              std::move(selection));
}

namespace {

struct LoadedSpec
{
    spec::Spec spec;
    std::string text;
    std::string shown; ///< as reports name the spec file
};

core::Result<LoadedSpec> load_named_spec(const CheckSetup& setup)
{
    if (!setup.options.spec) {
        return core::Error(core::ErrorCode::usage,
                           "the conformance check needs a spec: name one with --spec FILE");
    }
    const fs::path& path = *setup.options.spec;
    std::string text;
    if (setup.spec_text) {
        text = *setup.spec_text;
    } else {
        auto read = source::read_file(path);
        if (!read) {
            return core::Error(core::ErrorCode::usage, "--spec: " + read.error().message());
        }
        text = std::move(*read);
    }
    spec::LoadOptions load;
    if (setup.options.walk.forced_language) {
        load.default_language =
            std::string(source::language_name(*setup.options.walk.forced_language));
    }
    auto loaded = spec::load_spec(path.string(), text, load);
    if (!loaded) {
        return loaded.error();
    }
    // Findings at the spec name it as reports name other files: relative to the root.
    const fs::path root = canonical_or_lexical(setup.workspace.root);
    const fs::path relative = canonical_or_lexical(path).lexically_relative(root);
    std::string shown = relative.empty() || *relative.begin() == ".."
                            ? fs::absolute(path).lexically_normal().string()
                            : relative.generic_string();
    return LoadedSpec{std::move(*loaded), std::move(text), std::move(shown)};
}

} // namespace

core::Result<std::unique_ptr<Check>> make_conformance_check(const CheckSetup& setup)
{
    auto loaded = load_named_spec(setup);
    if (!loaded) {
        return loaded.error();
    }
    return make_conformance_check(
        std::move(loaded->spec),
        std::move(loaded->shown),
        std::move(loaded->text),
        spec_base(setup.options.walk, setup.workspace),
        SpecSelection{setup.workspace.unselected, setup.options.walk.shard});
}

core::Result<SpecFiles> spec_files(const CheckSetup& setup)
{
    auto loaded = load_named_spec(setup);
    if (!loaded) {
        return loaded.error();
    }
    const SpecBase base = spec_base(setup.options.walk, setup.workspace);
    std::set<std::string> files;
    for (const auto& output : loaded->spec.outputs) {
        files.insert(base.base_prefix + output.path);
    }
    for (const auto& function : loaded->spec.functions) {
        files.insert(base.base_prefix + function.file);
    }
    for (const auto& type : loaded->spec.classes) {
        files.insert(base.base_prefix + type.file);
    }
    for (const auto& endpoint : loaded->spec.endpoints) {
        if (!endpoint.file.empty()) {
            files.insert(base.base_prefix + endpoint.file);
        }
    }
    return SpecFiles{std::move(loaded->shown), {files.begin(), files.end()}};
}

} // namespace aiops::validate
