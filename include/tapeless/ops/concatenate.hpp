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
#include "../core/extents.hpp"
#include "../core/parameters.hpp"
#include "../engine/tensor/kernel_api.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace detail {
template <std::size_t Axis, class S0, class... S>
struct concatenate_rule {
  static constexpr std::size_t rank = S0::rank;
  static constexpr bool ranks_match = ((S::rank == rank) && ...) && Axis < rank;
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
};
}  // namespace detail

namespace ops {
template <std::size_t Axis>
struct concatenate {
  static constexpr op_class category = op_class::kernel;
  static constexpr std::string_view name = "concatenate";
  static constexpr std::size_t axis = Axis;
  static constexpr std::uint64_t parameters_hash = detail::parameters_hash({Axis, 13});
  static constexpr bool backward_reads_output = false;

  /// The shape rule: the operands agree outside the axis; their extents along it add up.
  template <std::size_t A>
  static constexpr shape_outcome infer(const std::array<extents, A>& in) {
    shape_outcome s{in[0]};
    if (Axis >= in[0].rank) {
      s.error = "the axis is not an axis of the operands";
      return s;
    }
    for (std::size_t k = 1; k < A; ++k) {
      if (in[k].rank != in[0].rank) s.error = "operands differ in rank";
      for (std::size_t d = 0; d < in[0].rank && d < in[k].rank; ++d)
        if (d != Axis && !extents_agree(in[k][d], in[0][d])) s.error = "operands differ outside the concatenation axis";
      if (Axis < in[k].rank)
        s.out[Axis] = s.out[Axis] == dynamic || in[k][Axis] == dynamic ? dynamic : s.out[Axis] + in[k][Axis];
    }
    return s;
  }
  template <class D0, class... D>
  using dtype_rule = D0;
  template <class... S>
  using shape_rule = rule_shape_t<concatenate, S...>;

  template <auto Info, class T, std::size_t A>
  static void forward_kernel(const engine::tensor::kernel_args<T, A>& x) {
    auto& dst = *x.out;
    std::size_t at = 0;
    for (std::size_t k = 0; k < A; ++k) {
      const auto& src = *x.in[k];
      T* base = dst.data + static_cast<std::ptrdiff_t>(at) * dst.stride[Axis];
      engine::tensor::for_each_pair(Info.out.rank, src.ext, dst.stride, src.stride,
                                    [&](std::ptrdiff_t od, std::ptrdiff_t os) { base[od] = src.data[os]; });
      at += src.ext[Axis];
    }
  }

  template <auto Info, class T, std::size_t A>
  static void backward_kernel(const engine::tensor::kernel_args<T, A>& x) {
    using engine::tensor::write;
    const auto& g = *x.grad;
    std::size_t at = 0;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (
          [&] {
            const auto& ex = x.in[K]->ext;
            if constexpr (Info.edge[K] != write::none) {
              const T* base = g.data + static_cast<std::ptrdiff_t>(at) * g.stride[Axis];
              auto& dst = *x.in_grad[K];
              engine::tensor::for_each_pair(Info.out.rank, ex, dst.stride, g.stride, [&](std::ptrdiff_t od, std::ptrdiff_t og) {
                if constexpr (Info.edge[K] == write::assign) dst.data[od] = base[og];
                else dst.data[od] += base[og];
              });
            }
            at += ex[Axis];
          }(),
          ...);
    }(std::make_index_sequence<A>{});
  }
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
