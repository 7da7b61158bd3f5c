# Writes a C++ file holding the text of every rules/**/*.yaml file, so the built-in
# rules travel inside the binary. Run with -DSOURCE_DIR=... -DOUTPUT=...
file(GLOB_RECURSE rule_files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/rules/*.yaml)
list(SORT rule_files)
set(body "")
foreach(rule_file ${rule_files})
  file(READ ${SOURCE_DIR}/${rule_file} text)
  string(FIND "${text}" ")aiops_rule\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${rule_file} contains the text ')aiops_rule\"', which ends the embedded string")
  endif()
  string(APPEND body "    {\"${rule_file}\", R\"aiops_rule(${text})aiops_rule\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from rules/ by cmake/EmbedRules.cmake; do not edit.\n"
"#include \"rules/rule.hpp\"\n\n"
"namespace aiops::rules {\n\n"
"const std::vector<RuleSource>& builtin_rule_sources()\n{\n"
"    static const std::vector<RuleSource> sources{\n${body}    };\n"
"    return sources;\n}\n\n"
"} // namespace aiops::rules\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
