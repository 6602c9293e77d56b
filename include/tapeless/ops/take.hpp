#pragma once
// take — Math: y = x gathered along axis Axis at integer positions: y[..., k, ...] =
// x[..., indices[k], ...] (torch.index_select(x, Axis, indices)). The gradient scatters g back
// with accumulation (an index repeated k times receives k contributions); the indices get none.
// Shapes: x's shape with the axis' extent replaced by the number of indices.
// Indices are a rank-1 expression of x's dtype holding whole numbers (usually an input leaf);
// one that is not a whole number in [0, extent) throws tl::index_error naming the leaves, the
// position and the index, before anything is written.
// Example: `tl::take<0>(embedding, tokens)` (rows of a table), `tl::take<1>(x, columns)`.
#include <array>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/extents.hpp"
#include "../detail/dual.hpp"
#include "../core/parameters.hpp"
#include "../engine/tensor/kernel_api.hpp"
#include "elementwise.hpp"

namespace tapeless {

/// An index that is not a position along the axis it indexes.
class index_error : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};

namespace diagnostics {

template <std::size_t Axis, std::size_t Rank, std::size_t IndicesRank>
struct take_operands_invalid {
  static_assert(always_false_n<Axis, Rank, IndicesRank>,
                "tapeless::take: the axis must be an axis of x and the indices a rank-1 expression (in "
                "take_operands_invalid<axis, rank of x, rank of indices>)");
};

}  // namespace diagnostics

namespace ops {
template <std::size_t Axis>
struct take {
  static constexpr op_class category = op_class::kernel;
  static constexpr std::string_view name = "take";
  static constexpr std::size_t axis = Axis;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Axis, 19});
  static constexpr bool backward_reads_output = false;

  static constexpr shape_outcome infer(const std::array<extents, 2>& in) {
    shape_outcome s{in[0]};
    if (Axis >= in[0].rank || in[1].rank != 1) {
      s.error = "the axis must be an axis of x and the indices a rank-1 expression";
      return s;
    }
    s.out[Axis] = in[1][0];
    return s;
  }
  template <class D0, class D1>
  using dtype_rule = D0;
  template <class S0, class S1>
  using shape_rule = rule_shape_t<take, S0, S1>;

  template <auto Info, class T>
  static void forward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    const auto& src = *x.in[0];
    auto& dst = *x.out;
    const std::size_t count = x.in[1]->ext[0];
    check_indices(x, count);
    for (std::size_t k = 0; k < count; ++k)
      for_each_slab(Info.out.rank, src, index(x, k), dst, k,
                    [](const T& from, T& to) { to = from; });
  }

  template <auto Info, class T>
  static void backward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    using engine::tensor::write;
    const auto& g = *x.grad;
    const std::size_t count = x.in[1]->ext[0];
    if constexpr (Info.edge[0] != write::none) {
      auto& dx = *x.in_grad[0];
      // Scattered with accumulation: zero first when this is the first contribution.
      if constexpr (Info.edge[0] == write::assign)
        engine::tensor::for_each_pair(Info.in[0].rank, dx.ext, dx.stride, dx.stride,
                                      [&](std::ptrdiff_t o, std::ptrdiff_t) { dx.data[o] = T(0); });
      for (std::size_t k = 0; k < count; ++k)
        for_each_slab(Info.out.rank, g, k, dx, index(x, k), [](const T& from, T& to) { to += from; });
    }
    if constexpr (Info.edge[1] == write::assign) {
      auto& di = *x.in_grad[1];
      for (std::size_t k = 0; k < count; ++k) di.data[static_cast<std::ptrdiff_t>(k) * di.stride[0]] = T(0);
    }
  }

 private:
  template <class T>
  static std::size_t index(const engine::tensor::kernel_args<T, 2>& x, std::size_t k) {
    return static_cast<std::size_t>(::tapeless::detail::primal(x.in[1]->data[static_cast<std::ptrdiff_t>(k) * x.in[1]->stride[0]]));
  }

  template <class T>
  static void check_indices(const engine::tensor::kernel_args<T, 2>& x, std::size_t count) {
    const std::size_t extent = x.in[0]->ext[Axis];
    for (std::size_t k = 0; k < count; ++k) {
      const auto v = ::tapeless::detail::primal(x.in[1]->data[static_cast<std::ptrdiff_t>(k) * x.in[1]->stride[0]]);
      using V = std::remove_cvref_t<decltype(v)>;
      if (!(v >= V(0)) || std::floor(v) != v || !(v < static_cast<V>(extent)))
        throw index_error("tapeless::take: index " + std::to_string(v) + " at position " + std::to_string(k) + " of " +
                          x.operands[1].text() + " is not a whole number in [0, " + std::to_string(extent) +
                          ") (the extent of axis " + std::to_string(Axis) + " of " + x.operands[0].text() + ")");
    }
  }

  /// Calls f(from, to) for the elements of slab `i` of `from` (position i along the axis) and
  /// slab `j` of `to`.
  template <class T, class L, class F>
  static void for_each_slab(std::size_t rank, const L& from, std::size_t i, engine::tensor::layout<T>& to,
                            std::size_t j, F&& f) {
    engine::tensor::extents_t ext = to.ext;
    ext[Axis] = 1;
    const auto* a = from.data + static_cast<std::ptrdiff_t>(i) * from.stride[Axis];
    T* b = to.data + static_cast<std::ptrdiff_t>(j) * to.stride[Axis];
    engine::tensor::for_each_pair(rank, ext, from.stride, to.stride,
                                  [&](std::ptrdiff_t oa, std::ptrdiff_t ob) { f(a[oa], b[ob]); });
  }
};
}  // namespace ops

/// The entries of `x` at the positions `indices` along axis Axis (torch.index_select).
template <std::size_t Axis, expression X, expression I>
[[nodiscard]] constexpr auto take(const X& x, const I& indices) {
  using op = ops::take<Axis>;
  constexpr bool same_dtype = std::is_same_v<typename X::value_type, typename I::value_type>;
  constexpr bool fits =
      op::infer({extents_of<typename X::shape_type>, extents_of<typename I::shape_type>}).ok();
  if constexpr (!same_dtype || !fits) {
    if constexpr (!detail::contains_rejected_v<X> && !detail::contains_rejected_v<I>) {
      if constexpr (!same_dtype)
        (void)diagnostics::dtypes_differ<op, typename X::value_type, typename I::value_type>{};
      else
        (void)diagnostics::take_operands_invalid<Axis, X::shape_type::rank, I::shape_type::rank>{};
    }
    return node<ops::rejected<ops::take<0>>, X, I>{x, indices};
  } else if constexpr (!X::positional && !I::positional) {
    return node<op, X, I>{};
  } else {
    return node<op, X, I>{x, indices};
  }
}
}  // namespace tapeless
