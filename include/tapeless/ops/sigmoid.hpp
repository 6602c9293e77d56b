#pragma once
// sigmoid — Math: y = 1 / (1 + e^-a), dy/da = y (1 - y); evaluated without overflow for any a.
// Shapes: same.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct sigmoid : elementwise {
  static constexpr std::string_view name = "sigmoid";
  static constexpr auto forward(const auto& a) { return detail::math::sigmoid(a); }
  static constexpr bool vjp_reads_operands = false;  // the output suffices
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&) { return g * y * (1 - y); }
  static constexpr auto jvp(const auto& y, const auto&, const auto& da) { return y * (1 - y) * da; }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::sigmoid> sigmoid{};
}  // namespace tapeless
