#pragma once

#include "source/language.hpp"

#include <tree_sitter/api.h>

namespace aiops::source {

/// The compiled-in tree-sitter grammar of a language (never null).
const TSLanguage* grammar(Language language);

} // namespace aiops::source
