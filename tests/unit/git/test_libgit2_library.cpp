#include "git/libgit2_library.hpp"

#include <doctest/doctest.h>

#include <string>

namespace git = aiops::git;

TEST_SUITE("git")
{
    TEST_CASE("git::load_libgit2")
    {
        SUBCASE("the library the binary was built for has every entry point")
        {
            const git::Libgit2Library library = git::load_libgit2(git::libgit2_library_file);
#define AIOPS_CHECK_ENTRY(name) CHECK_MESSAGE((library.name != nullptr), #name);
            AIOPS_LIBGIT2_FUNCTIONS(AIOPS_CHECK_ENTRY)
#undef AIOPS_CHECK_ENTRY
            const std::string id = "0123456789abcdef0123456789abcdef01234567";
            git_oid oid;
            REQUIRE(library.git_oid_fromstr(&oid, id.c_str()) == 0);
            char text[GIT_OID_HEXSZ + 1] = {};
            CHECK(std::string(library.git_oid_tostr(text, sizeof text, &oid)) == id);
        }
        SUBCASE("the package is the one Debian ships the soname in")
        {
            const std::string file = git::libgit2_library_file;
            REQUIRE(file.starts_with("libgit2.so.1."));
            CHECK(std::string(git::libgit2_package) == "libgit2-" + file.substr(11));
        }
        SUBCASE("a missing library names itself and the package to install")
        {
            try {
                (void)git::load_libgit2("libgit2-not-installed.so.1");
                FAIL("a missing library was loaded");
            } catch (const aiops::core::Error& error) {
                CHECK(error.code() == aiops::core::ErrorCode::internal);
                const std::string message = error.message();
                CHECK(message.find("'libgit2-not-installed.so.1'") != std::string::npos);
                CHECK(message.find("cannot open shared object file") != std::string::npos);
                CHECK(message.find("install the Debian package '"
                                   + std::string(git::libgit2_package) + "'")
                      != std::string::npos);
            }
        }
        SUBCASE("a library without libgit2's functions is refused by name")
        {
            try {
                (void)git::load_libgit2("libz.so.1");
                FAIL("a library without libgit2's functions was taken for libgit2");
            } catch (const aiops::core::Error& error) {
                CHECK(error.code() == aiops::core::ErrorCode::internal);
                CHECK(error.message()
                      == "git: the libgit2 loaded from 'libz.so.1' has no function "
                         "'git_blob_create_from_disk': install the Debian package '"
                             + std::string(git::libgit2_package) + "'");
            }
        }
    }

    TEST_CASE("git::libgit2")
    {
        const auto loaded = git::loaded_libgit2();
        REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message()));
        CHECK(*loaded == &git::libgit2());
        // Initialised, libgit2 keeps the last error of this thread.
        git_oid oid;
        CHECK(git::libgit2().git_oid_fromstr(&oid, "not an id") != 0);
        const git_error* error = git::libgit2().git_error_last();
        REQUIRE(error != nullptr);
        CHECK(std::string(error->message).find("unable to parse OID") != std::string::npos);
    }
}
