#pragma once
// Boost.Hana at the edges: the public API's small heterogeneous collections are Hana structures.
//
//   leaves               Comparable and Hashable: hana::equal(x, x), hana::make_map keyed by leaves
//   tl::key<"x">         a leaf's name as a key; equal to every leaf named "x" (so is hana::string "x")
//   keyed collections    bindings, gradients, tensor_gradients: Foldable over leaf_entry pairs
//                        (hana::first is the leaf, hana::second its value), Searchable by leaf,
//                        by tl::key<"x"> or by hana::string; hana::keys gives the leaves (a wrt_list)
//   sequences            wrt_list, nn::sequential: Hana Sequences of their leaves or layers
//
// Only Hana's forward declarations are included here (they cost nothing to parse): the algorithms
// and the types they return (hana::optional, hana::tuple) come from the Hana headers the caller
// includes to call them, e.g. <boost/hana.hpp>. A type joins in by naming a tag below as its
// `hana_tag` and exposing `get<K>()` and, as `hana_pack`, a type_pack of its leaves or elements.
#include <boost/hana/fwd/any_of.hpp>
#include <boost/hana/fwd/at.hpp>
#include <boost/hana/fwd/at_key.hpp>
#include <boost/hana/fwd/concept/sequence.hpp>
#include <boost/hana/fwd/core/make.hpp>
#include <boost/hana/fwd/drop_front.hpp>
#include <boost/hana/fwd/equal.hpp>
#include <boost/hana/fwd/find_if.hpp>
#include <boost/hana/fwd/first.hpp>
#include <boost/hana/fwd/hash.hpp>
#include <boost/hana/fwd/integral_constant.hpp>
#include <boost/hana/fwd/is_empty.hpp>
#include <boost/hana/fwd/keys.hpp>
#include <boost/hana/fwd/length.hpp>
#include <boost/hana/fwd/optional.hpp>
#include <boost/hana/fwd/second.hpp>
#include <boost/hana/fwd/string.hpp>
#include <boost/hana/fwd/tuple.hpp>
#include <boost/hana/fwd/type.hpp>
#include <boost/hana/fwd/unpack.hpp>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "fixed_string.hpp"

namespace tapeless {

template <class... Wrt>
struct wrt_list;

/// A leaf's name used as a key: `hana::at_key(g, tl::key<"w">)` is `g[w]`.
template <fixed_string Name>
struct leaf_key;

/// One entry of a keyed collection, as Hana's algorithms see it: the leaf and its value (a
/// reference into the collection when the collection is an lvalue). A Hana Product
/// (hana::first, hana::second) that also unpacks with structured bindings: `auto [leaf, v] = e`.
template <class Leaf, class Value>
struct leaf_entry;

namespace detail {

struct hana_leaf_tag {};
struct hana_key_tag {};
struct hana_entry_tag {};
struct hana_keyed_tag {};
struct hana_sequence_tag {};

template <class... T>
struct type_pack {
  static constexpr std::size_t size = sizeof...(T);
};

template <class T>
inline constexpr bool has_hana_tag_v = false;
template <class T>
  requires requires { typename T::hana_tag; }
inline constexpr bool has_hana_tag_v<T> = true;

template <class T, class Tag>
constexpr bool tagged() {
  if constexpr (has_hana_tag_v<T>) return std::is_same_v<typename T::hana_tag, Tag>;
  else return false;
}

template <class T>
struct is_hana_string : std::false_type {};
template <char... C>
struct is_hana_string<boost::hana::string<C...>> : std::true_type {};

template <char... C>
inline constexpr char hana_string_text[] = {C..., '\0'};

template <char... C>
constexpr std::string_view hana_string_view(boost::hana::string<C...>*) {
  return {hana_string_text<C...>, sizeof...(C)};
}

/// Whether a key (a leaf, tl::key<"name"> or a hana::string) designates the leaf Leaf: a leaf
/// only itself, a name every leaf of that name.
template <class Key, class Leaf>
constexpr bool key_matches() {
  if constexpr (std::is_same_v<Key, Leaf>) return true;
  else if constexpr (!tagged<Leaf, hana_leaf_tag>()) return false;
  else if constexpr (tagged<Key, hana_key_tag>()) return Key::name.view() == Leaf::name.view();
  else if constexpr (is_hana_string<Key>::value) return hana_string_view(static_cast<Key*>(nullptr)) == Leaf::name.view();
  else return false;
}

template <class Key, class... Leaves>
constexpr std::size_t key_index(type_pack<Leaves...>) {
  constexpr bool match[] = {key_matches<Key, Leaves>()..., false};
  std::size_t i = 0;
  while (i < sizeof...(Leaves) && !match[i]) ++i;
  return i;
}

template <class Pred, class... T>
constexpr std::size_t first_satisfying(type_pack<T...>) {
  constexpr bool hit[] = {std::remove_cvref_t<std::invoke_result_t<Pred&, const T&>>::value..., false};
  std::size_t i = 0;
  while (i < sizeof...(T) && !hit[i]) ++i;
  return i;
}

template <class T>
using pack_of_t = typename std::remove_cvref_t<T>::hana_pack;

template <class Xs, class F, class... Leaves, std::size_t... K>
constexpr decltype(auto) unpack_entries(Xs&& xs, F&& f, type_pack<Leaves...>, std::index_sequence<K...>) {
  if constexpr (std::is_lvalue_reference_v<Xs>)
    return static_cast<F&&>(f)(leaf_entry<Leaves, const std::remove_cvref_t<decltype(xs.template get<K>())>&>{
        Leaves{}, xs.template get<K>()}...);
  else  // a temporary collection: the entries own copies, so nothing refers into it afterwards
    return static_cast<F&&>(f)(
        leaf_entry<Leaves, std::remove_cvref_t<decltype(xs.template get<K>())>>{Leaves{}, xs.template get<K>()}...);
}

template <class Xs, class F, std::size_t... K>
constexpr decltype(auto) unpack_elements(Xs&& xs, F&& f, std::index_sequence<K...>) {
  return static_cast<F&&>(f)(static_cast<Xs&&>(xs).template get<K>()...);
}

template <class... X>
constexpr auto make_sequence(X&&... x) {
  if constexpr (sizeof...(X) > 0 && (tagged<std::remove_cvref_t<X>, hana_leaf_tag>() && ...))
    return wrt_list<std::remove_cvref_t<X>...>{};
  else
    return boost::hana::make_tuple(static_cast<X&&>(x)...);
}

template <std::size_t N, class Xs, std::size_t... K>
constexpr auto drop_front_elements(Xs&& xs, std::index_sequence<K...>) {
  return make_sequence(static_cast<Xs&&>(xs).template get<N + K>()...);
}

}  // namespace detail

template <fixed_string Name>
struct leaf_key {
  using hana_tag = detail::hana_key_tag;
  static constexpr auto name = Name;
};

/// `tl::key<"w">`: the key of the leaf named "w" in bindings and gradients (Hana's at_key, find,
/// contains), for code that has the name and not the leaf object.
template <fixed_string Name>
inline constexpr leaf_key<Name> key{};

template <class Leaf, class Value>
struct leaf_entry {
  using hana_tag = detail::hana_entry_tag;
  [[no_unique_address]] Leaf leaf;
  Value value;
};

}  // namespace tapeless

