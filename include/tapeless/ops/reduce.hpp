#pragma once
// sum, mean, amax, amin — reductions over all axes or over given axes, with keepdims.
// Math: sum y = Σ a, mean y = Σ a / n, amax / amin the largest / smallest element (NaN wins).
// Gradients: sum gives g to every element; mean g / n; amax / amin share g evenly among the
// elements equal to the result (as torch.amax / torch.amin).
// Shapes: the reduced axes disappear, or stay with extent 1 under tl::keepdims.
// Example: `tl::sum(tl::square(y_pred - y))`, `tl::mean<1>(x, tl::keepdims)`, `tl::amax<0>(x)`.
#include <array>
#include <cstddef>
#include <string_view>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/parameters.hpp"
#include "../core/shape_algebra.hpp"
#include "elementwise.hpp"

namespace tapeless {

/// Keeps reduced axes with extent 1: `tl::sum<1>(x, tl::keepdims)`.
struct keepdims_t {};
inline constexpr keepdims_t keepdims{};

namespace ops {

enum class reduce_kind : unsigned char { sum, mean, max, min };

template <reduce_kind R, bool KeepDims, std::size_t... Axes>
struct reduce {
  static constexpr op_class category = op_class::reduction;
  static constexpr reduce_kind kind = R;
  static constexpr bool keep_dims = KeepDims;
  static constexpr std::size_t axis_count = sizeof...(Axes);
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  static constexpr std::string_view name = R == reduce_kind::sum    ? "sum"
                                           : R == reduce_kind::mean ? "mean"
                                           : R == reduce_kind::max  ? "amax"
                                                                    : "amin";
  static constexpr std::uint64_t parameters_hash =
      detail::parameters_hash({static_cast<std::uint64_t>(R), KeepDims, sizeof...(Axes), Axes...});

  /// Sums (a full one at the root is summed inside the reverse pass, reading each element once).
  static constexpr bool sums = R == reduce_kind::sum || R == reduce_kind::mean;
  /// amax / amin count the elements equal to each result (ties share the gradient).
  static constexpr std::size_t aux_buffers = sums ? 0 : 1;

  /// Whether axis d of the operand is reduced.
  static constexpr bool reduces(std::size_t d) {
    if constexpr (sizeof...(Axes) == 0) return true;
    else return ((d == Axes) || ...);
  }

  /// The shape rule: the reduced axes disappear, or stay with extent 1 under keepdims.
  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s;
    std::size_t j = 0;
    for (std::size_t d = 0; d < in[0].rank; ++d) {
      if (!reduces(d)) s.out[j++] = in[0][d];
      else if (KeepDims) s.out[j++] = 1;
    }
    s.out.rank = j;
    return s;
  }

  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = rule_shape_t<reduce, S>;

  // A reduction of a scalar is the scalar itself; these rules serve the scalar evaluator.
  static constexpr auto forward(const auto& a) { return a; }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&) { return g; }
  static constexpr auto jvp(const auto&, const auto&, const auto& da) { return da; }
};

}  // namespace ops

/// The shape of a reduction of S over Axes... (all axes when none are given); KeepDims keeps
/// each reduced axis with extent 1.
template <class S, bool KeepDims, std::size_t... Axes>
using reduce_t = rule_shape_t<ops::reduce<ops::reduce_kind::sum, KeepDims, Axes...>, S>;

namespace detail {

template <ops::reduce_kind R, bool KeepDims, std::size_t... Axes, class A>
constexpr auto make_reduce(const A& a) {
  using op = ops::reduce<R, KeepDims, Axes...>;
  using rule = detail::reduce_rule<typename A::shape_type, KeepDims, Axes...>;
  if constexpr (!rule::valid) {
    if constexpr (!contains_rejected_v<A>) {
      if constexpr (!rule::axes_in_range) {
        constexpr std::size_t bad = [] {
          for (std::size_t x : {Axes...})
            if (x >= A::shape_type::rank) return x;
          return std::size_t{0};
        }();
        (void)diagnostics::reduction_axis_out_of_range<bad, A::shape_type::rank>{};
      } else {
        (void)diagnostics::reduction_axes_repeated<Axes...>{};
      }
    }
    return node<ops::rejected<ops::reduce<R, KeepDims>>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}

}  // namespace detail

/// Σ over the given axes (all axes when none are given).
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto sum(const A& a) {
  return detail::make_reduce<ops::reduce_kind::sum, false, Axes...>(a);
}
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto sum(const A& a, keepdims_t) {
  return detail::make_reduce<ops::reduce_kind::sum, true, Axes...>(a);
}
/// The mean over the given axes (all axes when none are given).
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto mean(const A& a) {
  return detail::make_reduce<ops::reduce_kind::mean, false, Axes...>(a);
}
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto mean(const A& a, keepdims_t) {
  return detail::make_reduce<ops::reduce_kind::mean, true, Axes...>(a);
}
/// The largest element over the given axes (torch.amax).
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto amax(const A& a) {
  return detail::make_reduce<ops::reduce_kind::max, false, Axes...>(a);
}
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto amax(const A& a, keepdims_t) {
  return detail::make_reduce<ops::reduce_kind::max, true, Axes...>(a);
}
/// The smallest element over the given axes (torch.amin).
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto amin(const A& a) {
  return detail::make_reduce<ops::reduce_kind::min, false, Axes...>(a);
}
template <std::size_t... Axes, expression A>
[[nodiscard]] constexpr auto amin(const A& a, keepdims_t) {
  return detail::make_reduce<ops::reduce_kind::min, true, Axes...>(a);
}

}  // namespace tapeless
