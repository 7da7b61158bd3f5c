#include "scan/suppressions.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace aiops::scan {

namespace {

std::vector<std::string> split_ids(std::string_view list)
{
    std::vector<std::string> ids;
    for (auto piece : core::split(list, ',')) {
        for (auto word : core::split(core::trim(piece), ' ')) {
            const std::string_view id = core::trim(word);
            if (!id.empty()) {
                ids.emplace_back(id);
            }
        }
    }
    return ids;
}

} // namespace

std::optional<SuppressionComment> parse_suppression(const Comment& comment)
{
    static const RE2 aiops_form(R"(aiops:\s*ignore(?:\[([^\]]*)\])?\s*(.*))");
    static const RE2 nosec_form(
        R"((?:^|[^A-Za-z0-9_])nosec(?::|\s)?\s*((?:[A-Za-z][A-Za-z0-9_.-]*(?:\s*,\s*|\s+)?)*)(.*))");
    std::string ids;
    std::string rest;
    SuppressionComment suppression;
    suppression.row = comment.end_row;
    suppression.alone = comment.alone;
    if (RE2::PartialMatch(comment.text, aiops_form, &ids, &rest)) {
        suppression.ids = split_ids(ids);
        suppression.justification = std::string(core::trim(rest));
        // Comment closers are not part of the reason.
        for (const char* closer : {"*/", "-->"}) {
            if (suppression.justification.ends_with(closer)) {
                suppression.justification.resize(suppression.justification.size()
                                                 - std::string_view(closer).size());
                suppression.justification = std::string(core::trim(suppression.justification));
            }
        }
        return suppression;
    }
    if (RE2::PartialMatch(comment.text, nosec_form, &ids, &rest)) {
        // Bandit reads ids such as B602; the words after them are the reason.
        std::vector<std::string> words;
        for (auto& id : split_ids(ids)) {
            const bool bandit_id = id.size() >= 2 && (id[0] == 'B' || id[0] == 'b')
                                   && std::isdigit(static_cast<unsigned char>(id[1])) != 0;
            if (bandit_id && words.empty()) {
                suppression.ids.push_back(id);
            } else {
                words.push_back(id);
            }
        }
        if (!core::trim(rest).empty()) {
            words.emplace_back(core::trim(rest));
        }
        suppression.justification = fmt::format("{}", fmt::join(words, " "));
        return suppression;
    }
    return std::nullopt;
}

bool covers(const SuppressionComment& suppression, const rules::Rule& rule)
{
    if (suppression.ids.empty()) {
        return true;
    }
    for (const auto& id : suppression.ids) {
        if (id == rule.id) {
            return true;
        }
        for (const auto& alias : rule.aliases) {
            if (core::to_lower(alias) == core::to_lower(id)) {
                return true;
            }
        }
    }
    return false;
}

} // namespace aiops::scan
