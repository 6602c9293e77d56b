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
#include "../core/parameters.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace detail {
template <class S, std::size_t D0, std::size_t D1>
struct transpose_rule {
  static constexpr std::array<std::size_t, S::rank> out = [] {
    std::array<std::size_t, S::rank> e = S::extents;
    if constexpr (D0 < S::rank && D1 < S::rank) std::swap(e[D0], e[D1]);
    return e;
  }();
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<out[I]...>;
  using type = decltype(make(std::make_index_sequence<S::rank>{}));
};
}  // namespace detail

namespace ops {
template <std::size_t D0, std::size_t D1>
struct transpose {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "transpose";
  static constexpr std::size_t axis0 = D0, axis1 = D1;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({D0, D1});
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = typename detail::transpose_rule<S, D0, D1>::type;
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
