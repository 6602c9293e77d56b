#pragma once
// abs — Math: y = |a|, dy/da = sign(a) with sign(0) = 0 (as PyTorch). Shapes: same.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct abs : elementwise {
  static constexpr std::string_view name = "abs";
  static constexpr auto forward(const auto& a) {
    return detail::math::fabs(a);
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) {
    return g * detail::math::sign(a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    return detail::math::sign(a) * da;
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::abs> abs{};
}  // namespace tapeless
