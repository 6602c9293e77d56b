#pragma once
// pow — Math: y = a^b. dy/da = b a^(b-1) (0 when b = 0), dy/db = y ln a (0 when a = 0 and
// b >= 0), matching PyTorch. Shapes: broadcast.
// Example: `tl::pow(x, 3)` (integer exponent), `tl::pow(x, 2.5)`, `tl::pow(x, y)`.
#include <cmath>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct pow : elementwise_binary {
  static constexpr std::string_view name = "pow";
  static constexpr auto forward(const auto& a, const auto& b) {
    return detail::math::pow(a, b);
  }
  static constexpr auto partial_base(const auto& a, const auto& b) {
    // b a^(b-1) is 0 at b = 0 whatever a is (also 0, NaN), as PyTorch's; there it is computed
    // with a harmless base, so that its own derivative in b, 1/a, survives (second derivatives).
    const auto base = detail::math::select(b == 0 && (a == 0 || a != a), detail::math::filled_like(a, 1), a);
    return b * detail::math::pow(base, b - 1);
  }
  static constexpr auto partial_exponent(const auto& y, const auto& a, const auto& b) {
    return detail::math::select(a == 0 && b >= 0, detail::math::filled_like(y, 0), y * detail::math::log(a));
  }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto& y, const auto& a, const auto& b) {
    if constexpr (K == 0) return g * partial_base(a, b);
    else return g * partial_exponent(y, a, b);
  }
  /// A term whose tangent is zero is left out, not multiplied by 0 (and, on numbers, not
  /// computed: in a constant expression a NaN is an error): a constant exponent of a negative
  /// base has no ln a term.
  static constexpr auto jvp(const auto& y, const auto& a, const auto& b, const auto& da, const auto& db) {
    using detail::math::filled_like;
    using detail::math::select;
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(y)>>) {
      auto d = filled_like(y, 0);
      if (da != 0) d += partial_base(a, b) * da;
      if (db != 0) d += partial_exponent(y, a, b) * db;
      return d;
    } else {
      return select(da == 0, filled_like(y, 0), partial_base(a, b) * da) +
             select(db == 0, filled_like(y, 0), partial_exponent(y, a, b) * db);
    }
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::pow, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::pow: the operands have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

inline constexpr ops::binary_function<ops::pow> pow{};
}  // namespace tapeless
