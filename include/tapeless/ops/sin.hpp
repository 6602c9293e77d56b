#pragma once
// sin — Math: y = sin a, dy/da = cos a. Shapes: same.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct sin : elementwise {
  static constexpr std::string_view name = "sin";
  static constexpr auto forward(const auto& a) {
    return detail::math::sin(a);
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) {
    return g * detail::math::cos(a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    return detail::math::cos(a) * da;
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::sin> sin{};
}  // namespace tapeless
