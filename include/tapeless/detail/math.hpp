#pragma once
// Elementwise math used by the op rules. Written once for numbers; tensor kernels overload the
// same names, so an op rule reads the same for a scalar and for a tensor.
#include <cmath>

namespace tapeless::detail::math {

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
  using std::exp;
  if (x >= T(0)) return T(1) / (T(1) + exp(-x));
  const T e = exp(x);
  return e / (T(1) + e);
}

/// log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
template <class T>
constexpr T softplus(T x) {
  using std::exp;
  using std::fabs;
  using std::log1p;
  return (x > T(0) ? x : T(0)) + log1p(exp(-fabs(x)));
}

}  // namespace tapeless::detail::math
