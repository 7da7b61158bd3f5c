#include "validate/declarations.hpp"

#include "validate/declaration_reader.hpp"

namespace aiops::validate {

namespace {

using namespace reading;

// Every function of the file, nested ones too, as an operationId may name any of them.
// The Python reader collects its own as it goes.
void collect_handler_names(const source::SyntaxTree& tree, TSNode root, Declarations& out)
{
    const auto add = [&](TSNode name) {
        if (!ts_node_is_null(name)) {
            out.handler_names.emplace_back(tree.node_text(name));
        }
    };
    for_each_descendant(root, [&](TSNode node) {
        if (is(node, "function_declaration") || is(node, "method_declaration")
            || is(node, "generator_function_declaration") || is(node, "method_definition")) {
            add(field(node, "name"));
        } else if (is(node, "variable_declarator")) {
            const TSNode value = field(node, "value");
            if (is(value, "arrow_function") || is(value, "function_expression")
                || is(value, "function")) {
                add(field(node, "name"));
            }
        } else if (is(node, "assignment_expression")) {
            // CommonJS: exports.f1 = (req, res) => ..., module.exports.f3 = function ...
            const TSNode target = field(node, "left");
            const TSNode value = field(node, "right");
            const std::string_view object = tree.node_text(field(target, "object"));
            if (is(target, "member_expression")
                && (object == "exports" || object == "module.exports")
                && (is(value, "arrow_function") || is(value, "function_expression")
                    || is(value, "function"))) {
                add(field(target, "property"));
            }
        }
    });
}

} // namespace

bool declarations_supported(source::Language language)
{
    switch (language) {
    case Language::python:
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
    case Language::go:
    case Language::java:
        return true;
    default:
        return false;
    }
}

Declarations read_declarations(const source::SyntaxTree& tree)
{
    Declarations out;
    switch (tree.language()) {
    case Language::python:
        read_python(tree, out);
        return out;
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
        read_script(tree, out);
        break;
    case Language::go:
        read_go(tree, out);
        break;
    case Language::java:
        read_java(tree, out);
        break;
    default:
        return out;
    }
    collect_handler_names(tree, tree.root(), out);
    return out;
}

std::string normalise_type(std::string_view type)
{
    std::string_view trimmed = core::trim(type);
    if (trimmed.size() >= 2 && (trimmed.front() == '\'' || trimmed.front() == '"')
        && trimmed.back() == trimmed.front()) {
        trimmed = trimmed.substr(1, trimmed.size() - 2);
    }
    std::string out;
    bool pending_space = false;
    for (const char c : trimmed) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty() && is_word(out.back()) && is_word(c)) {
            out += ' ';
        }
        pending_space = false;
        out += c;
    }
    return out;
}

std::string normalise_route(std::string_view path)
{
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        const char c = path[i];
        if (c == '{' || c == '<') {
            const char close = c == '{' ? '}' : '>';
            const std::size_t end = path.find(close, i);
            if (end == std::string_view::npos) {
                out += path.substr(i);
                break;
            }
            out += "{}";
            i = end + 1;
        } else if (c == ':' && (i == 0 || path[i - 1] == '/')) {
            // Express: ":id", ":id?", ":id(\\d+)".
            ++i;
            while (i < path.size() && (is_word(path[i]) || path[i] == '?')) {
                ++i;
            }
            if (i < path.size() && path[i] == '(') {
                const std::size_t end = path.find(')', i);
                i = end == std::string_view::npos ? path.size() : end + 1;
                if (i < path.size() && path[i] == '?') {
                    ++i;
                }
            }
            out += "{}";
        } else {
            out += c;
            ++i;
        }
    }
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    return out;
}

} // namespace aiops::validate