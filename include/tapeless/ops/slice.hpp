#pragma once
// slice — Math: the elements Begin, Begin + Step, ... below End along one axis
// (x[Begin:End:Step] in PyTorch, on the leading axis or any other). The gradient is g at those
// positions and 0 elsewhere. A view of any layout: no copy.
// Shapes: the axis gets ceil((End - Begin) / Step) elements; End = tl::to_end reaches the end
// of the axis (also a dynamic one).
// Example: `tl::slice<0, 32>(x)` (the first half of a batch of 64), `tl::slice<1, 7, 2>(x)`
// (rows 1, 3, 5), `tl::slice<0, 2>(x, tl::axis<1>)` (the first two columns),
// `tl::slice<1, tl::to_end>(x)` (all rows but the first).
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

/// Names an axis: `tl::slice<0, 2>(x, tl::axis<1>)`.
template <std::size_t A>
struct axis_t {
  static constexpr std::size_t value = A;
};
template <std::size_t A>
inline constexpr axis_t<A> axis{};

/// The end of an axis, as a slice's End: `tl::slice<1, tl::to_end>(x)`.
inline constexpr std::size_t to_end = dynamic;

namespace diagnostics {

template <std::size_t Axis, std::size_t Rank>
struct slice_axis_out_of_range {
  static_assert(always_false_n<Axis, Rank>,
                "tapeless::slice: the axis is not an axis of the operand (in slice_axis_out_of_range<axis, "
                "rank>); axes count from 0");
};

template <std::size_t Axis, std::size_t Begin, std::size_t End, std::size_t Step, std::size_t Extent>
struct slice_range_invalid {
  static_assert(always_false_n<Axis, Begin, End, Step, Extent>,
                "tapeless::slice: the range [begin, end) does not fit the extent along the axis (in "
                "slice_range_invalid<axis, begin, end, step, extent>); need begin < end <= extent and step >= 1");
};

}  // namespace diagnostics

namespace ops {
template <std::size_t Axis, std::size_t Begin, std::size_t End, std::size_t Step>
struct slice {
  static constexpr op_class category = op_class::view;
  static constexpr std::string_view name = "slice";
  static constexpr std::size_t axis = Axis, begin = Begin, end = End, step = Step;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Axis, Begin, End, Step, 11});

  static constexpr auto out_of_range = [] {
    static_text t;
    t << "the range [" << Begin << ", ";
    if (End == to_end) t << "end";
    else t << End;
    return t << ") with step " << Step << " does not fit the extent along axis " << Axis;
  }();
  /// The shape rule: ceil((End - Begin) / Step) elements along the axis.
  static constexpr shape_outcome infer(const std::array<extents, 1>& in) {
    shape_outcome s{in[0]};
    if (Axis >= in[0].rank || Step == 0) {
      s.error = out_of_range.c_str();
      return s;
    }
    const std::size_t extent = in[0][Axis];
    const std::size_t stop = End == to_end ? extent : End;
    if (stop == dynamic) {
      s.out[Axis] = dynamic;
      return s;
    }
    if (Begin >= stop || (extent != dynamic && stop > extent)) {
      s.error = out_of_range.c_str();
      s.out[Axis] = 1;
      return s;
    }
    s.out[Axis] = (stop - Begin + Step - 1) / Step;
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = rule_shape_t<slice, S>;

  // A view of any layout. Rows of a matrix (or every other row) are still a matrix; a step
  // along the last axis, or along either matrix axis of a transposed matrix, is not.
  static constexpr bool covers_operand = false;
  static constexpr bool keeps_row_major_order = false;
  static constexpr layout_class result_layout(layout_class operand, std::size_t rank) {
    if (operand == layout_class::strided) return operand;
    if (operand == layout_class::contiguous) {
      if (Axis == 0 && Step == 1) return operand;
      return Axis + 1 == rank && Step != 1 ? layout_class::strided : layout_class::matrix;
    }
    return Axis + 2 >= rank && Step != 1 ? layout_class::strided : layout_class::matrix;
  }
  template <class T>
  static engine::tensor::layout<T> see(engine::tensor::layout<T> in, std::size_t, const engine::tensor::extents_t& out) {
    in.data += static_cast<std::ptrdiff_t>(Begin) * in.stride[Axis];
    in.ext[Axis] = out[Axis];
    in.stride[Axis] *= static_cast<std::ptrdiff_t>(Step);
    return in;
  }
};
}  // namespace ops

namespace detail {
template <std::size_t Axis, std::size_t Begin, std::size_t End, std::size_t Step, class A>
constexpr auto make_slice(const A& a) {
  using S = typename A::shape_type;
  using op = ops::slice<Axis, Begin, End, Step>;
  if constexpr (Axis >= S::rank) {
    if constexpr (!contains_rejected_v<A>) (void)diagnostics::slice_axis_out_of_range<Axis, S::rank>{};
    return node<ops::rejected<ops::slice<0, 0, 1, 1>>, A>{a};
  } else if constexpr (!op::infer({extents_of<S>}).ok()) {
    if constexpr (!contains_rejected_v<A>)
      (void)diagnostics::slice_range_invalid<Axis, Begin, End, Step, S::extents[Axis]>{};
    return node<ops::rejected<ops::slice<0, 0, 1, 1>>, A>{a};
  } else if constexpr (A::positional) {
    return node<op, A>{a};
  } else {
    return node<op, A>{};
  }
}
}  // namespace detail

/// Elements Begin, Begin + Step, ... below End of the leading axis of `a` (x[Begin:End:Step]).
template <std::size_t Begin, std::size_t End, std::size_t Step = 1, expression A>
[[nodiscard]] constexpr auto slice(const A& a) {
  return detail::make_slice<0, Begin, End, Step>(a);
}
/// The same along axis Axis: `tl::slice<0, 2>(x, tl::axis<1>)` is x[:, 0:2].
template <std::size_t Begin, std::size_t End, std::size_t Step = 1, expression A, std::size_t Axis>
[[nodiscard]] constexpr auto slice(const A& a, axis_t<Axis>) {
  return detail::make_slice<Axis, Begin, End, Step>(a);
}
}  // namespace tapeless
