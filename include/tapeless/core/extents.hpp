#pragma once
// Extents as values: the currency of shape rules. An op's shape rule is one constexpr function
// over the extents of its operands; at compile time it runs on the declared extents (where
// `dynamic` stands for an extent known only when data is bound) and gives the result's shape
// type, at run time it runs on the bound extents and checks them. One source for both.
#include <array>
#include <cstddef>
#include <limits>
#include <utility>

#include "shape.hpp"

namespace tapeless {

/// Tensors have rank 0 to 4.
inline constexpr std::size_t max_rank = 4;

/// The extents of one value: `rank` of them, `dynamic` where not known yet.
struct extents {
  std::array<std::size_t, max_rank> at{};
  std::size_t rank = 0;

  constexpr std::size_t operator[](std::size_t d) const { return at[d]; }
  constexpr std::size_t& operator[](std::size_t d) { return at[d]; }
  /// The last extent (1 for a scalar).
  [[nodiscard]] constexpr std::size_t back(std::size_t from_end = 0) const {
    return rank > from_end ? at[rank - 1 - from_end] : 1;
  }
  [[nodiscard]] constexpr bool known() const {
    for (std::size_t d = 0; d < rank; ++d)
      if (at[d] == dynamic) return false;
    return true;
  }
  friend constexpr bool operator==(const extents& a, const extents& b) {
    if (a.rank != b.rank) return false;
    for (std::size_t d = 0; d < a.rank; ++d)
      if (a.at[d] != b.at[d]) return false;
    return true;
  }
};

/// The declared extents of a shape type.
template <class S>
inline constexpr extents extents_of = [] {
  extents e;
  e.rank = S::rank;
  for (std::size_t d = 0; d < S::rank; ++d) e.at[d] = S::extents[d];
  return e;
}();

/// A message composed at compile time (an op's parameters written into its shape rule's
/// error text): `static constexpr auto text = static_text{} << "rows [" << Begin << ")";`.
struct static_text {
  char data[192]{};
  std::size_t size = 0;
  constexpr static_text& operator<<(const char* s) {
    for (; *s && size + 1 < sizeof data; ++s) data[size++] = *s;
    return *this;
  }
  constexpr static_text& operator<<(std::size_t v) {
    if (v == dynamic) return *this << "dynamic";  // never the number 18446744073709551615
    char digits[24]{};
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0);
    while (n > 0 && size + 1 < sizeof data) data[size++] = digits[--n];
    return *this;
  }
  [[nodiscard]] constexpr const char* c_str() const { return data; }
};

/// What a shape rule says: the result's extents, or what is wrong with the operands (a
/// sentence in API terms; the engine adds the op's name and the operands' extents).
struct shape_outcome {
  extents out{};
  const char* error = nullptr;
  [[nodiscard]] constexpr bool ok() const { return error == nullptr; }
};

/// Equal extents, where both are known (a `dynamic` one is checked when data is bound).
constexpr bool extents_agree(std::size_t a, std::size_t b) { return a == dynamic || b == dynamic || a == b; }
/// The extent of a result built from two that agree: the known one.
constexpr std::size_t known_of(std::size_t a, std::size_t b) { return a == dynamic ? b : a; }

namespace detail {
template <class Op, class... S>
struct rule_shape {
  static constexpr extents out = Op::infer(std::array<extents, sizeof...(S)>{extents_of<S>...}).out;
  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<out.at[I]...>;
  using type = decltype(make(std::make_index_sequence<out.rank>{}));
};
}  // namespace detail

/// The shape type an op's rule gives for operand shapes S...: `Op::infer` applied to their
/// declared extents. On a rule violation, the extents the rule still reports (the op's entry
/// point states the mistake).
template <class Op, class... S>
using rule_shape_t = typename detail::rule_shape<Op, S...>::type;

}  // namespace tapeless
