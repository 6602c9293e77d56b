#pragma once
// slice — Math: the rows [Begin, End) of the leading axis (x[Begin:End] in PyTorch). The
// gradient is g in those rows and 0 elsewhere. A view: no copy.
// Example: `tl::slice<0, 32>(x)` for the first half of a batch of 64.
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
template <std::size_t Begin, std::size_t End>
struct slice {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "slice";
  static constexpr std::size_t begin = Begin, end = End;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Begin, End, 11});

  static constexpr auto out_of_range =
      static_text{} << "rows [" << Begin << ", " << End << ") do not fit the operand's leading extent";
  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s{in[0]};
    if (in[0].rank == 0) return s;
    if (in[0][0] != dynamic && End > in[0][0]) s.error = out_of_range.c_str();
    s.out[0] = End - Begin;
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = rule_shape_t<slice, S>;

  // A view of any layout: rows of a matrix are still a matrix.
  static constexpr bool covers_operand = false;
  static constexpr bool keeps_row_major_order = false;
  static constexpr layout_class result_layout(layout_class operand, std::size_t) { return operand; }
  template <class T>
  static engine::tensor::layout<T> see(engine::tensor::layout<T> in, std::size_t, const engine::tensor::extents_t&) {
    in.data += static_cast<std::ptrdiff_t>(Begin) * in.stride[0];
    in.ext[0] = End - Begin;
    return in;
  }
};
}  // namespace ops

/// Rows [Begin, End) of the leading axis of `a` (rank >= 1).
template <std::size_t Begin, std::size_t End, expression A>
[[nodiscard]] constexpr auto slice(const A& a) {
  using S = typename A::shape_type;
  constexpr std::size_t extent = S::rank > 0 ? S::extents[0] : 0;
  constexpr bool ok = S::rank > 0 && Begin < End && (extent == dynamic || End <= extent);
  if constexpr (!ok) {
    if constexpr (!detail::contains_rejected_v<A>) (void)diagnostics::slice_out_of_range<Begin, End, extent>{};
    return node<ops::rejected<ops::slice<0, 1>>, A>{a};
  } else if constexpr (A::positional) {
    return node<ops::slice<Begin, End>, A>{a};
  } else {
    return node<ops::slice<Begin, End>, A>{};
  }
}
}  // namespace tapeless
