#pragma once
// reshape — Math: the same elements, in row-major order, under new extents (torch.reshape).
// One extent may be tl::dynamic; it is then inferred from the operand's size when data is
// bound. The gradient is g reshaped back. A view of contiguous data: no copy.
// Example: `tl::reshape<64, 10>(v)`, `tl::reshape<tl::dynamic, 4>(x)`.
#include <cstddef>
#include <string_view>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/parameters.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
template <class Target>
struct reshape {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "reshape";
  static constexpr std::uint64_t parameters_hash = [] {
    std::uint64_t h = detail::parameters_hash({Target::rank, 7});
    for (std::size_t e : Target::extents) h = detail::parameters_hash({h, e});
    return h;
  }();
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = Target;
};
}  // namespace ops

/// The elements of `a` under the extents (Extents...); at most one may be tl::dynamic.
template <std::size_t... Extents, expression A>
[[nodiscard]] constexpr auto reshape(const A& a) {
  using target = shape<Extents...>;
  using op = ops::reshape<target>;
  constexpr std::size_t dynamic_count = ((Extents == dynamic ? 1 : 0) + ... + 0);
  static_assert(dynamic_count <= 1, "tapeless::reshape: at most one extent of the new shape may be tl::dynamic");
  constexpr bool sizes_known = A::shape_type::is_static && target::is_static;
  if constexpr (sizes_known && A::shape_type::size != target::size) {
    if constexpr (!detail::contains_rejected_v<A>)
      (void)diagnostics::reshape_sizes_differ<A::shape_type::size, target::size>{};
    return node<ops::rejected<op>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}
}  // namespace tapeless
