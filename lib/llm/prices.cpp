#include "llm/prices.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace aiops::llm {

const PriceTable& PriceTable::builtin()
{
    static const PriceTable table = [] {
        auto parsed = from_json(builtin_price_table_json());
        return parsed ? std::move(parsed).value() : PriceTable();
    }();
    return table;
}

Outcome<PriceTable> PriceTable::from_json(std::string_view text)
{
    const auto bad = [](const std::string& what) {
        return make_failure(FailureKind::configuration, fmt::format("bad price table: {}", what));
    };
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("models")
        || !document["models"].is_object()) {
        return bad("expected an object with a \"models\" object");
    }
    PriceTable table;
    table.m_as_of = document.value("prices_as_of", "");
    for (const auto& [name, entry] : document["models"].items()) {
        if (!entry.is_object() || !entry.contains("input") || !entry.contains("output")
            || !entry["input"].is_number() || !entry["output"].is_number()) {
            return bad(fmt::format("'{}' needs numbers \"input\" and \"output\"", name));
        }
        ModelPrice price;
        price.input = entry["input"].get<double>();
        price.output = entry["output"].get<double>();
        price.cached_input = entry.value("cached_input", price.input);
        table.m_prices[name] = price;
    }
    return table;
}

void PriceTable::set(const std::string& provider_model, ModelPrice price)
{
    m_prices[provider_model] = price;
}

std::optional<ModelPrice> PriceTable::find(std::string_view provider, std::string_view model) const
{
    const std::string name = fmt::format("{}:{}", provider, model);
    if (const auto exact = m_prices.find(name); exact != m_prices.end()) {
        return exact->second;
    }
    std::optional<ModelPrice> best;
    std::size_t best_length = 0;
    for (const auto& [entry, price] : m_prices) {
        // The entry must end at a '-' of the name: "o3" covers "o3-2025-04-16", not "o30".
        if (name.starts_with(entry) && name[entry.size()] == '-' && entry.size() > best_length) {
            best = price;
            best_length = entry.size();
        }
    }
    return best;
}

double cost_usd(const ModelPrice& price, const Usage& usage)
{
    const std::int64_t cached =
        std::clamp<std::int64_t>(usage.cached_input_tokens, 0, usage.input_tokens);
    const double uncached = static_cast<double>(usage.input_tokens - cached);
    return (uncached * price.input + static_cast<double>(cached) * price.cached_input
            + static_cast<double>(usage.output_tokens) * price.output)
           / 1'000'000.0;
}

} // namespace aiops::llm
