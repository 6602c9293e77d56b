#pragma once
// Numbers inside an expression. A plain number (3 * x) becomes a `constant` that holds its value;
// since the value is not in the type, its identity is its position, and two such subexpressions
// are never merged. A `literal` carries its value in the type (tl::lit<2.0>), so equal literals
// are one node and subexpressions over them can be shared.
#include <bit>
#include <cstdint>

#include "dtype.hpp"
#include "kinds.hpp"
#include "shape.hpp"

namespace tapeless {

template <dtype T>
struct constant {
  using value_type = T;
  using shape_type = shape<>;
  static constexpr node_kind kind = node_kind::constant;
  static constexpr bool positional = true;
  T value{};
};

/// A double usable as a template argument on every supported compiler (clang 16 rejects
/// `template <double V>`): the number's bit pattern, so equal numbers are one type.
struct real {
  std::uint64_t bits{};
  constexpr real() noexcept = default;
  constexpr real(double v) noexcept : bits(std::bit_cast<std::uint64_t>(v)) {}  // NOLINT: implicit by design
  [[nodiscard]] constexpr double get() const noexcept { return std::bit_cast<double>(bits); }
};

template <real V, dtype T = double>
struct literal {
  using value_type = T;
  using shape_type = shape<>;
  static constexpr node_kind kind = node_kind::literal;
  static constexpr bool positional = false;
  static constexpr T value = static_cast<T>(V.get());
};

/// A number carried in the type: `tl::lit<2.0> * x`. It adopts the dtype of the expression it
/// is combined with.
template <real V>
inline constexpr literal<V> lit{};

template <class T>
inline constexpr bool is_constant_v = false;
template <class T>
inline constexpr bool is_constant_v<constant<T>> = true;

template <class T>
inline constexpr bool is_literal_v = false;
template <real V, class T>
inline constexpr bool is_literal_v<literal<V, T>> = true;

}  // namespace tapeless
