#pragma once
// Which axes a reduction may name (the shapes themselves come from each op's rule).
#include <array>
#include <cstddef>
#include <utility>

#include "shape.hpp"

namespace tapeless {

namespace detail {

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
};

}  // namespace detail

/// Whether Axes... name distinct axes of S (no axes: all of them).
template <class S, std::size_t... Axes>
inline constexpr bool reducible_v = detail::reduce_rule<S, false, Axes...>::valid;

}  // namespace tapeless
