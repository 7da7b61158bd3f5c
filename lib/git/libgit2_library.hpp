#pragma once

#include "core/error.hpp"

#include <git2.h>

#include <string>

namespace aiops::git {

// Every libgit2 function lib/git calls, once each: X(name) becomes a member of
// Libgit2Library and its look-up when the library is loaded. lib/git does not link
// libgit2, so a call that is not made through this list fails to link.
// clang-format off
#define AIOPS_LIBGIT2_FUNCTIONS(X) \
    X(git_blob_create_from_disk) \
    X(git_blob_free) \
    X(git_blob_lookup) \
    X(git_blob_rawcontent) \
    X(git_blob_rawsize) \
    X(git_buf_dispose) \
    X(git_commit_author) \
    X(git_commit_create) \
    X(git_commit_free) \
    X(git_commit_id) \
    X(git_commit_lookup) \
    X(git_commit_message_encoding) \
    X(git_commit_parent) \
    X(git_commit_parent_id) \
    X(git_commit_parentcount) \
    X(git_commit_summary) \
    X(git_commit_time) \
    X(git_commit_tree) \
    X(git_config_free) \
    X(git_config_get_string) \
    X(git_diff_find_similar) \
    X(git_diff_foreach) \
    X(git_diff_free) \
    X(git_diff_get_delta) \
    X(git_diff_num_deltas) \
    X(git_diff_tree_to_index) \
    X(git_diff_tree_to_tree) \
    X(git_diff_tree_to_workdir_with_index) \
    X(git_error_last) \
    X(git_ignore_path_is_ignored) \
    X(git_index_add) \
    X(git_index_add_bypath) \
    X(git_index_entry_stage) \
    X(git_index_entrycount) \
    X(git_index_free) \
    X(git_index_get_byindex) \
    X(git_index_new) \
    X(git_index_read_tree) \
    X(git_index_write) \
    X(git_index_write_tree_to) \
    X(git_libgit2_init) \
    X(git_merge_base) \
    X(git_object_free) \
    X(git_object_id) \
    X(git_object_peel) \
    X(git_odb_exists) \
    X(git_odb_free) \
    X(git_odb_read_header) \
    X(git_oid_cmp) \
    X(git_oid_equal) \
    X(git_oid_fromstr) \
    X(git_oid_fromstrn) \
    X(git_oid_tostr) \
    X(git_reference_name_is_valid) \
    X(git_reference_name_to_id) \
    X(git_remote_free) \
    X(git_remote_list) \
    X(git_remote_lookup) \
    X(git_repository_commondir) \
    X(git_repository_config_snapshot) \
    X(git_repository_discover) \
    X(git_repository_free) \
    X(git_repository_head_detached) \
    X(git_repository_head_unborn) \
    X(git_repository_index) \
    X(git_repository_is_bare) \
    X(git_repository_is_shallow) \
    X(git_repository_odb) \
    X(git_repository_open) \
    X(git_repository_open_ext) \
    X(git_repository_path) \
    X(git_repository_workdir) \
    X(git_revparse) \
    X(git_revparse_single) \
    X(git_signature_free) \
    X(git_signature_now) \
    X(git_status_byindex) \
    X(git_status_list_entrycount) \
    X(git_status_list_free) \
    X(git_status_list_new) \
    X(git_strarray_dispose) \
    X(git_tree_entry_byindex) \
    X(git_tree_entry_bypath) \
    X(git_tree_entry_filemode) \
    X(git_tree_entry_free) \
    X(git_tree_entry_id) \
    X(git_tree_entry_name) \
    X(git_tree_entry_type) \
    X(git_tree_entrycount) \
    X(git_tree_free) \
    X(git_tree_id) \
    X(git_tree_lookup)

// clang-format on

/// libgit2's entry points, looked up in the shared library the first time a command
/// looks for a repository. A command that never does (--version, a scan with --no-git
/// and --root) does not load libgit2 and the TLS, SSH, Kerberos and regex libraries it
/// depends on, which cost every process that loads them about 3 MiB of resident memory
/// and their start-up relocations.
struct Libgit2Library
{
#define AIOPS_LIBGIT2_MEMBER(name) decltype(&::name) name = nullptr;
    AIOPS_LIBGIT2_FUNCTIONS(AIOPS_LIBGIT2_MEMBER)
#undef AIOPS_LIBGIT2_MEMBER
};

/// The soname of the libgit2 the binary was built against, such as "libgit2.so.1.5".
extern const char* const libgit2_library_file;

/// The Debian package that ships libgit2_library_file, such as "libgit2-1.5".
extern const char* const libgit2_package;

/// Loads libgit2 from `file` (a soname or a path) and looks up every entry point; throws
/// core::Error (internal) naming the file, what the loader said and the Debian package
/// to install when the library or one of its functions is missing. The library stays
/// loaded for the life of the process.
Libgit2Library load_libgit2(const std::string& file);

/// libgit2 loaded from libgit2_library_file and initialised (git_libgit2_init), once per
/// process; throws as load_libgit2 does, again at every call while loading fails.
const Libgit2Library& libgit2();

/// libgit2(), with a failure to load it returned rather than thrown: the functions that
/// open a repository return it, so that each command handles it as it handles any other
/// git failure. Once this has succeeded, libgit2() does not throw.
core::Result<const Libgit2Library*> loaded_libgit2();

} // namespace aiops::git
