#pragma once
// Element types a leaf may hold. float and double; the dtype is part of every node's type.
#include <concepts>
#include <string_view>
#include <type_traits>

namespace tapeless {

template <class T>
concept dtype = std::same_as<T, float> || std::same_as<T, double>;

template <dtype T>
inline constexpr std::string_view dtype_name = std::same_as<T, float> ? "float32" : "float64";

/// A plain number that may appear next to an expression (3 * x, x / 2.0).
template <class T>
concept arithmetic = std::is_arithmetic_v<T> && !std::same_as<T, bool>;

}  // namespace tapeless
