#pragma once
// reshape — Math: the same elements, in row-major order, under new extents (torch.reshape).
// One extent may be tl::dynamic; it is then inferred from the operand's size when data is
// bound. The gradient is g reshaped back. A view of contiguous data: no copy.
// Example: `tl::reshape<64, 10>(v)`, `tl::reshape<tl::dynamic, 4>(x)`.
#include <cstddef>
#include <string_view>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/extents.hpp"
#include "../core/parameters.hpp"
#include "../engine/tensor/layout.hpp"
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

  static constexpr auto wrong_size = [] {
    static_text t;
    t << "the operand's elements do not fill the new shape [";
    for (std::size_t d = 0; d < Target::rank; ++d) {
      if (d) t << ", ";
      if (Target::extents[d] == dynamic) t << "dynamic";
      else t << Target::extents[d];
    }
    return t << "]";
  }();
  /// The shape rule: Target, with its one dynamic extent inferred from the operand's size.
  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s{extents_of<Target>};
    if (!in[0].known()) return s;
    std::size_t size = 1;
    for (std::size_t d = 0; d < in[0].rank; ++d) size *= in[0][d];
    std::size_t known = 1, hole = Target::rank;
    for (std::size_t d = 0; d < Target::rank; ++d) {
      if (Target::extents[d] == dynamic) hole = d;
      else known *= Target::extents[d];
    }
    if (hole < Target::rank) {
      if (known == 0 || size % known != 0) s.error = wrong_size.c_str();
      else s.out[hole] = size / known;
    } else if (known != size) {
      s.error = wrong_size.c_str();
    }
    return s;
  }
  template <class D>
  using dtype_rule = D;
  /// The declared shape is Target as written: a tl::dynamic extent stays dynamic in the type
  /// (so that it meets other dynamic extents) and is inferred when data is bound.
  template <class S>
  using shape_rule = Target;

  // A view of contiguous data; anything else is copied in row-major order.
  static constexpr bool covers_operand = true;
  static constexpr bool keeps_row_major_order = true;
  static constexpr layout_class result_layout(layout_class operand, std::size_t) {
    return operand == layout_class::contiguous ? layout_class::contiguous : layout_class::copy;
  }
  template <class T>
  static engine::tensor::layout<T> see(const engine::tensor::layout<T>& in, std::size_t,
                                       const engine::tensor::extents_t& out) {
    return {in.data, out, engine::tensor::contiguous_strides(out, Target::rank)};
  }
};
}  // namespace ops

/// The elements of `a` under the extents (Extents...); at most one may be tl::dynamic.
template <std::size_t... Extents, expression A>
[[nodiscard]] constexpr auto reshape(const A& a) {
  using target = shape<Extents...>;
  using op = ops::reshape<target>;
  constexpr std::size_t dynamic_count = ((Extents == dynamic ? 1 : 0) + ... + 0);
  static_assert(dynamic_count <= 1, "tapeless::reshape: at most one extent of the new shape may be tl::dynamic");
  if constexpr (!op::infer({extents_of<typename A::shape_type>}).ok()) {
    if constexpr (!detail::contains_rejected_v<A>)
      (void)diagnostics::reshape_sizes_differ<A::shape_type::size, (target::is_static ? target::size : dynamic)>{};
    return node<ops::rejected<op>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}
}  // namespace tapeless
