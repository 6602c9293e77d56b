#pragma once
// square — Math: y = a^2, dy/da = 2a. Shapes: same. Example: `tl::square(y - w * x)`.
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct square : elementwise {
  static constexpr std::string_view name = "square";
  static constexpr auto forward(const auto& a) { return a * a; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) { return 2 * g * a; }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) { return 2 * a * da; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::square> square{};
}  // namespace tapeless
