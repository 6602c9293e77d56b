#pragma once
// log — Math: y = ln a, dy/da = 1/a. Shapes: same. Example: `tl::log(tl::sigmoid(x))`.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct log : elementwise {
  static constexpr std::string_view name = "log";
  static constexpr auto forward(const auto& a) {
    return detail::math::log(a);
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) { return g / a; }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) { return da / a; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::log> log{};
}  // namespace tapeless
