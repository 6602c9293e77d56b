#pragma once
// What gradient computations return: gradients addressed by leaf (g[w]) or by position
// (structured bindings), and a value paired with its gradients.
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

namespace tapeless {

template <class T, class... Wrt>
struct gradients {
  std::array<T, sizeof...(Wrt)> values{};

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
                  "tapeless::gradients: no gradient was computed for this leaf; list it in grad(expr, ...)");
    return values[index_of<Leaf> < sizeof...(Wrt) ? index_of<Leaf> : 0];
  }

  template <std::size_t K>
  [[nodiscard]] constexpr const T& get() const {
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
struct std::tuple_size<tapeless::gradients<T, Wrt...>> : std::integral_constant<std::size_t, sizeof...(Wrt)> {};
template <std::size_t K, class T, class... Wrt>
struct std::tuple_element<K, tapeless::gradients<T, Wrt...>> {
  using type = const T;
};
