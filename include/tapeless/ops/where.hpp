#pragma once
// where — Math: y = c != 0 ? a : b, elementwise (c is a mask such as `x > 0`).
// The gradient goes to the selected operand (g where c != 0 to a, elsewhere to b); the mask
// gets none. Shapes: broadcast of all three. Example: `tl::where(x > 0, x, 0.01 * x)`.
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../detail/math.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct where : elementwise_ternary {
  static constexpr std::string_view name = "where";
  static constexpr auto forward(const auto& c, const auto& a, const auto& b) { return detail::math::select(c != 0, a, b); }
  template <std::size_t K>
  static constexpr auto vjp(const auto& g, const auto&, const auto& c, const auto&, const auto&) {
    if constexpr (K == 0) return detail::math::filled_like(g, 0);
    else if constexpr (K == 1) return detail::math::select(c != 0, g, detail::math::filled_like(g, 0));
    else return detail::math::select(c != 0, detail::math::filled_like(g, 0), g);
  }
  static constexpr auto jvp(const auto&, const auto& c, const auto&, const auto&, const auto&, const auto& da,
                            const auto& db) {
    return detail::math::select(c != 0, da, db);
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::where, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::where: the mask and the values have different dtypes (float32 and float64); "
                "declare both leaves with the same dtype");
};
}  // namespace diagnostics

namespace detail {
template <class T, class C, class A, class B>
constexpr auto make_where(const C& c, const A& a, const B& b) {
  using LC = lifted_t<T, C>;
  using LA = lifted_t<T, A>;
  using LB = lifted_t<T, B>;
  constexpr bool same_dtype = std::is_same_v<typename LC::value_type, typename LA::value_type> &&
                              std::is_same_v<typename LA::value_type, typename LB::value_type>;
  constexpr bool ab = broadcastable_v<typename LA::shape_type, typename LB::shape_type>;
  constexpr bool cab = ab && broadcastable_v<typename LC::shape_type, broadcast_t<typename LA::shape_type, typename LB::shape_type>>;
  if constexpr (!same_dtype || !cab) {
    if constexpr (!contains_rejected_v<LC> && !contains_rejected_v<LA> && !contains_rejected_v<LB>) {
      if constexpr (!same_dtype)
        (void)diagnostics::dtypes_differ<ops::where, typename LC::value_type, typename LA::value_type>{};
      else if constexpr (!ab)
        (void)diagnostics::shapes_do_not_broadcast<ops::where, typename LA::shape_type, typename LB::shape_type>{};
      else
        (void)diagnostics::shapes_do_not_broadcast<ops::where, typename LC::shape_type,
                                                   broadcast_t<typename LA::shape_type, typename LB::shape_type>>{};
    }
    return node<ops::rejected<ops::where>, LC, LA, LB>{lift<T>(c), lift<T>(a), lift<T>(b)};
  } else if constexpr (!LC::positional && !LA::positional && !LB::positional) {
    return node<ops::where, LC, LA, LB>{};
  } else {
    return node<ops::where, LC, LA, LB>{lift<T>(c), lift<T>(a), lift<T>(b)};
  }
}
}  // namespace detail

/// `where(mask, a, b)`: a where the mask is nonzero, b elsewhere; a or b may be a number.
template <expression C, operand A, operand B>
[[nodiscard]] constexpr auto where(const C& c, const A& a, const B& b) {
  return detail::make_where<typename C::value_type>(c, a, b);
}
}  // namespace tapeless
