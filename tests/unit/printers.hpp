#pragma once

// How doctest shows std::optional and std::vector values when a check fails, so a
// failing comparison prints the values instead of "{?}".

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace doctest {

template <typename T> struct StringMaker<std::optional<T>>
{
    static String convert(const std::optional<T>& value)
    {
        if (!value) {
            return "nullopt";
        }
        return toString(*value);
    }
};

template <typename T> struct StringMaker<std::vector<T>>
{
    static String convert(const std::vector<T>& values)
    {
        String out = "{";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) {
                out += ", ";
            }
            out += toString(values[i]);
        }
        out += "}";
        return out;
    }
};

} // namespace doctest
