#include "printers.hpp"
#include "source/language.hpp"

#include <doctest/doctest.h>

namespace source = aiops::source;

using source::Language;

TEST_SUITE("source")
{
    TEST_CASE("source::language_from_path")
    {
        SUBCASE("extensions name their language")
        {
            CHECK(source::language_from_path("src/app.py") == Language::python);
            CHECK(source::language_from_path("web/App.tsx") == Language::tsx);
            CHECK(source::language_from_path("web/app.ts") == Language::typescript);
            CHECK(source::language_from_path("web/app.mjs") == Language::javascript);
            CHECK(source::language_from_path("include/util.h") == Language::c);
            CHECK(source::language_from_path("include/util.hpp") == Language::cpp);
            CHECK(source::language_from_path("main.go") == Language::go);
            CHECK(source::language_from_path("Main.cs") == Language::c_sharp);
            CHECK(source::language_from_path("package.json") == Language::json);
            CHECK(source::language_from_path(".github/workflows/ci.yml") == Language::yaml);
            CHECK(source::language_from_path("deploy.yaml") == Language::yaml);
        }

        SUBCASE("the case of an extension does not matter")
        {
            CHECK(source::language_from_path("LEGACY.PY") == Language::python);
            CHECK(source::language_from_path("Data.Json") == Language::json);
        }

        SUBCASE("some file names name their language")
        {
            CHECK(source::language_from_path("Rakefile") == Language::ruby);
            CHECK(source::language_from_path("app/Gemfile") == Language::ruby);
            CHECK(source::language_from_path("home/.bashrc") == Language::bash);
        }

        SUBCASE("other files have no language")
        {
            CHECK_FALSE(source::language_from_path("README.md").has_value());
            CHECK_FALSE(source::language_from_path("Makefile").has_value());
            CHECK_FALSE(source::language_from_path("script").has_value());
            CHECK_FALSE(source::language_from_path("archive.py.bak").has_value());
        }
    }

    TEST_CASE("source::language_from_shebang")
    {
        SUBCASE("env names the interpreter in its first argument")
        {
            CHECK(source::language_from_shebang("#!/usr/bin/env python3") == Language::python);
            CHECK(source::language_from_shebang("#!/usr/bin/env node") == Language::javascript);
            CHECK(source::language_from_shebang("#!/usr/bin/env ruby") == Language::ruby);
        }

        SUBCASE("tabs separate words as spaces do")
        {
            CHECK(source::language_from_shebang("#!/bin/sh\t-e") == Language::bash);
            CHECK(source::language_from_shebang("#!/usr/bin/env\tpython3") == Language::python);
        }

        SUBCASE("env's -S flag and the interpreter's own flags are passed over")
        {
            CHECK(source::language_from_shebang("#!/usr/bin/env -S node --flag")
                  == Language::javascript);
            CHECK(source::language_from_shebang("#!/usr/bin/env -S python3 -u")
                  == Language::python);
        }

        SUBCASE("env's variable assignments are passed over")
        {
            CHECK(source::language_from_shebang("#!/usr/bin/env PYTHONUTF8=1 python3")
                  == Language::python);
        }

        SUBCASE("an interpreter's full path")
        {
            CHECK(source::language_from_shebang("#!/bin/sh") == Language::bash);
            CHECK(source::language_from_shebang("#!/bin/bash -e") == Language::bash);
            CHECK(source::language_from_shebang("#! /usr/bin/php") == Language::php);
        }

        SUBCASE("a version after the interpreter's name")
        {
            CHECK(source::language_from_shebang("#!/usr/bin/python3.12") == Language::python);
            CHECK(source::language_from_shebang("#!/usr/local/bin/python2") == Language::python);
        }

        SUBCASE("a CR at the end of the line does not matter")
        {
            CHECK(source::language_from_shebang("#!/bin/bash\r") == Language::bash);
        }

        SUBCASE("lines that are not a shebang, or name no known interpreter")
        {
            CHECK_FALSE(source::language_from_shebang("# comment").has_value());
            CHECK_FALSE(source::language_from_shebang("print('hello')").has_value());
            CHECK_FALSE(source::language_from_shebang("").has_value());
            CHECK_FALSE(source::language_from_shebang("#!").has_value());
            CHECK_FALSE(source::language_from_shebang("#!/usr/bin/env").has_value());
            CHECK_FALSE(source::language_from_shebang("#!/usr/bin/perl").has_value());
            CHECK_FALSE(source::language_from_shebang(" #!/bin/sh").has_value());
        }
    }

    TEST_CASE("source::language_from_name")
    {
        SUBCASE("canonical names, in any case")
        {
            CHECK(source::language_from_name("python") == Language::python);
            CHECK(source::language_from_name("TypeScript") == Language::typescript);
            CHECK(source::language_from_name("c_sharp") == Language::c_sharp);
        }

        SUBCASE("aliases")
        {
            CHECK(source::language_from_name("py") == Language::python);
            CHECK(source::language_from_name("js") == Language::javascript);
            CHECK(source::language_from_name("ts") == Language::typescript);
            CHECK(source::language_from_name("sh") == Language::bash);
            CHECK(source::language_from_name("c++") == Language::cpp);
            CHECK(source::language_from_name("cs") == Language::c_sharp);
            CHECK(source::language_from_name("C#") == Language::c_sharp);
            CHECK(source::language_from_name("yml") == Language::yaml);
            CHECK(source::language_from_name("golang") == Language::go);
        }

        SUBCASE("unknown names give nullopt")
        {
            CHECK_FALSE(source::language_from_name("cobol").has_value());
            CHECK_FALSE(source::language_from_name("").has_value());
            CHECK_FALSE(source::language_from_name("python ").has_value());
        }
    }

    TEST_CASE("source::language_name")
    {
        CHECK(source::language_name(Language::python) == "python");
        CHECK(source::language_name(Language::c_sharp) == "c_sharp");
        CHECK(source::language_name(Language::cpp) == "cpp");

        SUBCASE("every language's name parses back to it")
        {
            for (const Language language : source::k_languages) {
                CAPTURE(source::language_name(language));
                CHECK(source::language_from_name(source::language_name(language)) == language);
            }
        }
    }

    TEST_CASE("source::may_have_shebang")
    {
        CHECK(source::may_have_shebang("bin/deploy"));
        CHECK_FALSE(source::may_have_shebang("notes.txt"));
        CHECK_FALSE(source::may_have_shebang("bin/deploy.sh"));
    }
}
