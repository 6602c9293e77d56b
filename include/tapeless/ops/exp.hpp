#pragma once
// exp — Math: y = e^a, dy/da = y. Shapes: same. Example: `tl::exp(-x)`.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct exp : elementwise {
  static constexpr std::string_view name = "exp";
  static constexpr auto forward(const auto& a) {
    return detail::math::exp(a);
  }
  static constexpr bool vjp_reads_operands = false;  // the output suffices
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&) { return g * y; }
  static constexpr auto jvp(const auto& y, const auto&, const auto& da) { return y * da; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::exp> exp{};
}  // namespace tapeless
