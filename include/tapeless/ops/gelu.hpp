#pragma once
// gelu — Math: y = a Φ(a) = a/2 (1 + erf(a/√2)) (PyTorch's default, approximate='none'),
// dy/da = Φ(a) + a φ(a), with φ the standard normal density. Finite for every finite a:
// Φ saturates to 0 or 1 and a φ(a) underflows to 0. Shapes: same.
#include <cmath>
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct gelu : elementwise {
  static constexpr std::string_view name = "gelu";
  template <class T>
  static constexpr T cdf(const T& a) {
    return T(0.5) * (T(1) + detail::math::erf(a * T(0.70710678118654752440)));
  }
  template <class T>
  static constexpr T pdf(const T& a) {
    return T(0.39894228040143267794) * detail::math::exp(T(-0.5) * a * a);
  }
  static constexpr auto forward(const auto& a) { return a * cdf(a); }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a) { return g * (cdf(a) + a * pdf(a)); }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) { return (cdf(a) + a * pdf(a)) * da; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::gelu> gelu{};
}  // namespace tapeless
