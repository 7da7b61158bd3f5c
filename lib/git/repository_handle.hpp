#pragma once

// Private to lib/git: the libgit2 objects behind a Repository, shared by the files
// that implement its methods.

#include "git/libgit2_library.hpp"
#include "git/repository.hpp"

#include <git2.h>

#include <string>

namespace aiops::git {

struct Repository::Handle
{
    git_repository* repo = nullptr;

    ~Handle() { libgit2().git_repository_free(repo); }
};

/// The message of libgit2's last error on this thread.
std::string last_error_text();

} // namespace aiops::git
