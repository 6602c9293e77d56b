#pragma once
// concatenate — Math: operands joined along axis Axis (torch.cat); they agree in every other
// extent. The gradient of each operand is its part of g. Two to four operands.
// Example: `tl::concatenate<1>(a, b)` for a (64, 3) and b (64, 5) gives (64, 8).
#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/parameters.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace detail {
template <std::size_t Axis, class S0, class... S>
struct concatenate_rule {
  static constexpr std::size_t rank = S0::rank;
  static constexpr bool ranks_match = ((S::rank == rank) && ...) && Axis < rank;
  static constexpr std::array<std::size_t, rank> out = [] {
    std::array<std::size_t, rank> e = S0::extents;
    if constexpr (Axis < rank) {
      bool any_dynamic = e[Axis] == dynamic;
      std::size_t total = e[Axis];
      ((any_dynamic = any_dynamic || (S::rank > Axis && S::extents[Axis] == dynamic),
        total += (S::rank > Axis ? S::extents[Axis] : 0)),
       ...);
      e[Axis] = any_dynamic ? dynamic : total;
    }
    return e;
  }();
  template <class T>
  static constexpr bool agrees() {
    if constexpr (T::rank != rank) return false;
    else {
      for (std::size_t d = 0; d < rank; ++d)
        if (d != Axis && T::extents[d] != S0::extents[d]) return false;
      return true;
    }
  }
  static constexpr bool valid = ranks_match && (agrees<S>() && ...);
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<out[I]...>;
  using type = decltype(make(std::make_index_sequence<rank>{}));
};
}  // namespace detail

namespace ops {
template <std::size_t Axis>
struct concatenate {
  static constexpr op_class category = op_class::concat;
  static constexpr std::string_view name = "concatenate";
  static constexpr std::size_t axis = Axis;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Axis, 13});
  template <class D0, class... D>
  using dtype_rule = D0;
  template <class... S>
  using shape_rule = typename detail::concatenate_rule<Axis, S...>::type;
};
}  // namespace ops

/// Joins two to four operands along axis Axis.
template <std::size_t Axis, expression A, expression... More>
  requires(sizeof...(More) >= 1 && sizeof...(More) <= 3)
[[nodiscard]] constexpr auto concatenate(const A& a, const More&... more) {
  using rule = detail::concatenate_rule<Axis, typename A::shape_type, typename More::shape_type...>;
  constexpr bool same_dtype = (std::is_same_v<typename A::value_type, typename More::value_type> && ...);
  if constexpr (!same_dtype || !rule::valid) {
    if constexpr (!detail::contains_rejected_v<A> && !(detail::contains_rejected_v<More> || ...)) {
      if constexpr (!same_dtype) {
        (void)diagnostics::dtypes_differ<ops::concatenate<Axis>, typename A::value_type,
                                         std::common_type_t<typename More::value_type...>>{};
      } else {
        // Name the first operand that disagrees with the first one.
        constexpr std::size_t bad = [] {
          constexpr bool ok[] = {rule::template agrees<typename More::shape_type>()...};
          std::size_t i = 0;
          while (i < sizeof...(More) && ok[i]) ++i;
          return i < sizeof...(More) ? i : 0;
        }();
        using other = std::tuple_element_t<bad, std::tuple<typename More::shape_type...>>;
        (void)diagnostics::concatenate_shapes_differ<Axis, typename A::shape_type, other>{};
      }
    }
    return node<ops::rejected<ops::concatenate<0>>, A, More...>{a, more...};
  } else if constexpr (!A::positional && !(More::positional || ...)) {
    return node<ops::concatenate<Axis>, A, More...>{};
  } else {
    return node<ops::concatenate<Axis>, A, More...>{a, more...};
  }
}
}  // namespace tapeless
