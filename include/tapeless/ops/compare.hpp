#pragma once
// lt, le, gt, ge, eq, ne — Math: a mask, 1 where the comparison holds and 0 elsewhere, in the
// operands' dtype (as `(a < b).to(dtype)` in PyTorch). The mask is piecewise constant, so its
// gradient is 0 (comparisons with NaN are false, ne is true). Shapes: broadcast.
// Example: `tl::where(x > 0, x, 0.1 * x)`, `tl::sum(tl::eq(pred, label))`.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {

template <class Derived>
struct comparison : elementwise_binary {
  static constexpr auto forward(const auto& a, const auto& b) {
    return detail::math::select(Derived::holds(a, b), detail::math::filled_like(a, 1), detail::math::filled_like(a, 0));
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto&, const auto&) {
    return detail::math::filled_like(g, 0);
  }
  static constexpr auto jvp(const auto& y, const auto&, const auto&, const auto&, const auto&) {
    return detail::math::filled_like(y, 0);
  }
};

struct lt : comparison<lt> {
  static constexpr std::string_view name = "lt";
  static constexpr bool holds(const auto& a, const auto& b) { return a < b; }
};
struct le : comparison<le> {
  static constexpr std::string_view name = "le";
  static constexpr bool holds(const auto& a, const auto& b) { return a <= b; }
};
struct gt : comparison<gt> {
  static constexpr std::string_view name = "gt";
  static constexpr bool holds(const auto& a, const auto& b) { return a > b; }
};
struct ge : comparison<ge> {
  static constexpr std::string_view name = "ge";
  static constexpr bool holds(const auto& a, const auto& b) { return a >= b; }
};
struct eq : comparison<eq> {
  static constexpr std::string_view name = "eq";
  static constexpr bool holds(const auto& a, const auto& b) { return a == b; }
};
struct ne : comparison<ne> {
  static constexpr std::string_view name = "ne";
  static constexpr bool holds(const auto& a, const auto& b) { return a != b; }
};

}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::lt, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::lt (a < b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::le, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::le (a <= b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::gt, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::gt (a > b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::ge, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::ge (a >= b): the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::eq, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::eq: the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::ne, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::ne: the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

inline constexpr ops::binary_function<ops::lt> lt{};
inline constexpr ops::binary_function<ops::le> le{};
inline constexpr ops::binary_function<ops::gt> gt{};
inline constexpr ops::binary_function<ops::ge> ge{};
inline constexpr ops::binary_function<ops::eq> eq{};
inline constexpr ops::binary_function<ops::ne> ne{};

template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator<(const A& a, const B& b) {
  return detail::make_binary<ops::lt>(a, b);
}
template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator<=(const A& a, const B& b) {
  return detail::make_binary<ops::le>(a, b);
}
template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator>(const A& a, const B& b) {
  return detail::make_binary<ops::gt>(a, b);
}
template <operand A, operand B>
  requires(expression<A> || expression<B>)
[[nodiscard]] constexpr auto operator>=(const A& a, const B& b) {
  return detail::make_binary<ops::ge>(a, b);
}
}  // namespace tapeless
