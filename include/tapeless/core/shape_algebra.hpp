#pragma once
// Shape rules of the non-elementwise ops, as compile-time code: matrix products (2-D, and
// batched with a leading batch extent) and reductions over given axes. Each rule reports
// whether its operands fit, so the op's entry point can state the mistake once.
#include <array>
#include <cstddef>
#include <utility>

#include "shape.hpp"

namespace tapeless {

namespace detail {

template <class A, class B>
struct matmul_rule {
  static constexpr bool valid = false;
  using type = A;
};

// (m, k) x (k, n) -> (m, n)
template <std::size_t M, std::size_t K1, std::size_t K2, std::size_t N>
struct matmul_rule<shape<M, K1>, shape<K2, N>> {
  static constexpr bool valid = K1 == K2 && K1 != dynamic;
  using type = shape<M, N>;
};

// (b, m, k) x (b, k, n) -> (b, m, n)
template <std::size_t B1, std::size_t M, std::size_t K1, std::size_t B2, std::size_t K2, std::size_t N>
struct matmul_rule<shape<B1, M, K1>, shape<B2, K2, N>> {
  static constexpr bool valid = K1 == K2 && K1 != dynamic && B1 == B2;
  using type = shape<B1, M, N>;
};

template <class S, bool KeepDims, std::size_t... Axes>
struct reduce_rule {
  static constexpr std::size_t rank = S::rank;
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  static constexpr bool axes_in_range = ((Axes < rank) && ...);
  static constexpr bool axes_distinct = [] {
    for (std::size_t i = 0; i < axes.size(); ++i)
      for (std::size_t j = i + 1; j < axes.size(); ++j)
        if (axes[i] == axes[j]) return false;
    return true;
  }();
  static constexpr bool valid = axes_in_range && axes_distinct;
  static constexpr bool reduced(std::size_t d) {
    if constexpr (sizeof...(Axes) == 0) return true;  // no axes: every axis
    else return ((d == Axes) || ...);
  }
  static constexpr std::size_t out_rank = [] {
    std::size_t n = 0;
    for (std::size_t d = 0; d < rank; ++d) n += KeepDims || !reduced(d);
    return n;
  }();
  static constexpr std::array<std::size_t, out_rank> out_extents = [] {
    std::array<std::size_t, out_rank> e{};
    std::size_t j = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      if (!reduced(d)) e[j++] = S::extents[d];
      else if (KeepDims) e[j++] = 1;
    }
    return e;
  }();
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<out_extents[I]...>;
  using type = decltype(make(std::make_index_sequence<out_rank>{}));
};

}  // namespace detail

/// Whether A and B can be multiplied as matrices (2-D, or batched 3-D with equal batch).
template <class A, class B>
inline constexpr bool matmul_compatible_v = detail::matmul_rule<A, B>::valid;

/// The shape of A x B (meaningful when matmul_compatible_v<A, B>).
template <class A, class B>
using matmul_t = typename detail::matmul_rule<A, B>::type;

/// Whether Axes... name distinct axes of S (no axes: all of them).
template <class S, std::size_t... Axes>
inline constexpr bool reducible_v = detail::reduce_rule<S, false, Axes...>::valid;

/// The shape of a reduction of S over Axes... (all axes when none are given); KeepDims keeps
/// each reduced axis with extent 1.
template <class S, bool KeepDims, std::size_t... Axes>
using reduce_t = typename detail::reduce_rule<S, KeepDims, Axes...>::type;

}  // namespace tapeless
