#pragma once
// Numerical tools for checking derivatives, shared by every op test and the reference tests:
// tolerances per dtype, closeness with a relative and an absolute part, central finite
// differences that estimate their own error, and the consistency of an op rule's
// vector-Jacobian product with its Jacobian-vector product. Header only, no test framework.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace tapeless::testing {

struct tolerance {
  double rtol;
  double atol;
};

template <class T>
inline constexpr double epsilon = std::numeric_limits<T>::epsilon();

/// Smallest normal number of T: results below it have lost relative precision.
template <class T>
inline constexpr double tiny = std::numeric_limits<T>::min();

/// A result in dtype T against an exact oracle evaluated at the same (rounded) input.
template <class T>
inline constexpr tolerance value_tolerance{16 * epsilon<T>, 16 * tiny<T>};

/// An analytic derivative in dtype T against an exact oracle. Formulas such as 1 - y^2 lose
/// absolute, not relative, precision when y is near 1, hence the absolute part.
template <class T>
inline constexpr tolerance derivative_tolerance{32 * epsilon<T>, 8 * epsilon<T>};

/// Two computations in the same dtype that differ only in the order of rounding.
template <class T>
inline constexpr tolerance rounding_tolerance{8 * epsilon<T>, 8 * tiny<T>};

/// |actual - expected| <= atol + rtol |expected|. Infinities must be equal; NaN matches only NaN.
inline bool is_close(double actual, double expected, tolerance tol) {
  if (std::isnan(actual) || std::isnan(expected)) return std::isnan(actual) && std::isnan(expected);
  if (std::isinf(actual) || std::isinf(expected)) return actual == expected;
  return std::fabs(actual - expected) <= tol.atol + tol.rtol * std::fabs(expected);
}

/// The base step of a central difference in dtype T: cbrt(eps) balances the truncation error
/// (h^2) against rounding (eps / h) for a function that varies on a scale of 1.
template <class T>
inline const double difference_step = std::cbrt(epsilon<T>);

/// A finite-difference derivative and an estimate of its error.
struct difference {
  double derivative;
  double error;
};

namespace detail {
// (f(x + h) - f(x - h)) / (2h), with the step that T can actually represent.
template <class T, class F>
double central_quotient(F&& f, T x, double h, double& rounding) {
  const T above = static_cast<T>(static_cast<double>(x) + h);
  const T below = static_cast<T>(static_cast<double>(x) - h);
  const double step = static_cast<double>(above) - static_cast<double>(below);
  const double f_above = static_cast<double>(f(above));
  const double f_below = static_cast<double>(f(below));
  rounding = 4 * epsilon<T> * std::max(std::fabs(f_above), std::fabs(f_below)) / step;
  return (f_above - f_below) / step;
}
}  // namespace detail

/// Central difference of f : T -> T at x, with its error estimated from the change between
/// steps h and 2h (the truncation error is O(h^2): a change of 3 times it) plus a rounding bound.
/// Two steps are tried, one of unit scale and one proportional to |x| (right for functions
/// that vary on the scale of x, such as x^2 at large x or log x near 0); the one with the
/// smaller estimated error wins.
template <class T, class F>
difference central_difference(F&& f, T x) {
  const auto at_step = [&](double h) {
    double rounding = 0;
    double rounding_wide = 0;
    const double fine = detail::central_quotient<T>(f, x, h, rounding);
    const double wide = detail::central_quotient<T>(f, x, 2 * h, rounding_wide);
    return difference{fine, std::fabs(wide - fine) + rounding + rounding_wide};
  };
  const double magnitude = std::fabs(static_cast<double>(x));
  const difference unit = at_step(difference_step<T>);
  if (magnitude == 0 || magnitude == 1) return unit;
  const difference scaled = at_step(difference_step<T> * magnitude);
  if (std::isnan(unit.error)) return scaled;
  return scaled.error < unit.error ? scaled : unit;
}

/// Finite differences in T are trusted only when their own error estimate is small; a larger
/// one means a kink or a singularity within the step, and the comparison fails loudly.
template <class T>
inline constexpr double difference_reliability = std::is_same_v<T, float> ? 3e-2 : 1e-5;

/// Relative slack on top of the estimated error of a finite difference.
template <class T>
inline constexpr double difference_rtol = std::is_same_v<T, float> ? 2e-3 : 1e-6;

/// A derivative agrees with a finite difference when they differ by less than the difference's
/// (small) estimated error plus a relative slack.
template <class T>
inline bool agrees_with_difference(double derivative, difference fd) {
  if (!std::isfinite(derivative) || !std::isfinite(fd.derivative)) return false;
  const double scale = std::max({1.0, std::fabs(derivative), std::fabs(fd.derivative)});
  if (fd.error > difference_reliability<T> * scale) return false;
  return std::fabs(derivative - fd.derivative) <= 4 * fd.error + difference_rtol<T> * scale;
}

/// The two sides of <vjp(g), t> = <g, jvp(t)> for one op at one point, and the magnitude of
/// the terms summed on each side (the scale of their rounding error).
struct rule_products {
  double vjp_side;
  double jvp_side;
  double scale;
};

/// Both sides for a unary op rule `Op` at a, cotangent g and tangent t.
template <class Op, class T>
rule_products unary_rule_products(T a, T g, T t) {
  const T y = Op::forward(a);
  const double vjp_side = static_cast<double>(Op::template vjp<0>(g, y, a)) * t;
  const double jvp_side = static_cast<double>(g) * static_cast<double>(Op::jvp(y, a, t));
  return {vjp_side, jvp_side, std::fabs(vjp_side)};
}

/// Both sides for a binary op rule `Op` at (a, b), cotangent g and tangents (ta, tb).
template <class Op, class T>
rule_products binary_rule_products(T a, T b, T g, T ta, T tb) {
  const T y = Op::forward(a, b);
  const double first = static_cast<double>(Op::template vjp<0>(g, y, a, b)) * ta;
  const double second = static_cast<double>(Op::template vjp<1>(g, y, a, b)) * tb;
  const double jvp_side = static_cast<double>(g) * static_cast<double>(Op::jvp(y, a, b, ta, tb));
  return {first + second, jvp_side, std::fabs(first) + std::fabs(second)};
}

/// The sides agree up to rounding in T relative to the size of the summed terms.
template <class T>
inline bool rule_products_agree(rule_products p) {
  const tolerance tol = rounding_tolerance<T>;
  return is_close(p.vjp_side, p.jvp_side, {tol.rtol, tol.atol + tol.rtol * (std::isfinite(p.scale) ? p.scale : 0)});
}

}  // namespace tapeless::testing
