#pragma once
// negate — Math: y = -a. Shapes: same. Example: `-x`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct negate : elementwise {
  static constexpr std::string_view name = "neg";
  static constexpr auto forward(const auto& a) { return -a; }
  static constexpr bool vjp_reads_operands = false;  // the output suffices
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&) { return -g; }
  static constexpr auto jvp(const auto&, const auto&, const auto& da) { return -da; }
};
}  // namespace ops

template <expression A>
[[nodiscard]] constexpr auto operator-(const A& a) {
  if constexpr (A::positional) return node<ops::negate, A>{a};
  else return node<ops::negate, A>{};
}
}  // namespace tapeless
