#pragma once
// broadcast_to — Math: y = a repeated along the axes where the target shape is larger (NumPy
// broadcasting, as torch.broadcast_to). The gradient sums over the repeated axes. Elementwise:
// it fuses with its neighbours and costs no memory of its own.
// Example: `tl::broadcast_to<64, 10>(b)` for b of shape (10) or (1, 10).
#include <cstddef>
#include <string_view>

#include "../core/parameters.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
template <class Target>
struct broadcast_to : elementwise {
  static constexpr std::string_view name = "broadcast_to";
  template <class S>
  using shape_rule = Target;
  static constexpr std::uint64_t parameters_hash = [] {
    std::uint64_t h = detail::parameters_hash({Target::rank});
    for (std::size_t e : Target::extents) h = detail::parameters_hash({h, e});
    return h;
  }();
  static constexpr auto forward(const auto& a) { return a; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&) { return g; }
  static constexpr auto jvp(const auto&, const auto&, const auto& da) { return da; }
};
}  // namespace ops

/// Repeats `a` to the shape (Extents...): `tl::broadcast_to<64, 10>(b)`.
template <std::size_t... Extents, expression A>
[[nodiscard]] constexpr auto broadcast_to(const A& a) {
  using target = shape<Extents...>;
  using op = ops::broadcast_to<target>;
  constexpr bool ok = broadcastable_v<typename A::shape_type, target> &&
                      std::is_same_v<broadcast_t<typename A::shape_type, target>, target>;
  if constexpr (!ok) {
    if constexpr (!detail::contains_rejected_v<A>) (void)diagnostics::cannot_broadcast_to<target, typename A::shape_type>{};
    return node<ops::rejected<op>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}
}  // namespace tapeless
