#pragma once
// tanh — Math: y = tanh a, dy/da = 1 - y^2. Shapes: same. Saturates cleanly for large |a|.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct tanh : elementwise {
  static constexpr std::string_view name = "tanh";
  static constexpr auto forward(const auto& a) {
    return detail::math::tanh(a);
  }
  static constexpr bool vjp_reads_operands = false;  // the output suffices
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&) { return g * (1 - y * y); }
  static constexpr auto jvp(const auto& y, const auto&, const auto& da) { return (1 - y * y) * da; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::tanh> tanh{};
}  // namespace tapeless
