#pragma once
// flip — Math: the elements in reverse order along the given axes (torch.flip(x, dims)). The
// gradient is g flipped back. A view: the axis' stride is negated, no copy.
// Shapes: unchanged.
// Example: `tl::flip<0>(x)` (rows reversed), `tl::flip<1, 2>(x)`.
#include <array>
#include <cstddef>
#include <string_view>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/extents.hpp"
#include "../core/parameters.hpp"
#include "../engine/tensor/layout.hpp"
#include "elementwise.hpp"

namespace tapeless {

namespace diagnostics {

template <std::size_t Rank, std::size_t... Axes>
struct flip_axes_invalid {
  static_assert(always_false_n<Rank, Axes...>,
                "tapeless::flip: the axes must be distinct axes of the operand (in flip_axes_invalid<rank, "
                "axes...>); axes count from 0");
};

}  // namespace diagnostics

namespace ops {
template <std::size_t... Axes>
struct flip {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "flip";
  static constexpr std::array<std::size_t, sizeof...(Axes)> flipped{Axes...};
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({sizeof...(Axes), Axes..., 17});

  /// Whether the axes are distinct axes of an operand of rank `rank`.
  static constexpr bool valid_for(std::size_t rank) {
    for (std::size_t i = 0; i < flipped.size(); ++i) {
      if (flipped[i] >= rank) return false;
      for (std::size_t j = i + 1; j < flipped.size(); ++j)
        if (flipped[i] == flipped[j]) return false;
    }
    return true;
  }
  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s{in[0]};
    if (!valid_for(in[0].rank)) s.error = "the axes must be distinct axes of the operand";
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = rule_shape_t<flip, S>;

  // A view with negative strides: matrices stay matrices when only batch axes are flipped.
  static constexpr bool covers_operand = true;
  static constexpr bool keeps_row_major_order = false;
  static constexpr layout_class result_layout(layout_class operand, std::size_t rank) {
    if (operand == layout_class::strided) return operand;
    for (std::size_t a : flipped)
      if (a + 2 >= rank) return layout_class::strided;
    return layout_class::matrix;
  }
  template <class T>
  static engine::tensor::layout<T> see(engine::tensor::layout<T> in, std::size_t, const engine::tensor::extents_t&) {
    for (std::size_t a : flipped) {
      if (in.ext[a] > 0) in.data += static_cast<std::ptrdiff_t>(in.ext[a] - 1) * in.stride[a];
      in.stride[a] = -in.stride[a];
    }
    return in;
  }
};
}  // namespace ops

/// `a` reversed along each of the axes Axes... (at least one).
template <std::size_t Axis, std::size_t... More, expression A>
[[nodiscard]] constexpr auto flip(const A& a) {
  using op = ops::flip<Axis, More...>;
  constexpr std::size_t rank = A::shape_type::rank;
  if constexpr (!op::valid_for(rank)) {
    if constexpr (!detail::contains_rejected_v<A>) (void)diagnostics::flip_axes_invalid<rank, Axis, More...>{};
    return node<ops::rejected<ops::flip<>>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}
}  // namespace tapeless
