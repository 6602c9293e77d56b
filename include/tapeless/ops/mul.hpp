#pragma once
// mul — Math: y = a * b (elementwise). Shapes: broadcast. Example: `w * x`, `3 * x`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct mul : elementwise_binary {
  static constexpr std::string_view name = "mul";
  static constexpr auto forward(const auto& a, const auto& b) { return a * b; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a, const auto& b) {
    if constexpr (K == 0) return g * b;
    else return g * a;
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& b, const auto& da, const auto& db) {
    return da * b + a * db;
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::mul, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::mul (a * b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator*(const A& a, const B& b) {
  return detail::make_binary<ops::mul>(a, b);
}
}  // namespace tapeless
