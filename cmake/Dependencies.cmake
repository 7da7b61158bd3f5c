# Finds every system dependency and stops the configure step with the name of the
# Debian package that provides a missing one.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config'")
endif()

macro(aiops_require_config name debian_package)
  find_package(${name} CONFIG QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "${name} not found: install the Debian package '${debian_package}'")
  endif()
endmacro()

macro(aiops_require_module name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "${name} not found: install the Debian package '${debian_package}'")
  endif()
endmacro()

macro(aiops_require_pkg prefix module debian_package)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "${module} not found: install the Debian package '${debian_package}'")
  endif()
endmacro()

aiops_require_config(CLI11 libcli11-dev)
aiops_require_config(nlohmann_json nlohmann-json3-dev)
aiops_require_config(yaml-cpp libyaml-cpp-dev)
aiops_require_config(fmt libfmt-dev)
aiops_require_config(doctest doctest-dev)
aiops_require_config(pugixml libpugixml-dev)
aiops_require_config(tomlplusplus libtomlplusplus-dev)
aiops_require_module(CURL libcurl4-openssl-dev)
aiops_require_module(OpenSSL libssl-dev 3)
aiops_require_module(Threads libc6-dev)
aiops_require_pkg(LIBGIT2 "libgit2>=1.5" libgit2-dev)
# lib/git loads libgit2 when a command first looks for a repository rather than linking
# it, so it needs the soname of the library whose headers it is built with (read from the
# library pkg-config found) and the Debian package that ships it, named as the policy names
# shared library packages: libgit2.so.1.5 is in libgit2-1.5.
list(GET LIBGIT2_LINK_LIBRARIES 0 aiops_libgit2_linked)
execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${aiops_libgit2_linked}
                OUTPUT_VARIABLE aiops_libgit2_dynamic RESULT_VARIABLE aiops_libgit2_read ERROR_QUIET)
string(REGEX MATCH "SONAME +(lib[^\n]+)\\.so\\.([^\n ]+)" aiops_libgit2_soname "${aiops_libgit2_dynamic}")
if(NOT aiops_libgit2_read EQUAL 0 OR NOT aiops_libgit2_soname)
  message(FATAL_ERROR "cannot read the soname of '${aiops_libgit2_linked}' with '${CMAKE_OBJDUMP}': "
                      "install the Debian package 'binutils'")
endif()
set(aiops_libgit2_name "${CMAKE_MATCH_1}")
set(aiops_libgit2_abi "${CMAKE_MATCH_2}")
set(AIOPS_LIBGIT2_FILE "${aiops_libgit2_name}.so.${aiops_libgit2_abi}")
if(aiops_libgit2_name MATCHES "[0-9]$")
  set(AIOPS_LIBGIT2_PACKAGE "${aiops_libgit2_name}-${aiops_libgit2_abi}")
else()
  set(AIOPS_LIBGIT2_PACKAGE "${aiops_libgit2_name}${aiops_libgit2_abi}")
endif()
# RE2's pkg-config file reports version 0.0.0, so no version is asked for.
aiops_require_pkg(RE2 re2 libre2-dev)
aiops_require_pkg(HIREDIS hiredis libhiredis-dev)
# jemalloc takes the C library's place as the allocator of the binary, and of the
# benchmarks' parse-only baseline so that both pay alike for tree-sitter's many small
# allocations: glibc's allocator spends much of a scan consolidating freed chunks and
# keeps memory that a second thread's arena has freed. Sanitizer builds keep their own.
add_library(aiops_allocator INTERFACE)
if(NOT AIOPS_SANITIZE)
  aiops_require_pkg(JEMALLOC jemalloc libjemalloc-dev)
  # Nothing calls jemalloc by name, so --as-needed would drop it.
  target_link_libraries(aiops_allocator INTERFACE -Wl,--no-as-needed PkgConfig::JEMALLOC -Wl,--as-needed)
  target_sources(aiops_allocator INTERFACE ${PROJECT_SOURCE_DIR}/lib/core/allocator_settings.cpp)
endif()
if(AIOPS_BUILD_TESTS OR AIOPS_BUILD_BENCH)
  # Only the tests' and the benchmark's loopback mock servers use cpp-httplib.
  aiops_require_pkg(HTTPLIB cpp-httplib libcpp-httplib-dev)
endif()
if(AIOPS_BUILD_TESTS)
  # The model layer's tests start these servers themselves, and make their TLS test
  # certificates with openssl; they fail without them.
  foreach(aiops_server_entry "redis-server=redis-server" "prometheus-pushgateway=prometheus-pushgateway"
          "promtool=prometheus" "openssl=openssl")
    string(REPLACE "=" ";" aiops_server_pair ${aiops_server_entry})
    list(GET aiops_server_pair 0 aiops_server_program)
    list(GET aiops_server_pair 1 aiops_server_package)
    find_program(AIOPS_FOUND_${aiops_server_program} ${aiops_server_program} PATHS /usr/sbin /usr/bin)
    if(NOT AIOPS_FOUND_${aiops_server_program})
      message(WARNING "${aiops_server_program} not found: the llm and metrics tests will fail; "
                      "install the Debian package '${aiops_server_package}'")
    endif()
  endforeach()
endif()

# toml++ is used header-only, so the binary does not need its shared library at run
# time; the package's own target would link it.
get_target_property(aiops_toml_include tomlplusplus::tomlplusplus INTERFACE_INCLUDE_DIRECTORIES)
add_library(aiops_toml INTERFACE)
target_include_directories(aiops_toml SYSTEM INTERFACE ${aiops_toml_include})
target_compile_definitions(aiops_toml INTERFACE TOML_HEADER_ONLY=1)
# kainjow-mustache is one header with neither a CMake nor a pkg-config file.
find_path(AIOPS_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp)
if(NOT AIOPS_MUSTACHE_INCLUDE_DIR)
  message(FATAL_ERROR "kainjow/mustache.hpp not found: install the Debian package "
                      "'libkainjow-mustache-dev'")
endif()
add_library(aiops_kainjow_mustache INTERFACE)
target_include_directories(aiops_kainjow_mustache SYSTEM INTERFACE ${AIOPS_MUSTACHE_INCLUDE_DIR})

# yaml-cpp 0.7 exports a plain 'yaml-cpp' target; 0.8 adds the namespaced name.
if(NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()
