# The tree-sitter runtime and grammars come from npm (package.json, package-lock.json,
# fetched with 'npm ci --ignore-scripts') and are compiled here as static C libraries.
set(AIOPS_NODE_MODULES "${PROJECT_SOURCE_DIR}/node_modules" CACHE PATH
    "Folder holding the npm packages of the tree-sitter sources")
set(aiops_ts_core "${AIOPS_NODE_MODULES}/tree-sitter/vendor/tree-sitter/lib")
if(NOT EXISTS "${aiops_ts_core}/src/lib.c")
  message(FATAL_ERROR "tree-sitter sources not found under '${AIOPS_NODE_MODULES}': "
                      "run 'npm ci --ignore-scripts' in the source folder (Debian package 'npm')")
endif()

add_library(aiops_ts_core STATIC "${aiops_ts_core}/src/lib.c")
target_include_directories(aiops_ts_core SYSTEM PUBLIC "${aiops_ts_core}/include"
                           PRIVATE "${aiops_ts_core}/src")
target_compile_definitions(aiops_ts_core PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(aiops_ts_core PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# The runtime is where parsing spends its time; -O3 trims its instructions a few percent.
target_compile_options(aiops_ts_core PRIVATE -O3 -w)

add_library(aiops_grammars INTERFACE)

# Grammar folders are named one by one: some packages carry nested older copies of
# other grammars, so globbing node_modules for parser.c would pick those up.
function(aiops_grammar name dir)
  set(src "${AIOPS_NODE_MODULES}/${dir}/src")
  if(NOT EXISTS "${src}/parser.c")
    message(FATAL_ERROR "grammar '${name}' not found at '${src}': run 'npm ci --ignore-scripts'")
  endif()
  set(files "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    list(APPEND files "${src}/scanner.c")
  endif()
  # The version the package declares, for 'aiops --version'. A grammar in a sub-folder
  # of its package (typescript/tsx, php) takes the package's.
  set(version "")
  set(package_dir "${AIOPS_NODE_MODULES}/${dir}")
  foreach(attempt RANGE 1)
    if(version STREQUAL "" AND EXISTS "${package_dir}/package.json")
      file(READ "${package_dir}/package.json" package_text)
      string(JSON version ERROR_VARIABLE no_version GET "${package_text}" version)
      if(no_version)
        set(version "")
      endif()
    endif()
    get_filename_component(package_dir "${package_dir}" DIRECTORY)
  endforeach()
  set_property(GLOBAL APPEND PROPERTY AIOPS_GRAMMAR_VERSIONS "${name} ${version}")
  add_library(aiops_ts_${name} STATIC ${files})
  target_include_directories(aiops_ts_${name} PRIVATE "${src}")
  set_target_properties(aiops_ts_${name} PROPERTIES C_STANDARD 11)
  target_compile_options(aiops_ts_${name} PRIVATE -O2 -w)
  target_link_libraries(aiops_grammars INTERFACE aiops_ts_${name})
endfunction()

aiops_grammar(python tree-sitter-python)
aiops_grammar(javascript tree-sitter-javascript)
aiops_grammar(typescript tree-sitter-typescript/typescript)
aiops_grammar(tsx tree-sitter-typescript/tsx)
aiops_grammar(go tree-sitter-go)
aiops_grammar(java tree-sitter-java)
aiops_grammar(rust tree-sitter-rust)
aiops_grammar(bash tree-sitter-bash)
aiops_grammar(c tree-sitter-c)
aiops_grammar(cpp tree-sitter-cpp)
aiops_grammar(ruby tree-sitter-ruby)
aiops_grammar(php tree-sitter-php/php)
aiops_grammar(c_sharp tree-sitter-c-sharp)
aiops_grammar(json tree-sitter-json)
aiops_grammar(yaml @tree-sitter-grammars/tree-sitter-yaml)
target_link_libraries(aiops_grammars INTERFACE aiops_ts_core)

file(READ "${AIOPS_NODE_MODULES}/tree-sitter/package.json" package_text)
string(JSON AIOPS_TREE_SITTER_VERSION GET "${package_text}" version)
get_property(AIOPS_GRAMMAR_VERSIONS GLOBAL PROPERTY AIOPS_GRAMMAR_VERSIONS)
string(REPLACE ";" ", " AIOPS_GRAMMAR_VERSIONS "${AIOPS_GRAMMAR_VERSIONS}")
