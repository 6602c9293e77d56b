#pragma once
// add — Math: y = a + b. Shapes: broadcast. Example: `x + y`, `x + 1`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct add : elementwise_binary {
  static constexpr std::string_view name = "add";
  static constexpr auto forward(const auto& a, const auto& b) { return a + b; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&, const auto&) { return g; }
  static constexpr auto jvp(const auto&, const auto&, const auto&, const auto& da, const auto& db) {
    return da + db;
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::add, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::add (a + b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator+(const A& a, const B& b) {
  return detail::make_binary<ops::add>(a, b);
}
}  // namespace tapeless
