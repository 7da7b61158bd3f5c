#include "printers.hpp"
#include "rules/rule.hpp"
#include "scan/suppressions.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace rules = aiops::rules;
namespace scan = aiops::scan;

namespace {

scan::CommentMarker marker_of(const std::string& text)
{
    return scan::read_marker(scan::Comment{0, 0, 0, text, false});
}

// What a comment suppresses: "-" for nothing, "*" for every rule, else the ids.
std::string suppressed_by(const std::string& text)
{
    const auto marker = marker_of(text);
    if (!marker.suppression) {
        return "-";
    }
    if (marker.suppression->ids.empty()) {
        return "*";
    }
    std::string ids;
    for (const auto& id : marker.suppression->ids) {
        ids += (ids.empty() ? "" : ",") + id;
    }
    return ids;
}

rules::Rule rule_with_alias(const std::string& id, const std::string& alias)
{
    rules::Rule rule;
    rule.id = id;
    rule.aliases = {alias};
    return rule;
}

} // namespace

TEST_SUITE("scan")
{
    TEST_CASE("scan::read_marker: whole words only")
    {
        CHECK(suppressed_by("# nosec") == "*");
        CHECK(suppressed_by("# nosec B602, B607 reviewed") == "B602,B607");
        CHECK(suppressed_by("# nosec: B602") == "B602");
        CHECK(suppressed_by("# nosecurity") == "-");
        CHECK(suppressed_by("# nosecret-rotation-pending") == "-");
        CHECK(suppressed_by("# aiops: ignore[B602] reason") == "B602");
        CHECK(suppressed_by("# aiops:ignore[B602]reason-no-space") == "B602");
        CHECK(suppressed_by("# aiops: ignore reason") == "*");
    }

    TEST_CASE("scan::read_marker: only at the start of a comment or of a note in it")
    {
        CHECK(suppressed_by("# TODO: do not add a nosec here, fix it") == "-");
        CHECK(suppressed_by("# some text nosec") == "-");
        CHECK(suppressed_by("# see kinosecret") == "-");
        CHECK(suppressed_by("# noqa: E501  # nosec B602") == "B602");
        CHECK(suppressed_by("# type: ignore  # aiops: ignore[B602] second comment") == "B602");
        CHECK(suppressed_by("// done // aiops: ignore[js.x]") == "js.x");
        CHECK(suppressed_by("/* nosec */") == "*");
        CHECK(suppressed_by("<!-- aiops: ignore[llm.x] -->") == "llm.x");
    }

    TEST_CASE("scan::read_marker: a malformed marker suppresses nothing and says why")
    {
        SUBCASE("a word that is not ignore")
        {
            for (const std::string word : {"ignored, see ticket", "ignore-next-line"}) {
                const auto marker = marker_of("# aiops: " + word);
                CHECK_FALSE(marker.suppression);
                CHECK(marker.problem.starts_with("'aiops: ignore"));
                CHECK(marker.problem.find("is not a suppression, so it suppresses nothing")
                      != std::string::npos);
            }
        }

        SUBCASE("empty brackets")
        {
            const auto marker = marker_of("# aiops: ignore[] empty");
            CHECK_FALSE(marker.suppression);
            CHECK(marker.problem
                  == "'aiops: ignore[]' names no rule, so it suppresses nothing: name rule ids "
                     "or aliases, or leave out the brackets to ignore every rule");
        }

        SUBCASE("a bracket never closed")
        {
            const auto marker = marker_of("# aiops: ignore[B602 reason without closing");
            CHECK_FALSE(marker.suppression);
            CHECK(marker.problem
                  == "the '[' after 'aiops: ignore' is never closed with ']', so this "
                     "suppresses nothing");
        }

        SUBCASE("other words after aiops: are not a marker at all")
        {
            const auto marker = marker_of("# aiops: error: bad flag");
            CHECK_FALSE(marker.suppression);
            CHECK(marker.problem.empty());
        }
    }

    TEST_CASE("scan::read_marker: the reason leaves out the comment's closer")
    {
        CHECK(marker_of("/* nosec */").suppression->justification.empty());
        CHECK(marker_of("/* aiops: ignore[js.x] block */").suppression->justification == "block");
        CHECK(marker_of("<!-- nosec B105 test key -->").suppression->justification == "test key");
    }

    TEST_CASE("scan::FileSuppressions")
    {
        const auto rule = rule_with_alias("python.shell", "B602");

        SUBCASE("a block comment before code on its line covers that line alone")
        {
            const std::string text = "/* nosec */ run(a);\nrun(b);\n";
            scan::FileSuppressions file({{0, 0, 0, "/* nosec */", true}}, text);
            CHECK(file.find(0, 0, 0, rule) != nullptr);
            CHECK(file.find(1, 1, 1, rule) == nullptr);
        }

        SUBCASE("a comment alone on its line covers the next")
        {
            const std::string text = "# nosec B602\nrun(b)\n";
            scan::FileSuppressions file({{0, 0, 0, "# nosec B602", true}}, text);
            CHECK(file.find(1, 1, 1, rule) != nullptr);
        }

        SUBCASE("a comment on any row of a finding written over several rows covers it")
        {
            // subprocess.run(\n    cmd,\n    shell=True,  # nosec B602\n)
            const std::string text =
                "subprocess.run(\n    cmd,\n    shell=True,  # nosec B602\n)\nrun(c)\n";
            scan::FileSuppressions file({{2, 2, 42, "# nosec B602", false}}, text);
            CHECK(file.find(4, 4, 4, rule) == nullptr);
            CHECK(file.find(0, 1, 0, rule) == nullptr);
            CHECK(file.find(0, 3, 0, rule) != nullptr);
        }

        SUBCASE("the ids a finding used are marked, the others not")
        {
            const std::string text = "run(a)  # nosec B602, B607\n";
            scan::FileSuppressions file({{0, 0, 8, "# nosec B602, B607", false}}, text);
            REQUIRE(file.find(0, 0, 0, rule) != nullptr);
            const auto& suppression = file.suppressions().at(0);
            CHECK(suppression.id_used == std::vector<bool>{true, false});
            CHECK(suppression.start_byte == 8);
            CHECK(suppression.end_byte == 26);
        }
    }

    TEST_CASE("scan::marker_comments: markers of files without a grammar")
    {
        const std::string text = "API_TOKEN=x  # nosecret-rotation-pending\n"
                                 "KEY=y # nosec\n"
                                 "URL=https://fake.test/#aiops: ignore\n"
                                 "NOTE=see nosec docs\n";
        const auto comments = scan::marker_comments(text, "app.env");
        REQUIRE(comments.size() == 2);
        CHECK(comments[0].start_row == 0); // read, but not a marker: nosecret is another word
        CHECK_FALSE(scan::read_marker(comments[0]).suppression);
        CHECK(comments[1].start_row == 1);
        CHECK(comments[1].text == "# nosec");
        CHECK(comments[1].start_byte == text.find("KEY=y") + 6);
        CHECK(scan::read_marker(comments[1]).suppression);
        // In prose only an HTML comment is a comment.
        CHECK(scan::marker_comments("Write `# nosec` after it\n", "notes.md").empty());
        CHECK(scan::marker_comments("<!-- nosec -->\n", "notes.md").size() == 1);
    }
}
