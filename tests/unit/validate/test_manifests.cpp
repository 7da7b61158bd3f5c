#include "printers.hpp"
#include "test_support.hpp"
#include "validate/manifests.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace core = aiops::core;
namespace test = aiops::test;
namespace validate = aiops::validate;

using Strings = std::vector<std::string>;

namespace {

template <typename T> std::string error_of(const core::Result<T>& result)
{
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == core::ErrorCode::input);
    return result.error().message();
}

} // namespace

TEST_SUITE("validate")
{
    TEST_CASE("validate::normalise_python_name")
    {
        CHECK(validate::normalise_python_name("PyYAML") == "pyyaml");
        CHECK(validate::normalise_python_name("zope.interface") == "zope-interface");
        CHECK(validate::normalise_python_name("Foo__Bar-.baz") == "foo-bar-baz");
        CHECK(validate::normalise_python_name("fastapi_utils_pro") == "fastapi-utils-pro");
    }

    TEST_CASE("validate::requirement_name")
    {
        std::size_t at = 99;
        SUBCASE("the name before extras, versions and markers")
        {
            CHECK(validate::requirement_name("requests", at).value() == "requests");
            CHECK(validate::requirement_name("requests[socks]>=2.31", at).value() == "requests");
            CHECK(validate::requirement_name("Django >= 4.2, < 5", at).value() == "Django");
            CHECK(validate::requirement_name("tomli; python_version < '3.11'", at).value()
                  == "tomli");
            CHECK(validate::requirement_name("pkg @ https://example.com/pkg.whl", at).value()
                  == "pkg");
        }

        SUBCASE("a version without an operator, and names that cannot be")
        {
            const auto spaced = validate::requirement_name("requests 2.0", at);
            REQUIRE_FALSE(spaced.ok());
            CHECK(at == 9);
            CHECK(spaced.error().message().find("after 'requests'") != std::string::npos);
            CHECK_FALSE(validate::requirement_name("-pkg", at).ok());
            CHECK(at == 0);
            CHECK_FALSE(validate::requirement_name(">=1.0", at).ok());
            CHECK_FALSE(validate::requirement_name("pkg-", at).ok());
        }
    }

    TEST_CASE("validate::lowest_python")
    {
        using V = validate::PythonVersion;
        CHECK(validate::lowest_python(">=3.9") == V{3, 9});
        CHECK(validate::lowest_python(">=3.10,<4") == V{3, 10});
        CHECK(validate::lowest_python("~=3.11") == V{3, 11});
        CHECK(validate::lowest_python("^3.12") == V{3, 12});
        CHECK(validate::lowest_python(">3.8") == V{3, 8}); // 3.8.1 is above 3.8
        CHECK(validate::lowest_python("3.13.*") == V{3, 13});
        CHECK(validate::lowest_python("<3.12") == V{3, 0});
        CHECK(validate::lowest_python("<3.10") == V{3, 0});
        CHECK(validate::lowest_python("!=3.8.*,>=3.8") == V{3, 9});
        CHECK(validate::lowest_python(">=3.8,!=3.8.*,!=3.9.*") == V{3, 10});
        CHECK(validate::lowest_python("^3.10 || ^3.8") == V{3, 8});
        CHECK(validate::lowest_python(">=3.9 || >=3.8") == V{3, 8});
        CHECK(validate::lowest_python(">=3.8 <4.0") == V{3, 8});
        CHECK(validate::lowest_python("~3.11") == V{3, 11});
        CHECK(validate::lowest_python("==3.11.*") == V{3, 11});
        CHECK_FALSE(validate::lowest_python("*").has_value());
        CHECK_FALSE(validate::lowest_python(">=4").has_value());
        CHECK_FALSE(validate::lowest_python("").has_value());
    }

    TEST_CASE("validate::parse_requirements")
    {
        SUBCASE("names, comments, continuations, options and URLs")
        {
            const auto manifest = validate::parse_requirements(
                "# pinned for production\n"
                "requests==2.31.0  # http client\n"
                "PyYAML>=6 \\\n"
                "    --hash=sha256:abc\n"
                "\n"
                "--index-url https://pypi.example/simple\n"
                "-c constraints.txt\n"
                "-e git+https://example.com/repo.git#egg=local_tool\n"
                "https://example.com/wheels/fast_json-1.0-py3-none-any.whl\n"
                "uvicorn[standard]; python_version >= '3.8'\n",
                "requirements.txt",
                ".");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages
                  == Strings{"requests", "PyYAML", "local_tool", "fast_json", "uvicorn"});
        }

        SUBCASE("-r includes, relative to the including file")
        {
            test::write_file("reqs/base.txt", "flask\n-r more/extra.txt\n");
            test::write_file("reqs/more/extra.txt", "gunicorn\n");
            test::write_file("requirements-dev.txt", "-r reqs/base.txt\npytest\n");
            const auto manifest =
                validate::read_requirements("requirements-dev.txt", "requirements-dev.txt");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"flask", "gunicorn", "pytest"});
        }

        SUBCASE("a malformed line is an error at its line and column")
        {
            CHECK(error_of(validate::parse_requirements("flask\n  requests 2.0\n", "r.txt", "."))
                  == "r.txt:2:12: expected a version specifier, extras or a marker after "
                     "'requests', found '2.0'");
            CHECK(error_of(validate::parse_requirements("ok\n>=1.0\n", "r.txt", "."))
                      .starts_with("r.txt:2:1: expected a package name"));
        }

        SUBCASE("a missing include is an error at the -r line of the including file")
        {
            CHECK(error_of(validate::parse_requirements("flask\n-r nowhere.txt\n", "r.txt", "."))
                  == "r.txt:2:4: included file 'nowhere.txt' does not exist");
            test::write_file("reqs/dev.txt", "pytest\n  --requirement=../base.txt\n");
            CHECK(error_of(validate::read_requirements("reqs/dev.txt", "reqs/dev.txt"))
                  == "reqs/dev.txt:2:17: included file 'base.txt' does not exist");
            CHECK(error_of(validate::parse_requirements("-r\n", "r.txt", "."))
                  == "r.txt:1:1: '-r' needs the name of a requirements file");
            test::write_file("folder/keep.txt", "");
            CHECK(error_of(validate::parse_requirements("-r folder\n", "r.txt", "."))
                  == "r.txt:1:4: included file 'folder' is a folder");
        }

        SUBCASE("an option pip does not know is an error at the option")
        {
            CHECK(error_of(validate::parse_requirements(
                      "flask\n--index_url https://pypi.example/simple\n", "r.txt", "."))
                  == "r.txt:2:1: unknown option '--index_url' in a requirements file; did you "
                     "mean '--index-url'?");
            CHECK(error_of(validate::parse_requirements(
                      "flask==3.0 --hash=sha256:FAKE0 --hsah=sha256:FAKE1\n", "r.txt", "."))
                  == "r.txt:1:32: unknown option '--hsah' in a requirements file; did you mean "
                     "'--hash'?");
            CHECK(
                error_of(validate::parse_requirements("flask --index-url x\n", "r.txt", "."))
                    .starts_with("r.txt:1:7: unknown option '--index-url' in a requirements file"));
            const auto manifest = validate::parse_requirements(
                "-i https://pypi.example/simple\n--no-index\n-f ./wheels\n--pre\n"
                "--require-hashes\n--trusted-host pypi.example\n--prefer-binary\n"
                "--no-binary :all:\n--use-feature=truststore\n"
                "flask==3.0 --hash=sha256:FAKE0 \\\n    --hash sha256:FAKE1\n"
                "pkg --config-settings=editable_mode=compat --global-option=--fake\n",
                "r.txt",
                ".");
            if (!manifest) {
                FAIL(manifest.error().message());
            }
            CHECK(manifest->packages == Strings{"flask", "pkg"});

            test::write_file("abbreviated/base.txt", "attrs\n");
            const auto abbreviated = validate::parse_requirements(
                "--extra-index https://mirror.example/simple\n--requirem base.txt\n"
                "flask --ha=sha256:FAKE0\n",
                "r.txt",
                "abbreviated");
            if (!abbreviated) {
                FAIL(abbreviated.error().message());
            }
            CHECK(abbreviated->packages == Strings{"attrs", "flask"});
            CHECK(error_of(validate::parse_requirements("--no https://x.example\n", "r.txt", "."))
                      .starts_with("r.txt:1:1: unknown option '--no' in a requirements file"));
        }

        SUBCASE("a byte order mark before the first line is not part of it")
        {
            const auto manifest = validate::parse_requirements("\xEF\xBB\xBF"
                                                               "flask\nrequests\n",
                                                               "r.txt",
                                                               ".");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"flask", "requests"});
            CHECK(error_of(validate::parse_requirements("\xEF\xBB\xBF"
                                                        "flask[\n",
                                                        "r.txt",
                                                        "."))
                  == "r.txt:1:6: extras opened with '[' are not closed with ']'");
        }

        SUBCASE("an include through an unset environment variable says so")
        {
            CHECK(error_of(validate::parse_requirements(
                      "-r ${AIOPS_TEST_UNSET_FAKE}/base.txt\n", "r.txt", "."))
                  == "r.txt:1:4: included file '${AIOPS_TEST_UNSET_FAKE}/base.txt' does not "
                     "exist (an environment variable it names is not set)");
        }

        SUBCASE("an include cycle is an error at the -r line that closes it")
        {
            test::write_file("a.txt", "flask\n-r b.txt\n");
            test::write_file("b.txt", "# back again\n-r ./a.txt\n");
            CHECK(error_of(validate::read_requirements("a.txt", "a.txt"))
                  == "b.txt:2:4: the includes form a cycle: a.txt -> b.txt -> a.txt");
            test::write_file("self.txt", "-r self.txt\n");
            CHECK(error_of(validate::read_requirements("self.txt", "self.txt"))
                  == "self.txt:1:4: the includes form a cycle: self.txt -> self.txt");
        }

        SUBCASE("a file included twice without a cycle is read twice")
        {
            test::write_file("common.txt", "attrs\n");
            test::write_file("x.txt", "-r common.txt\n");
            test::write_file("top.txt", "-r common.txt\n-r x.txt\n");
            const auto manifest = validate::read_requirements("top.txt", "top.txt");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"attrs", "attrs"});
        }

        SUBCASE("what pip accepts stays accepted")
        {
            const auto manifest = validate::parse_requirements(
                "-e .\n"
                "--index-url https://pypi.example/simple\n"
                "--extra-index-url=https://mirror.example/simple\n"
                "-c constraints.txt\n"
                "--only-binary :all:\n"
                "aiohttp[speedups,dev] >= 3.9, != 3.9.2 ; python_version < \"3.13\"\n"
                "importlib-metadata; python_version<'3.10' and platform_system != \"Windows\"\n"
                "pywin32 ; sys_platform == 'win32' or (os_name == 'nt' and extra == 'win')\n"
                "legacy; os.name == 'posix'\n"
                "numpy==1.26.*\n"
                "torch==2.2.0+cpu\n"
                "pre-release>=1.0rc1,<2.0.dev0\n"
                "epoch-pkg==1!2.0.post3\n"
                "compat~=1.4.2\n"
                "arbitrary===foobar-1\n"
                "Paren (>=1.0, <2)\n"
                "direct @ https://example.com/direct-1.0.tar.gz ; python_version >= '3.8'\n"
                "private @ git+https://${GIT_TOKEN_FAKE}@git.example/private.git\n"
                "templated==${PINNED_VERSION_FAKE}\n"
                "hashed==1.0 --hash=sha256:0000FAKE --hash=sha256:1111FAKE\n"
                "./wheels/local_pkg-1.0-py3-none-any.whl\n"
                "continued\\\n"
                "  >=2  # pinned low\n",
                "requirements.txt",
                ".");
            if (!manifest) {
                FAIL(manifest.error().message());
            }
            CHECK(manifest->packages
                  == Strings{"aiohttp",
                             "importlib-metadata",
                             "pywin32",
                             "legacy",
                             "numpy",
                             "torch",
                             "pre-release",
                             "epoch-pkg",
                             "compat",
                             "arbitrary",
                             "Paren",
                             "direct",
                             "private",
                             "templated",
                             "hashed",
                             "local_pkg",
                             "continued"});
        }

        SUBCASE("a malformed requirement is an error at the bad text")
        {
            const auto error = [](std::string_view line) {
                return error_of(validate::parse_requirements(
                    "ok==1\n" + std::string(line) + "\n", "requirements.txt", "."));
            };
            CHECK(error("flask[async")
                  == "requirements.txt:2:6: extras opened with '[' are not closed with ']'");
            CHECK(error("flask[async,]")
                  == "requirements.txt:2:13: expected an extra's name, found ']'");
            CHECK(error("flask[a b]")
                  == "requirements.txt:2:9: expected ',' or ']' in the extras, found 'b]'");
            CHECK(error("requests ==== 2")
                  == "requirements.txt:2:10: '====' is not a version operator (==, !=, <=, >=, "
                     "<, >, ~=, ===)");
            CHECK(error("requests =< 2")
                  == "requirements.txt:2:10: '=<' is not a version operator (==, !=, <=, >=, <, "
                     ">, ~=, ===)");
            CHECK(error("requests>=") == "requirements.txt:2:11: expected a version after '>='");
            CHECK(error("requests>=2.x")
                  == "requirements.txt:2:11: '2.x' is not a valid version after '>='");
            CHECK(error("requests>=2.*")
                  == "requirements.txt:2:11: '2.*' is not a valid version after '>='");
            CHECK(error("requests~=2")
                  == "requirements.txt:2:11: '2' is not a valid version after '~='");
            CHECK(error("requests>=2,")
                  == "requirements.txt:2:13: expected a version specifier after ','");
            CHECK(error("requests>=2 <3")
                  == "requirements.txt:2:13: expected ',', ';' or the end of the requirement, "
                     "found '<3'");
            CHECK(error("Django>=4.2<5")
                  == "requirements.txt:2:12: expected ',', ';' or the end of the requirement, "
                     "found '<5'");
            CHECK(error("requests (>=2") == "requirements.txt:2:10: '(' is not closed with ')'");
            CHECK(error("requests;") == "requirements.txt:2:10: expected a marker after ';'");
            CHECK(error("requests; python_version < 3.9")
                  == "requirements.txt:2:28: unknown marker variable '3.9' (strings need quotes)");
            CHECK(error("requests; pyton_version < '3.9'")
                  == "requirements.txt:2:11: unknown marker variable 'pyton_version' (strings "
                     "need quotes)");
            CHECK(error("requests; python_version = '3.9'")
                  == "requirements.txt:2:26: expected a marker operator (==, !=, <, <=, >, >=, "
                     "~=, ===, in, not in), found '= '3.9''");
            CHECK(error("requests; python_version < '3.9")
                  == "requirements.txt:2:28: the string in the marker is not closed");
            CHECK(error("requests; python_version < '3.9' and")
                  == "requirements.txt:2:37: expected a marker variable or a quoted string, "
                     "found ''");
            CHECK(error("requests; (os_name == 'nt'")
                  == "requirements.txt:2:11: '(' in the marker is not closed with ')'");
            CHECK(error("requests @") == "requirements.txt:2:11: expected a URL after '@'");
            CHECK(error("requests @ https://example.com/r.whl; python_version < '3.9'")
                  == "requirements.txt:2:37: put white space between the URL and the ';' of "
                     "its marker");
            CHECK(error("requests @ https://example.com/r.whl python_version < '3.9'")
                  == "requirements.txt:2:38: expected ';' and a marker after the URL, found "
                     "'python_version < '3.9''");
        }
    }

    TEST_CASE("validate::parse_pyproject")
    {
        SUBCASE("PEP 621, PEP 735 groups and the build system")
        {
            const auto manifest = validate::parse_pyproject(
                "[build-system]\n"
                "requires = [\"hatchling\"]\n"
                "[project]\n"
                "name = \"acme-service\"\n"
                "requires-python = \">=3.10\"\n"
                "dependencies = [\"fastapi>=0.110\", \"pydantic[email]\"]\n"
                "[project.optional-dependencies]\n"
                "redis = [\"redis>=5\"]\n"
                "[dependency-groups]\n"
                "test = [\"pytest\", {include-group = \"lint\"}]\n"
                "lint = [\"ruff\"]\n",
                "pyproject.toml");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages
                  == Strings{"fastapi", "pydantic", "redis", "ruff", "pytest", "hatchling"});
            CHECK(manifest->project_name == "acme-service");
            CHECK(manifest->requires_python == ">=3.10");
        }

        SUBCASE("Poetry: dependencies, dev-dependencies and groups; python is a version")
        {
            const auto manifest =
                validate::parse_pyproject("[tool.poetry]\n"
                                          "name = \"tool\"\n"
                                          "[tool.poetry.dependencies]\n"
                                          "python = \"^3.9\"\n"
                                          "httpx = \"^0.27\"\n"
                                          "[tool.poetry.dev-dependencies]\n"
                                          "black = \"*\"\n"
                                          "[tool.poetry.group.docs.dependencies]\n"
                                          "mkdocs = {version = \"^1.5\", optional = true}\n",
                                          "pyproject.toml");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"httpx", "black", "mkdocs"});
            CHECK(manifest->project_name == "tool");
            CHECK(manifest->requires_python == "^3.9");
        }

        SUBCASE("malformed TOML and wrong types are errors with a position")
        {
            CHECK(error_of(validate::parse_pyproject("[project]\nname = \"x\ndependencies = []\n",
                                                     "pyproject.toml"))
                      .starts_with("pyproject.toml:2:"));
            CHECK(error_of(validate::parse_pyproject("[project]\ndependencies = \"requests\"\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:2:16: 'project.dependencies' must be an array of strings");
            CHECK(error_of(validate::parse_pyproject("project = 1\n", "pyproject.toml"))
                  == "pyproject.toml:1:11: 'project' must be a table");
            CHECK(error_of(validate::parse_pyproject("build-system = [\"hatchling\"]\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:1:16: 'build-system' must be a table");
            CHECK(
                error_of(validate::parse_pyproject("[tool]\npoetry = \"yes\"\n", "pyproject.toml"))
                == "pyproject.toml:2:10: 'tool.poetry' must be a table");
            CHECK(error_of(
                      validate::parse_pyproject(
                          "[project]\ndependencies = [\n  \"ok\",\n  \"bad name\",\n]\n", "p.toml"))
                      .starts_with("p.toml:4:8: expected a version specifier"));
            CHECK(error_of(validate::parse_pyproject(
                      "[project]\ndependencies = [\"flask[async\", \"requests ==== 2\"]\n",
                      "pyproject.toml"))
                  == "pyproject.toml:2:23: extras opened with '[' are not closed with ']'");
            CHECK(error_of(validate::parse_pyproject(
                      "[project]\ndependencies = ['requests ==== 2']\n", "pyproject.toml"))
                  == "pyproject.toml:2:27: '====' is not a version operator (==, !=, <=, >=, <, "
                     ">, ~=, ===)");
            CHECK(error_of(validate::parse_pyproject(
                      "[project.optional-dependencies]\ndev = [\"pytest>=8; extra = 'dev'\"]\n",
                      "pyproject.toml"))
                  == "pyproject.toml:2:26: expected a marker operator (==, !=, <, <=, >, >=, ~=, "
                     "===, in, not in), found '= 'dev''");
            CHECK(error_of(validate::parse_pyproject(
                      "[build-system]\nrequires = [\"\"\"setuptools>=\"\"\"]\n", "pyproject.toml"))
                  == "pyproject.toml:2:13: expected a version after '>='");
        }

        SUBCASE("Poetry: versions, details and python are held to Poetry's syntax")
        {
            const auto poetry = [](const std::string& line) {
                return validate::parse_pyproject("[tool.poetry.dependencies]\n" + line + "\n",
                                                 "pyproject.toml");
            };
            for (const char* valid : {"flask = \"^3.0\"",
                                      "flask = \">=2.0 <4\"",
                                      "flask = \">=2.0, <4\"",
                                      "flask = \"~2.3 || ^3\"",
                                      "flask = \"3.0.*\"",
                                      "flask = \"2.0.0rc1\"",
                                      "flask = {version = \"^3\", optional = true}",
                                      "flask = [{version = \"^2\", python = \"<3.9\"}, "
                                      "{version = \"^3\", python = \">=3.9\"}]",
                                      "flask = {git = \"https://example.com/flask.git\"}",
                                      "python = \"^3.10 || ^3.8\""}) {
                CHECK_MESSAGE(poetry(valid).ok(), valid);
            }
            CHECK(error_of(poetry("flask = 3"))
                  == "pyproject.toml:2:9: 'tool.poetry.dependencies.flask' must be a version "
                     "constraint string or a table");
            CHECK(error_of(poetry("flask = \"^^3\""))
                  == "pyproject.toml:2:10: in 'tool.poetry.dependencies.flask': '^^' is not a "
                     "version operator");
            CHECK(error_of(poetry("flask = {version = \"^3\", optional = \"yes\"}"))
                  == "pyproject.toml:2:37: 'tool.poetry.dependencies.flask.optional' must be true "
                     "or false");
            CHECK(error_of(poetry("python = \"3.10 or later\""))
                  == "pyproject.toml:2:16: in 'tool.poetry.dependencies.python': expected a "
                     "version, found 'or'");
        }

        SUBCASE("PEP 735: an include-group must name another group, without a cycle")
        {
            CHECK(error_of(validate::parse_pyproject(
                      "[dependency-groups]\ntest = [\"pytest\", {include-group = \"nope\"}]\n",
                      "pyproject.toml"))
                  == "pyproject.toml:2:36: include-group 'nope' names no group of "
                     "[dependency-groups]");
            CHECK(error_of(validate::parse_pyproject("[dependency-groups]\n"
                                                     "a = [{include-group = \"b\"}]\n"
                                                     "b = [\"ruff\", {include-group = \"a\"}]\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:3:31: include-group 'a' makes group 'a' include itself");
            CHECK(error_of(validate::parse_pyproject(
                      "[dependency-groups]\na = [{include = \"b\"}]\nb = []\n", "pyproject.toml"))
                  == "pyproject.toml:2:6: a table in 'dependency-groups.a' must be "
                     "{include-group = \"name\"}");
            // Group names compare normalised.
            CHECK(validate::parse_pyproject(
                      "[dependency-groups]\nTest_All = [{include-group = \"lint\"}]\n"
                      "Lint = [\"ruff\", {include-group = \"dev.tools\"}]\ndev-tools = []\n",
                      "pyproject.toml")
                      .ok());
        }

        SUBCASE("setuptools' dynamic dependencies name the files to read")
        {
            const auto manifest = validate::parse_pyproject(
                "[project]\ndynamic = [\"dependencies\"]\n"
                "[tool.setuptools.dynamic]\n"
                "dependencies = {file = [\"requirements.in\", \"extra.in\"]}\n"
                "optional-dependencies.dev = {file = \"dev.in\"}\n",
                "pyproject.toml");
            REQUIRE(manifest.ok());
            REQUIRE(manifest->requirement_files.size() == 3);
            CHECK(manifest->requirement_files[0].path == "requirements.in");
            CHECK(manifest->requirement_files[0].line == 4);
            CHECK(manifest->requirement_files[0].column == 25);
            CHECK(manifest->requirement_files[1].path == "extra.in");
            CHECK(manifest->requirement_files[2].path == "dev.in");
            CHECK(manifest->requirement_files[2].line == 5);
            CHECK(error_of(validate::parse_pyproject(
                      "[tool.setuptools.dynamic]\ndependencies = \"requirements.txt\"\n",
                      "pyproject.toml"))
                  == "pyproject.toml:2:16: 'tool.setuptools.dynamic.dependencies' must be a table "
                     "with 'file'");
        }

        SUBCASE("requires-python must be a version specifier")
        {
            CHECK(error_of(validate::parse_pyproject("[project]\nrequires-python = \">=3.x\"\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:2:22: in 'requires-python': '3.x' is not a valid version "
                     "after '>='");
            CHECK(error_of(validate::parse_pyproject("[project]\nrequires-python = 'banana'\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:2:20: in 'requires-python': expected a version operator "
                     "(==, !=, <=, >=, <, >, ~=, ===), found 'banana'");
            CHECK(error_of(validate::parse_pyproject("[project]\nrequires-python = 3.10\n",
                                                     "pyproject.toml"))
                  == "pyproject.toml:2:19: 'requires-python' must be a string");
            for (const char* valid :
                 {">=3.9", ">=3.10, <4", "~=3.11", "==3.12.*", "!=3.9.1,>3.8", ""}) {
                const auto manifest = validate::parse_pyproject("[project]\nrequires-python = \""
                                                                    + std::string(valid) + "\"\n",
                                                                "pyproject.toml");
                CHECK_MESSAGE(manifest.ok(), valid);
            }
        }
    }

    TEST_CASE("validate::parse_setup_cfg")
    {
        SUBCASE("install_requires, extras and the metadata name")
        {
            const auto manifest = validate::parse_setup_cfg("[metadata]\n"
                                                            "name = legacy-app\n"
                                                            "; a comment\n"
                                                            "[options]\n"
                                                            "python_requires = >=3.8\n"
                                                            "install_requires =\n"
                                                            "    click>=8\n"
                                                            "    rich  # pretty output\n"
                                                            "[options.extras_require]\n"
                                                            "aws = boto3\n",
                                                            "setup.cfg");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"click", "rich", "boto3"});
            CHECK(manifest->project_name == "legacy-app");
            CHECK(manifest->requires_python == ">=3.8");
        }

        SUBCASE("lines an INI file cannot hold")
        {
            CHECK(error_of(validate::parse_setup_cfg("[options]\ninstall_requires\n", "setup.cfg"))
                  == "setup.cfg:2:1: expected '[section]' or 'key = value'");
            CHECK(error_of(validate::parse_setup_cfg("name = x\n", "setup.cfg"))
                  == "setup.cfg:1:1: 'key = value' before any '[section]'");
            CHECK(error_of(validate::parse_setup_cfg("[options\n", "setup.cfg"))
                  == "setup.cfg:1:1: expected '[section]'");
            CHECK(error_of(validate::parse_setup_cfg("  indented\n", "setup.cfg"))
                  == "setup.cfg:1:3: indented line outside of a value");
        }

        SUBCASE("'file:' names files instead of requirements")
        {
            const auto manifest = validate::parse_setup_cfg(
                "[options]\ninstall_requires = file: base.in, more.in\n", "setup.cfg");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages.empty());
            REQUIRE(manifest->requirement_files.size() == 2);
            CHECK(manifest->requirement_files[0].path == "base.in");
            CHECK(manifest->requirement_files[0].line == 2);
            CHECK(manifest->requirement_files[0].column == 20);
            CHECK(manifest->requirement_files[1].path == "more.in");
        }

        SUBCASE("a malformed requirement or python_requires is an error at the bad text")
        {
            CHECK(
                error_of(validate::parse_setup_cfg(
                    "[options]\ninstall_requires =\n    click>=8\n    rich[jupyter\n", "setup.cfg"))
                == "setup.cfg:4:9: in 'install_requires': extras opened with '[' are not "
                   "closed with ']'");
            CHECK(error_of(validate::parse_setup_cfg("[options]\npython_requires = >=3.x\n",
                                                     "setup.cfg"))
                  == "setup.cfg:2:21: in 'python_requires': '3.x' is not a valid version after "
                     "'>='");
        }
    }

    TEST_CASE("validate::parse_setup_cfg: as configparser and setuptools read it")
    {
        SUBCASE("a list on one line is split at each ';'")
        {
            const auto manifest = validate::parse_setup_cfg(
                "[options]\ninstall_requires = flask; requests>=2\n", "setup.cfg");
            REQUIRE(manifest.ok());
            CHECK(manifest->packages == Strings{"flask", "requests"});
        }

        SUBCASE("a section or an option given twice is an error")
        {
            CHECK(error_of(validate::parse_setup_cfg(
                      "[options]\ninstall_requires = flask\nInstall_Requires = django\n",
                      "setup.cfg"))
                  == "setup.cfg:3:1: option 'Install_Requires' of [options] given twice (first at "
                     "line 2)");
            CHECK(
                error_of(validate::parse_setup_cfg(
                    "[options]\nzip_safe = false\n[metadata]\nname = x\n[options]\n", "setup.cfg"))
                == "setup.cfg:5:1: section '[options]' given twice (first at line 1)");
        }
    }

    TEST_CASE("validate::parse_pipfile: versions, python_version and custom categories")
    {
        const auto manifest =
            validate::parse_pipfile("[packages]\nrequests = \"==2.31\"\n"
                                    "[docs]\nmkdocs = {version = \">=1.5\"}\n"
                                    "[source]\nurl = \"https://pypi.org/simple\"\n",
                                    "Pipfile");
        REQUIRE(manifest.ok());
        CHECK(manifest->packages == Strings{"requests", "mkdocs"});
        CHECK(error_of(validate::parse_pipfile("[packages]\nrequests = \"====2\"\n", "Pipfile"))
              == "Pipfile:2:13: in 'packages.requests': '====' is not a version operator (==, "
                 "!=, <=, >=, <, >, ~=, ===)");
        CHECK(error_of(validate::parse_pipfile("[packages]\nrequests = 2\n", "Pipfile"))
              == "Pipfile:2:12: 'packages.requests' must be a version constraint string or a "
                 "table");
        CHECK(
            error_of(validate::parse_pipfile("[requires]\npython_version = \"three\"\n", "Pipfile"))
            == "Pipfile:2:18: 'requires.python_version' must be a version such as \"3.12\"");
    }

    TEST_CASE("validate::parse_pipfile")
    {
        const auto manifest = validate::parse_pipfile("[packages]\n"
                                                      "requests = \"*\"\n"
                                                      "[dev-packages]\n"
                                                      "pytest = \">=8\"\n"
                                                      "[requires]\n"
                                                      "python_version = \"3.11\"\n",
                                                      "Pipfile");
        REQUIRE(manifest.ok());
        CHECK(manifest->packages == Strings{"requests", "pytest"});
        CHECK(manifest->requires_python == "==3.11.*");
        CHECK(
            error_of(validate::parse_pipfile("[packages\n", "Pipfile")).starts_with("Pipfile:1:"));
        CHECK(error_of(validate::parse_pipfile("[requires]\npython_version = 3.10\n", "Pipfile"))
              == "Pipfile:2:18: 'requires.python_version' must be a version such as \"3.12\"");
    }

    TEST_CASE("validate::parse_package_json")
    {
        SUBCASE("every kind of dependency, the name and both forms of workspaces")
        {
            const auto package = validate::parse_package_json(R"({"name": "@acme/web",
                  "dependencies": {"express": "^4"},
                  "devDependencies": {"@types/express": "^4"},
                  "peerDependencies": {"react": "*"},
                  "optionalDependencies": {"fsevents": "*"},
                  "workspaces": ["packages/*"]})",
                                                              "package.json");
            REQUIRE(package.ok());
            CHECK(package->name == "@acme/web");
            CHECK(package->dependencies
                  == Strings{"express", "@types/express", "react", "fsevents"});
            CHECK(package->workspaces == Strings{"packages/*"});
            const auto object_form = validate::parse_package_json(
                R"({"workspaces": {"packages": ["apps/*", "libs/core"]}})", "package.json");
            REQUIRE(object_form.ok());
            CHECK(object_form->workspaces == Strings{"apps/*", "libs/core"});
        }

        SUBCASE("malformed JSON names its line and column")
        {
            CHECK(
                error_of(validate::parse_package_json("{\n  \"name\": \"x\",\n  \"dependencies\": "
                                                      "{\"a\": \"1\",}\n}\n",
                                                      "package.json"))
                    .starts_with("package.json:3:29: invalid JSON: "));
            CHECK(error_of(validate::parse_package_json("[]", "package.json"))
                  == "package.json:1:1: package.json must hold an object");
            CHECK(error_of(
                      validate::parse_package_json("{\n  \"dependencies\": [\"a\"]\n}", "p.json"))
                  == "p.json:2:19: 'dependencies' must be an object");
            CHECK(
                error_of(validate::parse_package_json(R"({"workspaces": "packages/*"})", "p.json"))
                == "p.json:1:16: 'workspaces' must be an array of patterns or hold 'packages'");
        }

        SUBCASE("values of the wrong type and keys given twice are errors at their place")
        {
            CHECK(error_of(validate::parse_package_json(
                      "{\n  \"dependencies\": {\"express\": 4}\n}", "package.json"))
                  == "package.json:2:31: the version of 'express' in 'dependencies' must be a "
                     "string");
            CHECK(error_of(
                      validate::parse_package_json(R"({"workspaces": ["a/*", 1]})", "package.json"))
                  == "package.json:1:24: a workspace pattern must be a string");
            CHECK(error_of(validate::parse_package_json(R"({"name": 5})", "package.json"))
                  == "package.json:1:10: 'name' must be a string");
            CHECK(error_of(validate::parse_package_json("{\n  \"dependencies\": {\"a\": \"1\"},\n"
                                                        "  \"dependencies\": {\"b\": \"1\"}\n}",
                                                        "package.json"))
                  == "package.json:3:3: duplicate key 'dependencies' (first at line 2, column 3)");
            CHECK(error_of(validate::parse_package_json(R"({"dependencies": {"a": "1", "a": "2"}})",
                                                        "package.json"))
                  == "package.json:1:29: duplicate key 'a' (first at line 1, column 19)");
        }
    }

    TEST_CASE("validate::parse_go_mod")
    {
        SUBCASE("module, require lines and blocks, replace, comments")
        {
            const auto mod = validate::parse_go_mod("// the service\n"
                                                    "module example.com/shop\n\n"
                                                    "go 1.22\n"
                                                    "toolchain go1.22.3\n"
                                                    "require github.com/google/uuid v1.6.0\n"
                                                    "require (\n"
                                                    "\tgithub.com/gin-gonic/gin v1.9.1 // web\n"
                                                    "\tgolang.org/x/sync v0.7.0 // indirect\n"
                                                    ")\n"
                                                    "replace example.com/legacy => ../legacy\n"
                                                    "exclude github.com/bad/mod v0.1.0\n",
                                                    "go.mod");
            REQUIRE(mod.ok());
            CHECK(mod->module == "example.com/shop");
            CHECK(mod->required
                  == Strings{"github.com/google/uuid",
                             "github.com/gin-gonic/gin",
                             "golang.org/x/sync",
                             "example.com/legacy"});
        }

        SUBCASE("what go.mod cannot hold")
        {
            CHECK(error_of(validate::parse_go_mod("module a\nrequire github.com/x/y\n", "go.mod"))
                  == "go.mod:2:1: 'require' takes a module path and a version");
            CHECK(error_of(validate::parse_go_mod("module a\n  depends x v1\n", "go.mod"))
                  == "go.mod:2:3: unknown directive 'depends'");
            CHECK(error_of(validate::parse_go_mod("module a\ngo banana\n", "go.mod"))
                  == "go.mod:2:4: 'banana' is not a Go version such as 1.22 or 1.22.3");
            CHECK(error_of(validate::parse_go_mod("module a\ngo 1.x\n", "go.mod"))
                  == "go.mod:2:4: '1.x' is not a Go version such as 1.22 or 1.22.3");
            CHECK(error_of(validate::parse_go_mod("module a\ngo\n", "go.mod"))
                  == "go.mod:2:1: 'go' takes one Go version");
            CHECK(error_of(validate::parse_go_mod("module a\ntoolchain 1.22\n", "go.mod"))
                  == "go.mod:2:1: 'toolchain' takes one toolchain name such as go1.22.3");
            for (const char* version : {"1.21", "1.21.0", "1.23rc1", "1.18beta2"}) {
                CHECK_MESSAGE(
                    validate::parse_go_mod("module a\ngo " + std::string(version) + "\n", "go.mod")
                        .ok(),
                    version);
            }
            CHECK(validate::parse_go_mod("module a\ntoolchain default\n", "go.mod").ok());
            CHECK(error_of(
                      validate::parse_go_mod("module a\nrequire (\n\tx.com/y v1.0.0\n", "go.mod"))
                  == "go.mod:2:1: 'require (' is not closed with ')'");
            CHECK(error_of(validate::parse_go_mod("module a\nreplace x.com/y\n", "go.mod"))
                  == "go.mod:2:1: 'replace' takes 'path [version] => path'");
            CHECK(error_of(validate::parse_go_mod("go 1.22\nrequire x.com/y v1.0.0\n", "go.mod"))
                  == "go.mod:1:1: go.mod has no 'module' line naming the module's path");
            CHECK(error_of(validate::parse_go_mod("module a\nmodule b\n", "go.mod"))
                  == "go.mod:2:1: a second 'module' line (go.mod has one)");
            CHECK(error_of(validate::parse_go_mod("module a\nrequire x.com/y 1.6.0\n", "go.mod"))
                  == "go.mod:2:17: '1.6.0' is not a module version such as v1.6.0");
            CHECK(error_of(validate::parse_go_mod("module a\nrequire (\n\tx.com/y v1.6.0\n) junk\n",
                                                  "go.mod"))
                  == "go.mod:4:3: unexpected 'junk' after ')'");
            CHECK(error_of(
                      validate::parse_go_mod("module a\nreplace x.com/y => x.com/z 2\n", "go.mod"))
                  == "go.mod:2:28: '2' is not a module version such as v1.6.0");
            CHECK(validate::parse_go_mod("module a\nrequire x.com/y v0.0.0-20240101-abcdef\n"
                                         "replace x.com/y v0.1.0 => ../y\n",
                                         "go.mod")
                      .ok());
        }
    }
}
