#pragma once
// A set of bindings for one evaluation: `tl::bind(x = 1.0, w = 2.0)`. Looked up by leaf type; to
// Boost.Hana a keyed collection (core/hana.hpp): hana::at_key(b, x) is the data bound to x.
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "../core/binding.hpp"
#include "../core/hana.hpp"
#include "wrt_list.hpp"

namespace tapeless {

namespace detail {
// The leaf of a binding; a placeholder for anything else (tl::bind reports that once).
struct not_a_binding {};
template <class B>
struct bound_leaf {
  using type = not_a_binding;
};
template <class L, class V>
struct bound_leaf<binding<L, V>> {
  using type = L;
};
}  // namespace detail

template <class... B>
struct bindings {
  std::tuple<B...> items;

  using hana_tag = detail::hana_keyed_tag;
  using hana_pack = detail::type_pack<typename detail::bound_leaf<B>::type...>;

  static constexpr std::size_t size = sizeof...(B);
  /// False when tl::bind was given something other than a binding (reported there).
  static constexpr bool well_formed = (is_binding_v<B> && ...);

  /// Position of the binding of Leaf, or size if there is none.
  template <class Leaf>
  static constexpr std::size_t index_of = [] {
    constexpr bool match[] = {std::is_same_v<typename B::leaf_type, Leaf>..., false};
    std::size_t i = 0;
    while (i < sizeof...(B) && !match[i]) ++i;
    return i;
  }();

  template <class Leaf>
  static constexpr bool binds = index_of<Leaf> < size;

  template <class Leaf>
  [[nodiscard]] constexpr const auto& get() const {
    return std::get<index_of<Leaf>>(items).value;
  }

  /// The data of the K-th binding, in the order given to tl::bind.
  template <std::size_t K>
  [[nodiscard]] constexpr const auto& get() const {
    return std::get<K>(items).value;
  }
};

template <class T>
inline constexpr bool is_bindings_v = false;
template <class... B>
inline constexpr bool is_bindings_v<bindings<B...>> = true;

/// Bundles `leaf = value` pairs for one evaluation.
template <class... B>
[[nodiscard]] constexpr bindings<B...> bind(const B&... b) {
  static_assert((is_binding_v<B> && ...),
                "tapeless::bind: every argument must be a binding written `leaf = value`");
  return {{b...}};
}

namespace detail {
template <class... B>
constexpr auto as_bindings(const B&... b) {
  if constexpr (sizeof...(B) == 1 && (is_bindings_v<B> && ...)) return (b, ...);
  else return bind(b...);
}
}  // namespace detail

}  // namespace tapeless
