#pragma once
// relu — Math: y = max(a, 0), dy/da = 0 where a <= 0, else 1: 0 at a = 0, and NaN propagates
// with gradient 1 (as PyTorch). Shapes: same.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct relu : elementwise {
  static constexpr std::string_view name = "relu";
  static constexpr auto forward(const auto& a) { return detail::math::select(a < 0, detail::math::filled_like(a, 0), a); }
  // Read from the output, as PyTorch's threshold_backward: y <= 0 exactly where a <= 0 (NaN
  // passes in both), so a loop may overwrite a with y.
  static constexpr bool vjp_reads_operands = false;
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto&) {
    return detail::math::select(y <= 0, detail::math::filled_like(g, 0), g);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& da) {
    return detail::math::select(a <= 0, detail::math::filled_like(da, 0), da);
  }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::relu> relu{};
}  // namespace tapeless
