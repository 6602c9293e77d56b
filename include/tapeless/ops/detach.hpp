#pragma once
// detach — Math: y = a in the forward pass; no gradient flows back through it (PyTorch's
// tensor.detach(), JAX's stop_gradient). Shapes: same. Example: `x - tl::detach(tl::amax<1>(x, tl::keepdims))`.
// The graph planner reads `stops_gradient` and gives no adjoint to a detach node, so nothing
// below it is differentiated on its account.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct detach : elementwise {
  static constexpr std::string_view name = "detach";
  static constexpr bool stops_gradient = true;
  static constexpr auto forward(const auto& a) { return a; }
  static constexpr bool vjp_reads_operands = false;
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&) { return detail::math::filled_like(g, 0); }
  static constexpr auto jvp(const auto&, const auto&, const auto& da) { return detail::math::filled_like(da, 0); }
};
}  // namespace ops

inline constexpr ops::unary_function<ops::detach> detach{};
}  // namespace tapeless
