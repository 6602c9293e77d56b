#pragma once
// Named leaves. The name, kind (input or param), shape and dtype are all in the type, so two
// uses of `x` are the same node, and `x = 2.0` makes a binding for one evaluation.
#include <concepts>
#include <type_traits>

#include "binding.hpp"
#include "dtype.hpp"
#include "fixed_string.hpp"
#include "hana.hpp"
#include "kinds.hpp"
#include "shape.hpp"
#include "tensor_view.hpp"

namespace tapeless {

template <fixed_string Name, node_kind Kind, shape_type Shape, dtype T>
struct leaf {
  static_assert(Kind == node_kind::input || Kind == node_kind::param,
                "tapeless::leaf: a leaf is either an input or a param");
  static_assert(Name.size() > 0, "tapeless::leaf: a leaf needs a non-empty name");
  static_assert(Shape::rank <= 4, "tapeless::leaf: tensors have rank 0 to 4; reshape the data to fewer axes");

  using value_type = T;
  using shape_type = Shape;
  static constexpr node_kind kind = Kind;
  static constexpr auto name = Name;
  static constexpr bool positional = false;
  static constexpr bool requires_grad = Kind == node_kind::param;
  /// Comparable and Hashable for Boost.Hana (core/hana.hpp).
  using hana_tag = detail::hana_leaf_tag;

  /// `x = value` binds data to this leaf for one evaluation. It assigns nothing: used as a
  /// statement it would do nothing, hence [[nodiscard]].
  template <class V>
  [[nodiscard("tapeless::bind: `leaf = value` makes a binding and assigns nothing; pass it to an evaluation, "
              "as in tl::value(y, x = 2.0) or step(tl::bind(x = X))")]]
  constexpr auto operator=(V&& v) const {
    if constexpr (Shape::rank == 0) {
      static_assert(std::is_convertible_v<V, T>,
                    "tapeless::bind: a scalar leaf takes a number convertible to its dtype; "
                    "the value bound to it is not one");
      if constexpr (std::is_convertible_v<V, T>) return binding<leaf, T>{static_cast<T>(v)};
      else return binding<leaf, T>{};
    } else {
      // The binding views the caller's data, which must outlive the evaluations that use it:
      // a container is taken only by name (an lvalue); tl::view(...) is itself a view.
      using C = std::remove_cvref_t<V>;
      using view_type = tensor_view<T, Shape::rank>;
      constexpr bool bindable = detail::bindable_tensor<C, T, Shape::rank>();
      constexpr bool named_container_or_view = std::is_lvalue_reference_v<V> || std::is_same_v<C, view_type>;
      static_assert(bindable,
                    "tapeless::bind: a tensor leaf takes a row-major container of its own dtype "
                    "(xt::xtensor, xt::xarray, xt::xtensor_fixed) or tl::view(pointer, extents...)");
      if constexpr (bindable)
        static_assert(named_container_or_view,
                      "tapeless::bind: the data bound to a tensor leaf must outlive the evaluation; bind a "
                      "named container, not a temporary (or tl::view(pointer, extents...) of data that lives on)");
      if constexpr (bindable && named_container_or_view)
        return binding<leaf, view_type>{detail::bind_tensor<T, Shape>(Name.view(), v)};
      else
        return binding<leaf, view_type>{};
    }
  }
};

template <class T>
inline constexpr bool is_leaf_v = false;
template <fixed_string N, node_kind K, class S, class T>
inline constexpr bool is_leaf_v<leaf<N, K, S, T>> = true;

/// A named input: data, no gradient (PyTorch: requires_grad=False).
template <fixed_string Name, shape_type Shape = shape<>, dtype T = double>
inline constexpr leaf<Name, node_kind::input, Shape, T> input{};

/// A named parameter: gradients can be taken with respect to it (PyTorch: requires_grad=True).
template <fixed_string Name, shape_type Shape = shape<>, dtype T = double>
inline constexpr leaf<Name, node_kind::param, Shape, T> param{};

/// A scalar parameter: `tl::scalar<"s">` is `tl::param<"s", tl::shape<>, double>`.
template <fixed_string Name, dtype T = double>
inline constexpr leaf<Name, node_kind::param, shape<>, T> scalar{};

}  // namespace tapeless
