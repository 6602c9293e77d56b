#pragma once
// slice — Math: the rows [Begin, End) of the leading axis (x[Begin:End] in PyTorch). The
// gradient is g in those rows and 0 elsewhere. A view: no copy.
// Example: `tl::slice<0, 32>(x)` for the first half of a batch of 64.
#include <cstddef>
#include <string_view>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/parameters.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace detail {
template <class S, std::size_t Begin, std::size_t End>
struct slice_rule {
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<(I == 0 ? End - Begin : S::extents[I])...>;
  using type = decltype(make(std::make_index_sequence<S::rank>{}));
};
}  // namespace detail

namespace ops {
template <std::size_t Begin, std::size_t End>
struct slice {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "slice";
  static constexpr std::size_t begin = Begin, end = End;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Begin, End, 11});
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = typename detail::slice_rule<S, Begin, End>::type;
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
