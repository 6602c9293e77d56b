#pragma once
// softplus — Math: y = log(1 + e^a) = max(a, 0) + log1p(e^-|a|) (no overflow), dy/da = sigmoid(a).
// Shapes: same.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct softplus : elementwise {
  static constexpr std::string_view name = "softplus";
  static constexpr auto forward(const auto& a) { return detail::math::softplus(a); }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) {
    return g * detail::math::sigmoid(a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    return detail::math::sigmoid(a) * da;
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::softplus> softplus{};
}  // namespace tapeless
