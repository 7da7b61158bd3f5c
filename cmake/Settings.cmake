# One interface target carries the language standard, warnings and sanitizers for the
# project's own code; third-party C sources (the grammars) do not link it.
add_library(aiops_settings INTERFACE)
target_compile_features(aiops_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(aiops_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict on std::string concatenation inside libstdc++ that cannot
# overlap (GCC bug 105329); the warning is off until the compiler is fixed.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(aiops_settings INTERFACE -Wno-restrict)
endif()
if(AIOPS_WARNINGS_AS_ERRORS)
  target_compile_options(aiops_settings INTERFACE -Werror)
endif()
if(AIOPS_SANITIZE)
  list(JOIN AIOPS_SANITIZE "," aiops_sanitizers)
  target_compile_options(aiops_settings INTERFACE
    -fsanitize=${aiops_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(aiops_settings INTERFACE -fsanitize=${aiops_sanitizers})
endif()
