#pragma once
// What gradient computations return: gradients addressed by leaf (g[w]) or by position
// (structured bindings), and a value paired with its gradients. Several gradients are also a
// Boost.Hana keyed collection (core/hana.hpp): hana::at_key(g, w) is g[w], and hana::for_each(g, f)
// calls f with one leaf_entry per wrt leaf, in wrt order (hana::first: the leaf, hana::second:
// its gradient).
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <xtensor/xtensor.hpp>

#include "../core/hana.hpp"
#include "wrt_list.hpp"

namespace tapeless {

template <class T, class... Wrt>
struct gradients {
  std::array<T, sizeof...(Wrt)> values{};

  using hana_tag = detail::hana_keyed_tag;
  using hana_pack = detail::type_pack<Wrt...>;

  template <class Leaf>
  static constexpr std::size_t index_of = [] {
    constexpr bool match[] = {std::is_same_v<Wrt, Leaf>..., false};
    std::size_t i = 0;
    while (i < sizeof...(Wrt) && !match[i]) ++i;
    return i;
  }();

  /// The gradient with respect to `leaf`, which must be one of the wrt leaves.
  template <class Leaf>
  [[nodiscard]] constexpr const T& operator[](const Leaf&) const {
    static_assert(index_of<Leaf> < sizeof...(Wrt),
                  "tapeless::gradients: no gradient was computed for this leaf; list it in tl::grad(expr, ...) "
                  "or tl::value_and_grad(expr, ...)");
    return values[index_of<Leaf> < sizeof...(Wrt) ? index_of<Leaf> : 0];
  }

  template <std::size_t K>
  [[nodiscard]] constexpr const T& get() const {
    return std::get<K>(values);
  }
};

/// An owning container for a gradient with respect to Leaf: a number for a scalar leaf, else
/// an xt::xtensor of the leaf's rank.
template <class T, class Leaf>
using owned_tensor_t = std::conditional_t<Leaf::shape_type::rank == 0, T, xt::xtensor<T, Leaf::shape_type::rank>>;

/// Gradients of a tensor graph with respect to several leaves: g[w] or structured bindings.
template <class T, class... Wrt>
struct tensor_gradients {
  std::tuple<owned_tensor_t<T, Wrt>...> values;

  using hana_tag = detail::hana_keyed_tag;
  using hana_pack = detail::type_pack<Wrt...>;

  template <class Leaf>
  static constexpr std::size_t index_of = gradients<T, Wrt...>::template index_of<Leaf>;

  template <class Leaf>
  [[nodiscard]] const auto& operator[](const Leaf&) const {
    static_assert(index_of<Leaf> < sizeof...(Wrt),
                  "tapeless::gradients: no gradient was computed for this leaf; list it in tl::grad(expr, ...) "
                  "or tl::value_and_grad(expr, ...)");
    return std::get<(index_of<Leaf> < sizeof...(Wrt) ? index_of<Leaf> : 0)>(values);
  }

  template <std::size_t K>
  [[nodiscard]] const auto& get() const {
    return std::get<K>(values);
  }
};

/// A value and its gradient (a number for one wrt leaf, `gradients` for several).
template <class T, class G>
struct value_and_gradient {
  T value;
  G grad;
};

}  // namespace tapeless

template <class T, class... Wrt>
struct std::tuple_size<tapeless::tensor_gradients<T, Wrt...>> : std::integral_constant<std::size_t, sizeof...(Wrt)> {};
template <std::size_t K, class T, class... Wrt>
struct std::tuple_element<K, tapeless::tensor_gradients<T, Wrt...>> {
  using type = const std::tuple_element_t<K, std::tuple<tapeless::owned_tensor_t<T, Wrt>...>>;
};
template <class T, class... Wrt>
struct std::tuple_size<tapeless::gradients<T, Wrt...>> : std::integral_constant<std::size_t, sizeof...(Wrt)> {};
template <std::size_t K, class T, class... Wrt>
struct std::tuple_element<K, tapeless::gradients<T, Wrt...>> {
  using type = const T;
};
