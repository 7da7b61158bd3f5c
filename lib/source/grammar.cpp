#include "source/grammar.hpp"

extern "C" {
const TSLanguage* tree_sitter_python(void);
const TSLanguage* tree_sitter_javascript(void);
const TSLanguage* tree_sitter_typescript(void);
const TSLanguage* tree_sitter_tsx(void);
const TSLanguage* tree_sitter_go(void);
const TSLanguage* tree_sitter_java(void);
const TSLanguage* tree_sitter_rust(void);
const TSLanguage* tree_sitter_bash(void);
const TSLanguage* tree_sitter_c(void);
const TSLanguage* tree_sitter_cpp(void);
const TSLanguage* tree_sitter_ruby(void);
const TSLanguage* tree_sitter_php(void);
const TSLanguage* tree_sitter_c_sharp(void);
const TSLanguage* tree_sitter_json(void);
const TSLanguage* tree_sitter_yaml(void);
}

namespace aiops::source {

const TSLanguage* grammar(Language language)
{
    switch (language) {
    case Language::python:
        return tree_sitter_python();
    case Language::javascript:
        return tree_sitter_javascript();
    case Language::typescript:
        return tree_sitter_typescript();
    case Language::tsx:
        return tree_sitter_tsx();
    case Language::go:
        return tree_sitter_go();
    case Language::java:
        return tree_sitter_java();
    case Language::rust:
        return tree_sitter_rust();
    case Language::bash:
        return tree_sitter_bash();
    case Language::c:
        return tree_sitter_c();
    case Language::cpp:
        return tree_sitter_cpp();
    case Language::ruby:
        return tree_sitter_ruby();
    case Language::php:
        return tree_sitter_php();
    case Language::c_sharp:
        return tree_sitter_c_sharp();
    case Language::json:
        return tree_sitter_json();
    case Language::yaml:
        return tree_sitter_yaml();
    }
    return tree_sitter_python();
}

} // namespace aiops::source
