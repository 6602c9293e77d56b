#pragma once
// cos — Math: y = cos a, dy/da = -sin a. Shapes: same.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct cos : elementwise {
  static constexpr std::string_view name = "cos";
  static constexpr auto forward(const auto& a) {
    using std::cos;
    return cos(a);
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) {
    using std::sin;
    return -g * sin(a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    using std::sin;
    return -sin(a) * da;
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::cos> cos{};
}  // namespace tapeless
