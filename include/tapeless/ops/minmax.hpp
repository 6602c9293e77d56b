#pragma once
// min, max — Math: elementwise minimum/maximum of two operands. The gradient goes to the
// selected operand; at a tie each operand receives half; a NaN operand makes the result NaN and
// then neither operand loses, so both receive the whole gradient (as torch.minimum /
// torch.maximum). Shapes: broadcast. Example: `tl::max(x, 0.5)`, `tl::min(a, b)`.
#include <cstddef>
#include <string_view>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {

// Share of the gradient that operand `mine` receives against `other`: none when it loses.
constexpr auto selection_weight(const auto& mine, const auto& other, bool loses) {
  using detail::math::select;
  using detail::math::filled_like;
  return select(mine == other, filled_like(mine, 0.5), select(loses, filled_like(mine, 0), filled_like(mine, 1)));
}

struct max : elementwise_binary {
  static constexpr std::string_view name = "max";
  // b != b: b is NaN and is returned; a NaN a fails a < b and is returned as well.
  static constexpr auto forward(const auto& a, const auto& b) { return detail::math::select(a < b || b != b, b, a); }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a, const auto& b) {
    if constexpr (K == 0) return g * selection_weight(a, b, a < b);
    else return g * selection_weight(b, a, b < a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& b, const auto& da, const auto& db) {
    return selection_weight(a, b, a < b) * da + selection_weight(b, a, b < a) * db;
  }
};

struct min : elementwise_binary {
  static constexpr std::string_view name = "min";
  static constexpr auto forward(const auto& a, const auto& b) { return detail::math::select(b < a || b != b, b, a); }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& a, const auto& b) {
    if constexpr (K == 0) return g * selection_weight(a, b, a > b);
    else return g * selection_weight(b, a, b > a);
  }
  static constexpr auto jvp(const auto&, const auto& a, const auto& b, const auto& da, const auto& db) {
    return selection_weight(a, b, a > b) * da + selection_weight(b, a, b > a) * db;
  }
};

}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::max, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::max: the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};

template <class A, class B>
struct dtypes_differ<ops::min, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::min: the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

inline constexpr ops::binary_function<ops::max> max{};
inline constexpr ops::binary_function<ops::min> min{};
}  // namespace tapeless
