#pragma once
// cos — Math: y = cos a, dy/da = -sin a. Shapes: same.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct cos : elementwise {
  static constexpr std::string_view name = "cos";
  static constexpr auto forward(const auto& a) {
    return detail::math::cos(a);
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) {
    return -g * detail::math::sin(a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    return -detail::math::sin(a) * da;
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::cos> cos{};
}  // namespace tapeless
