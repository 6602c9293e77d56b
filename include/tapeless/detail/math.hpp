#pragma once
// Elementwise math used by the op rules. Written once for numbers; tensor kernels overload the
// same names, so an op rule reads the same for a scalar and for a tensor.
#include <cmath>
#include <type_traits>

#include "constexpr_math.hpp"

namespace tapeless::detail::math {

// The elementary functions of the op rules. For a float or double they are constexpr: in a
// constant expression they run the code of constexpr_math.hpp, at run time the C library's.
// Any other argument type (a SIMD batch) finds its own overload by argument-dependent lookup.
template <class T>
constexpr T exp(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::exp(x)) : std::exp(x);
  else { using std::exp; return exp(x); }
}
template <class T>
constexpr T expm1(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::expm1(x)) : std::expm1(x);
  else { using std::expm1; return expm1(x); }
}
template <class T>
constexpr T log(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::log(x)) : std::log(x);
  else { using std::log; return log(x); }
}
template <class T>
constexpr T log1p(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::log1p(x)) : std::log1p(x);
  else { using std::log1p; return log1p(x); }
}
template <class T>
constexpr T sqrt(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::sqrt(x)) : std::sqrt(x);
  else { using std::sqrt; return sqrt(x); }
}
template <class T>
constexpr T sin(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::sin(x)) : std::sin(x);
  else { using std::sin; return sin(x); }
}
template <class T>
constexpr T cos(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::cos(x)) : std::cos(x);
  else { using std::cos; return cos(x); }
}
template <class T>
constexpr T tanh(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::tanh(x)) : std::tanh(x);
  else { using std::tanh; return tanh(x); }
}
template <class T>
constexpr T erf(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::erf(x)) : std::erf(x);
  else { using std::erf; return erf(x); }
}
template <class T>
constexpr T fabs(const T& x) {
  if constexpr (std::is_floating_point_v<T>) return std::is_constant_evaluated() ? T(cx::fabs(x)) : std::fabs(x);
  else { using std::fabs; return fabs(x); }
}

template <class T>
constexpr T pow(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::is_constant_evaluated()) return static_cast<T>(cx::pow(static_cast<double>(a), static_cast<double>(b)));
    return std::pow(a, b);
  } else {
    using std::pow;
    return pow(a, b);
  }
}

/// A value of the same type as `like`, holding the number v.
template <class T>
constexpr T filled_like(const T&, double v) {
  return static_cast<T>(v);
}

template <class T>
constexpr T select(bool condition, T if_true, T if_false) {
  return condition ? if_true : if_false;
}

/// sign with sign(0) = 0, as torch.sign.
template <class T>
constexpr T sign(T x) {
  return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
}

/// Logistic function without overflow for large |x|.
template <class T>
constexpr T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + exp(-x));
  const T e = exp(x);
  return e / (T(1) + e);
}

/// log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
template <class T>
constexpr T softplus(T x) {
  return (x > T(0) ? x : T(0)) + log1p(exp(-fabs(x)));
}

}  // namespace tapeless::detail::math
