#pragma once

#include "llm/failure.hpp"
#include "llm/model.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::llm {

/// USD per million tokens.
struct ModelPrice
{
    double input = 0;
    double cached_input = 0; ///< prompt tokens read from the provider's cache
    double output = 0;
    double cache_write = 0;    ///< prompt tokens written to the cache for five minutes
    double cache_write_1h = 0; ///< prompt tokens written to the cache for an hour
};

/// Prices by "provider:model". A model's price is found by exact name first, then by the
/// longest entry its name starts with followed by '-', so "gpt-4o-2024-08-06" finds "gpt-4o" and
/// "claude-sonnet-4-20250514" finds "claude-sonnet-4".
class PriceTable
{
public:
    /// The table built into aiops (lib/llm/prices.json).
    static const PriceTable& builtin();

    /// Reads a table in the format of prices.json; fails with configuration. An entry
    /// without cached_input prices cache reads at its input rate, one without cache_write
    /// prices cache writes at it, and one without cache_write_1h uses cache_write.
    static Outcome<PriceTable> from_json(std::string_view text);

    /// Adds or replaces one entry (the config file's overrides).
    void set(const std::string& provider_model, ModelPrice price);

    /// Adds or replaces every entry of another table (a price file's overrides).
    void merge(const PriceTable& overrides);

    std::optional<ModelPrice> find(std::string_view provider, std::string_view model) const;

    /// The date the prices were taken ("2025-08-01").
    const std::string& as_of() const { return m_as_of; }

    std::size_t size() const { return m_prices.size(); }

private:
    std::map<std::string, ModelPrice, std::less<>> m_prices;
    std::string m_as_of;
};

/// The cost of a call's usage in USD: uncached input, cache reads, cache writes of each
/// lifetime and output, each at its rate and none counted twice.
double cost_usd(const ModelPrice& price, const Usage& usage);

/// The text of lib/llm/prices.json, compiled in.
std::string_view builtin_price_table_json();

} // namespace aiops::llm
