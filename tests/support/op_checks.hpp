#pragma once
// Catch2 checks for one op through the public API: the value against an independent oracle,
// the gradient from tl::grad against the oracle's derivative and against central finite
// differences of the value, and the op rule's VJP against its JVP. Oracles take and return
// long double, so they are exact to well below the precision of float and double.
#include <catch2/catch.hpp>

#include <cmath>
#include <iomanip>
#include <type_traits>
#include <utility>
#include <vector>

#include <tapeless/tapeless.hpp>

#include "gradcheck.hpp"

namespace tapeless::testing {

using points = std::vector<double>;
using point_pairs = std::vector<std::pair<double, double>>;

/// Ordinary inputs, both signs, zero included.
inline const points general_points{-3.7, -2.5, -1.3, -1.0, -0.6, -0.21, 0.0, 0.05, 0.3, 0.77, 1.0, 1.9, 2.6, 4.2};
/// Inputs inside the domain of log and sqrt.
inline const points positive_points{1e-3, 0.05, 0.3, 0.5, 0.77, 1.0, 1.9, 2.6, 4.2, 10.0, 123.0};
/// Where sigmoid, softplus and tanh saturate; naive formulas overflow here.
inline const points saturating_points{-1000.0, -100.0, -40.0, -20.0, 20.0, 40.0, 100.0, 1000.0};

/// Every pair (a, b) with a from `as` and b from `bs`.
inline point_pairs grid(const points& as, const points& bs) {
  point_pairs out;
  for (double a : as)
    for (double b : bs) out.emplace_back(a, b);
  return out;
}

/// Cotangents and tangents for the VJP-JVP identity.
inline const points cotangents{1.0, -1.5};
inline const points tangents{1.0, -0.75, 2.5};

inline void check_close(double actual, double expected, tolerance tol, const char* what) {
  INFO(what << ": " << std::setprecision(17) << actual << " against " << expected);
  CHECK(is_close(actual, expected, tol));
}

template <class T>
void check_difference(double derivative, difference fd, const char* what) {
  INFO(what << ": " << std::setprecision(17) << derivative << " against the finite difference "
            << fd.derivative << " (estimated error " << fd.error << ")");
  CHECK(agrees_with_difference<T>(derivative, fd));
}

/// Finite inputs that the oracle maps to a finite number must stay finite (no overflow inside).
inline void check_finite_like(double actual, double expected, const char* what) {
  if (!std::isfinite(expected)) return;
  INFO(what << " is " << actual << ", expected a finite number");
  CHECK(std::isfinite(actual));
}

template <class Op, class T>
void check_unary_rule(T a) {
  for (double g : cotangents)
    for (double t : tangents) {
      const rule_products p = unary_rule_products<Op>(a, static_cast<T>(g), static_cast<T>(t));
      INFO("vjp against jvp, g = " << g << ", t = " << t << ": " << std::setprecision(17) << p.vjp_side
                                   << " against " << p.jvp_side);
      CHECK(rule_products_agree<T>(p));
    }
}

template <class Op, class T>
void check_binary_rule(T a, T b) {
  for (double g : cotangents)
    for (double ta : tangents)
      for (double tb : tangents) {
        const rule_products p =
            binary_rule_products<Op>(a, b, static_cast<T>(g), static_cast<T>(ta), static_cast<T>(tb));
        INFO("vjp against jvp, g = " << g << ", t = (" << ta << ", " << tb << "): " << std::setprecision(17)
                                     << p.vjp_side << " against " << p.jvp_side);
        CHECK(rule_products_agree<T>(p));
      }
}

/// The value of e with its leaves bound, as a function of the bound numbers.
template <class E, class X, class T>
T value_of(const E& e, const X& x, T a) {
  return tapeless::value(e, x = a);
}
template <class E, class X, class Y, class T>
T value_of(const E& e, const X& x, T a, const Y& y, T b) {
  return tapeless::value(e, x = a, y = b);
}

struct no_kinks {
  constexpr bool operator()(double) const { return false; }
  constexpr bool operator()(double, double) const { return false; }
};

/// One-operand expression e of the leaf x, at every point: value, gradient (against the
/// derivative oracle and, except where `is_kink`, finite differences) and, when e is `op(x)`,
/// the op rule's VJP against its JVP.
template <class E, class Leaf, class Value, class Derivative, class Kink = no_kinks>
void check_unary(const E& e, const Leaf& x, Value oracle, Derivative derivative, const points& at,
                 Kink is_kink = {}) {
  using T = typename E::value_type;
  for (double p : at) {
    const T a = static_cast<T>(p);
    const long double exact = a;
    INFO("x = " << std::setprecision(17) << static_cast<double>(a) << " (" << dtype_name<T> << ")");
    const double value = value_of(e, x, a);
    check_close(value, static_cast<double>(oracle(exact)), value_tolerance<T>, "value");
    check_finite_like(value, static_cast<double>(oracle(exact)), "value");
    const double gradient = tapeless::grad(e, x).at(x = a);
    check_close(gradient, static_cast<double>(derivative(exact)), derivative_tolerance<T>, "gradient");
    check_finite_like(gradient, static_cast<double>(derivative(exact)), "gradient");
    if (!is_kink(p)) {
      const auto f = [&](T v) { return value_of(e, x, v); };
      check_difference<T>(gradient, central_difference<T>(f, a), "gradient");
    }
    if constexpr (std::is_same_v<E, node<typename E::op, Leaf>>) check_unary_rule<typename E::op>(a);
  }
}

/// Two-operand expression e of the leaves x and y, at every point (a, b); as check_unary, with
/// both partial derivatives.
template <class E, class X, class Y, class Value, class DA, class DB, class Kink = no_kinks>
void check_binary(const E& e, const X& x, const Y& y, Value oracle, DA derivative_a, DB derivative_b,
                  const point_pairs& at, Kink is_kink = {}) {
  using T = typename E::value_type;
  for (const auto& [pa, pb] : at) {
    const T a = static_cast<T>(pa);
    const T b = static_cast<T>(pb);
    const long double ea = a;
    const long double eb = b;
    INFO("(x, y) = (" << std::setprecision(17) << static_cast<double>(a) << ", " << static_cast<double>(b)
                      << ") (" << dtype_name<T> << ")");
    const double value = value_of(e, x, a, y, b);
    check_close(value, static_cast<double>(oracle(ea, eb)), value_tolerance<T>, "value");
    const auto gradients = tapeless::grad(e, x, y).at(x = a, y = b);
    check_close(gradients[x], static_cast<double>(derivative_a(ea, eb)), derivative_tolerance<T>, "d/dx");
    check_close(gradients[y], static_cast<double>(derivative_b(ea, eb)), derivative_tolerance<T>, "d/dy");
    check_finite_like(gradients[x], static_cast<double>(derivative_a(ea, eb)), "d/dx");
    check_finite_like(gradients[y], static_cast<double>(derivative_b(ea, eb)), "d/dy");
    if (!is_kink(pa, pb)) {
      const auto fa = [&](T v) { return value_of(e, x, v, y, b); };
      const auto fb = [&](T v) { return value_of(e, x, a, y, v); };
      check_difference<T>(gradients[x], central_difference<T>(fa, a), "d/dx");
      check_difference<T>(gradients[y], central_difference<T>(fb, b), "d/dy");
    }
    if constexpr (std::is_same_v<E, node<typename E::op, X, Y>>) check_binary_rule<typename E::op>(a, b);
  }
}

}  // namespace tapeless::testing
