#pragma once
// div — Math: y = a / b. dy/da = 1/b, dy/db = -a/b^2 = -y/b. Shapes: broadcast. Example: `x / 2.0`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct div : elementwise_binary {
  static constexpr std::string_view name = "div";
  static constexpr auto forward(const auto& a, const auto& b) { return a / b; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&, const auto& b) {
    if constexpr (K == 0) return g / b;
    else return -g * y / b;
  }
  static constexpr auto jvp(const auto& y, const auto&, const auto& b, const auto& da, const auto& db) {
    return (da - y * db) / b;
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::div, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::div (a / b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator/(const A& a, const B& b) {
  return detail::make_binary<ops::div>(a, b);
}
}  // namespace tapeless
