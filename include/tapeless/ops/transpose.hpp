#pragma once
// transpose — Math: swaps two axes (the last two by default, as `x.mT`; `transpose<0, 2>(x)`
// as torch.transpose(x, 0, 2)). The gradient is the same swap of g. A view: no copy, and
// under matmul a flag to BLAS.
// Example: `tl::matmul(tl::transpose(x), g)`.
#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/extents.hpp"
#include "../core/parameters.hpp"
#include "../engine/tensor/layout.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
template <std::size_t D0, std::size_t D1>
struct transpose {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "transpose";
  static constexpr std::size_t axis0 = D0, axis1 = D1;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({D0, D1});

  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s{in[0]};
    if (D0 < in[0].rank && D1 < in[0].rank) std::swap(s.out[D0], s.out[D1]);
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = rule_shape_t<transpose, S>;

  // A view. A swap of the last two axes of matrices stays readable by BLAS (a flag); other
  // swaps are copied, so that matrix kernels and loops read rows.
  static constexpr bool covers_operand = true;
  static constexpr bool keeps_row_major_order = false;
  static constexpr layout_class result_layout(layout_class operand, std::size_t rank) {
    const bool last_two = rank >= 2 && D0 == rank - 2 && D1 == rank - 1;
    if (!last_two) return layout_class::copy;
    return operand == layout_class::strided ? layout_class::strided : layout_class::matrix;
  }
  template <class T>
  static engine::tensor::layout<T> see(engine::tensor::layout<T> in, std::size_t, const engine::tensor::extents_t&) {
    std::swap(in.ext[D0], in.ext[D1]);
    std::swap(in.stride[D0], in.stride[D1]);
    return in;
  }
};
}  // namespace ops

namespace detail {
template <std::size_t D0, std::size_t D1, class A>
constexpr auto make_transpose(const A& a) {
  constexpr std::size_t rank = A::shape_type::rank;
  if constexpr (D0 >= rank || D1 >= rank || rank < 2) {
    if constexpr (!contains_rejected_v<A>) (void)diagnostics::transpose_axis_out_of_range<D0, D1, rank>{};
    return node<ops::rejected<ops::transpose<0, 0>>, A>{a};
  } else {
    constexpr std::size_t lo = D0 < D1 ? D0 : D1, hi = D0 < D1 ? D1 : D0;
    if constexpr (A::positional) return node<ops::transpose<lo, hi>, A>{a};
    else return node<ops::transpose<lo, hi>, A>{};
  }
}
}  // namespace detail

/// Swaps the last two axes (rank >= 2).
template <expression A>
[[nodiscard]] constexpr auto transpose(const A& a) {
  constexpr std::size_t rank = A::shape_type::rank;
  return detail::make_transpose<(rank >= 2 ? rank - 2 : 0), (rank >= 2 ? rank - 1 : 1)>(a);
}
/// Swaps axes D0 and D1.
template <std::size_t D0, std::size_t D1, expression A>
[[nodiscard]] constexpr auto transpose(const A& a) {
  return detail::make_transpose<D0, D1>(a);
}
}  // namespace tapeless
