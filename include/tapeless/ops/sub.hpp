#pragma once
// sub — Math: y = a - b. Shapes: broadcast. Example: `y - w * x`, `1 - x`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct sub : elementwise_binary {
  static constexpr std::string_view name = "sub";
  static constexpr auto forward(const auto& a, const auto& b) { return a - b; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&, const auto&) {
    if constexpr (K == 0) return g;
    else return -g;
  }
  static constexpr auto jvp(const auto&, const auto&, const auto&, const auto& da, const auto& db) {
    return da - db;
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::sub, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::sub (a - b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator-(const A& a, const B& b) {
  return detail::make_binary<ops::sub>(a, b);
}
}  // namespace tapeless
