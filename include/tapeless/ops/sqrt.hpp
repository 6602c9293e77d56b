#pragma once
// sqrt — Math: y = sqrt(a), dy/da = 1 / (2y). Shapes: same. Example: `tl::sqrt(x * x + 1)`.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct sqrt : elementwise {
  static constexpr std::string_view name = "sqrt";
  static constexpr auto forward(const auto& a) {
    return detail::math::sqrt(a);
  }
  static constexpr bool vjp_reads_operands = false;  // the output suffices
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&) { return g / (2 * y); }
  static constexpr auto jvp(const auto& y, const auto&, const auto& da) { return da / (2 * y); }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::sqrt> sqrt{};
}  // namespace tapeless