namespace boost::hana {

// ---- leaves and names: Comparable (by identity, or by name against a key), Hashable by name ----

template <>
struct equal_impl<tapeless::detail::hana_leaf_tag, tapeless::detail::hana_leaf_tag> {
  template <class A, class B>
  static constexpr auto apply(const A&, const B&) {
    return bool_c<std::is_same_v<A, B>>;
  }
};
template <>
struct equal_impl<tapeless::detail::hana_key_tag, tapeless::detail::hana_key_tag> {
  template <class A, class B>
  static constexpr auto apply(const A&, const B&) {
    return bool_c<A::name.view() == B::name.view()>;
  }
};
template <class Other>
  requires std::is_same_v<Other, tapeless::detail::hana_key_tag> || std::is_same_v<Other, string_tag>
struct equal_impl<Other, tapeless::detail::hana_leaf_tag> {
  template <class Key, class Leaf>
  static constexpr auto apply(const Key&, const Leaf&) {
    return bool_c<tapeless::detail::key_matches<Key, Leaf>()>;
  }
};
template <class Other>
  requires std::is_same_v<Other, tapeless::detail::hana_key_tag> || std::is_same_v<Other, string_tag>
struct equal_impl<tapeless::detail::hana_leaf_tag, Other> {
  template <class Leaf, class Key>
  static constexpr auto apply(const Leaf&, const Key&) {
    return bool_c<tapeless::detail::key_matches<Key, Leaf>()>;
  }
};

template <>
struct hash_impl<tapeless::detail::hana_leaf_tag> {
  template <class Leaf>
  static constexpr auto apply(const Leaf&) {
    return type_c<tapeless::leaf_key<Leaf::name>>;
  }
};
template <>
struct hash_impl<tapeless::detail::hana_key_tag> {
  template <class Key>
  static constexpr auto apply(const Key&) {
    return type_c<tapeless::leaf_key<Key::name>>;
  }
};

// ---- leaf_entry: a Product ----------------------------------------------------------------------

template <>
struct first_impl<tapeless::detail::hana_entry_tag> {
  template <class E>
  static constexpr decltype(auto) apply(E&& e) {
    return (static_cast<E&&>(e).leaf);
  }
};
template <>
struct second_impl<tapeless::detail::hana_entry_tag> {
  template <class E>
  static constexpr decltype(auto) apply(E&& e) {
    return (static_cast<E&&>(e).value);
  }
};
template <>
struct make_impl<tapeless::detail::hana_entry_tag> {
  template <class Leaf, class Value>
  static constexpr auto apply(const Leaf& leaf, Value&& value) {
    return tapeless::leaf_entry<Leaf, std::remove_cvref_t<Value>>{leaf, static_cast<Value&&>(value)};
  }
};

// ---- keyed collections (bindings, gradients): Foldable over entries, Searchable by key -------------

template <>
struct unpack_impl<tapeless::detail::hana_keyed_tag> {
  template <class Xs, class F>
  static constexpr decltype(auto) apply(Xs&& xs, F&& f) {
    using pack = tapeless::detail::pack_of_t<Xs>;
    return tapeless::detail::unpack_entries(static_cast<Xs&&>(xs), static_cast<F&&>(f), pack{},
                                            std::make_index_sequence<pack::size>{});
  }
};

template <>
struct any_of_impl<tapeless::detail::hana_keyed_tag> {
  template <class Xs, class Pred>
  static constexpr auto apply(const Xs&, Pred&&) {
    using pack = tapeless::detail::pack_of_t<Xs>;
    return bool_c<(tapeless::detail::first_satisfying<Pred>(pack{}) < pack::size)>;
  }
};

template <>
struct find_if_impl<tapeless::detail::hana_keyed_tag> {
  template <class Xs, class Pred>
  static constexpr auto apply(const Xs& xs, Pred&&) {
    using pack = tapeless::detail::pack_of_t<Xs>;
    constexpr std::size_t k = tapeless::detail::first_satisfying<Pred>(pack{});
    if constexpr (k < pack::size) return just(xs.template get<k>());
    else return nothing;
  }
};

template <>
struct at_key_impl<tapeless::detail::hana_keyed_tag> {
  template <class Xs, class Key>
  static constexpr decltype(auto) apply(Xs&& xs, const Key&) {
    using pack = tapeless::detail::pack_of_t<Xs>;
    constexpr std::size_t k = tapeless::detail::key_index<Key>(pack{});
    static_assert(k < pack::size,
                  "tapeless: hana::at_key: no entry for this key; the keys are the leaves that were bound or "
                  "differentiated (a leaf, tl::key<\"name\"> or a hana::string naming one)");
    return static_cast<Xs&&>(xs).template get<(k < pack::size ? k : 0)>();
  }
};

template <>
struct keys_impl<tapeless::detail::hana_keyed_tag> {
  template <class Xs>
  static constexpr auto apply(const Xs&) {
    return []<class... Leaves>(tapeless::detail::type_pack<Leaves...>) {
      return tapeless::wrt_list<Leaves...>{};
    }(tapeless::detail::pack_of_t<Xs>{});
  }
};

// ---- sequences (wrt_list, nn::sequential): Hana Sequences ------------------------------------------
// make<> builds a wrt_list when every element is a leaf (so hana::filter on a wrt_list gives
// one tl::compile accepts), otherwise a hana::tuple.

template <>
struct Sequence<tapeless::detail::hana_sequence_tag> {
  static constexpr bool value = true;
};

template <>
struct make_impl<tapeless::detail::hana_sequence_tag> {
  template <class... X>
  static constexpr auto apply(X&&... x) {
    return tapeless::detail::make_sequence(static_cast<X&&>(x)...);
  }
};

template <>
struct unpack_impl<tapeless::detail::hana_sequence_tag> {
  template <class Xs, class F>
  static constexpr decltype(auto) apply(Xs&& xs, F&& f) {
    return tapeless::detail::unpack_elements(static_cast<Xs&&>(xs), static_cast<F&&>(f),
                                             std::make_index_sequence<tapeless::detail::pack_of_t<Xs>::size>{});
  }
};

template <>
struct length_impl<tapeless::detail::hana_sequence_tag> {
  template <class Xs>
  static constexpr auto apply(const Xs&) {
    return size_c<tapeless::detail::pack_of_t<Xs>::size>;
  }
};

template <>
struct at_impl<tapeless::detail::hana_sequence_tag> {
  template <class Xs, class N>
  static constexpr decltype(auto) apply(Xs&& xs, const N&) {
    return static_cast<Xs&&>(xs).template get<N::value>();
  }
};

template <>
struct drop_front_impl<tapeless::detail::hana_sequence_tag> {
  template <class Xs, class N>
  static constexpr auto apply(Xs&& xs, const N&) {
    constexpr std::size_t size = tapeless::detail::pack_of_t<Xs>::size;
    constexpr std::size_t n = N::value < size ? N::value : size;
    return tapeless::detail::drop_front_elements<n>(static_cast<Xs&&>(xs), std::make_index_sequence<size - n>{});
  }
};

template <>
struct is_empty_impl<tapeless::detail::hana_sequence_tag> {
  template <class Xs>
  static constexpr auto apply(const Xs&) {
    return bool_c<tapeless::detail::pack_of_t<Xs>::size == 0>;
  }
};

}  // namespace boost::hana
