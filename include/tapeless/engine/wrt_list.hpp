#pragma once
// The leaves to differentiate with respect to: `tl::wrt(w1, w2)`. A Boost.Hana Sequence of those
// leaves (core/hana.hpp): hana::size, hana::for_each, hana::transform, hana::filter work on it,
// and a hana::filter of it is again a wrt list that tl::compile accepts.
#include <cstddef>

#include "../core/expression.hpp"
#include "../core/hana.hpp"

namespace tapeless {

template <class... Wrt>
struct wrt_list {
  using hana_tag = detail::hana_sequence_tag;
  using hana_pack = detail::type_pack<Wrt...>;

  /// The K-th leaf.
  template <std::size_t K>
  [[nodiscard]] constexpr auto get() const {
    return typename detail::pack_element<K, Wrt...>::type{};
  }
};

template <expression... Wrt>
[[nodiscard]] constexpr wrt_list<Wrt...> wrt(const Wrt&...) {
  return {};
}

}  // namespace tapeless
