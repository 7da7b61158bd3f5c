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
        for (const char* key : {"cached_input", "cache_write", "cache_write_1h"}) {
            if (entry.contains(key) && !entry[key].is_number()) {
                return bad(fmt::format("'{}': \"{}\" must be a number", name, key));
            }
        }
        price.cached_input = entry.value("cached_input", price.input);
        price.cache_write = entry.value("cache_write", price.input);
        price.cache_write_1h = entry.value("cache_write_1h", price.cache_write);
        table.m_prices[name] = price;
    }
    return table;
}

void PriceTable::set(const std::string& provider_model, ModelPrice price)
{
    m_prices[provider_model] = price;
}

void PriceTable::merge(const PriceTable& overrides)
{
    for (const auto& [name, price] : overrides.m_prices) {
        m_prices[name] = price;
    }
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
    // Each part is clamped to what is left of input, so a server's inconsistent figures
    // never make a part negative or price a token twice.
    std::int64_t left = std::max<std::int64_t>(usage.input_tokens, 0);
    const auto take = [&left](std::int64_t tokens) {
        const std::int64_t taken = std::clamp<std::int64_t>(tokens, 0, left);
        left -= taken;
        return static_cast<double>(taken);
    };
    const double read = take(usage.cached_input_tokens);
    const double written_1h = take(usage.cache_write_1h_input_tokens);
    const double written_5m =
        take(usage.cache_write_input_tokens - usage.cache_write_1h_input_tokens);
    const double uncached = static_cast<double>(left);
    return (uncached * price.input + read * price.cached_input + written_5m * price.cache_write
            + written_1h * price.cache_write_1h
            + static_cast<double>(usage.output_tokens) * price.output)
           / 1'000'000.0;
}

} // namespace aiops::llm
