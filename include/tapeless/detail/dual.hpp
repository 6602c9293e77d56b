#pragma once
// Dual numbers: a value and its derivative along one direction. The op rules are written once
// for any number type, so running a scalar graph's forward and reverse programs on duals gives,
// besides the value and the gradient, their derivatives along the direction: the
// Hessian-vector product (forward over reverse), in constant expressions too.
#include <limits>
#include <type_traits>

#include "math.hpp"

namespace tapeless::detail {

template <class T>
struct dual {
  T v{};  ///< value
  T d{};  ///< derivative along the direction

  constexpr dual() = default;
  constexpr dual(T value, T tangent) : v(value), d(tangent) {}
  template <class A>
    requires std::is_arithmetic_v<A>
  constexpr dual(A value) : v(static_cast<T>(value)) {}  // NOLINT: numbers mix with duals

  constexpr dual& operator+=(const dual& o) { return *this = *this + o; }
  constexpr dual& operator-=(const dual& o) { return *this = *this - o; }
  constexpr dual& operator*=(const dual& o) { return *this = *this * o; }
  constexpr dual& operator/=(const dual& o) { return *this = *this / o; }

  friend constexpr dual operator+(const dual& a) { return a; }
  friend constexpr dual operator-(const dual& a) { return {-a.v, -a.d}; }
  friend constexpr dual operator+(const dual& a, const dual& b) { return {a.v + b.v, a.d + b.d}; }
  friend constexpr dual operator-(const dual& a, const dual& b) { return {a.v - b.v, a.d - b.d}; }
  friend constexpr dual operator*(const dual& a, const dual& b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
  friend constexpr dual operator/(const dual& a, const dual& b) {
    return {a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v)};
  }
  // Comparisons look at values (the derivative does not change a branch).
  friend constexpr bool operator==(const dual& a, const dual& b) { return a.v == b.v; }
  friend constexpr bool operator!=(const dual& a, const dual& b) { return a.v != b.v; }
  friend constexpr bool operator<(const dual& a, const dual& b) { return a.v < b.v; }
  friend constexpr bool operator>(const dual& a, const dual& b) { return a.v > b.v; }
  friend constexpr bool operator<=(const dual& a, const dual& b) { return a.v <= b.v; }
  friend constexpr bool operator>=(const dual& a, const dual& b) { return a.v >= b.v; }
};

template <class T>
inline constexpr bool is_dual_v = false;
template <class T>
inline constexpr bool is_dual_v<dual<T>> = true;

/// The value part of a number: the number itself, or a dual number's value.
template <class T>
constexpr const auto& primal(const T& x) {
  if constexpr (is_dual_v<T>) return x.v;
  else return x;
}

/// Op's forward rule on numbers, or on dual numbers: the value by the forward rule and the
/// derivative by the op's own JVP rule, so that a point where the op is not differentiable (a tie
/// of max, relu at 0) gets the derivative its VJP transposes (ties split evenly).
template <class Op, class T, class... A>
constexpr T apply_forward(const A&... a) {
  if constexpr (is_dual_v<T>) {
    using V = decltype(T::v);
    const V y = static_cast<V>(Op::forward(a.v...));
    return T(y, static_cast<V>(Op::jvp(y, a.v..., a.d...)));
  } else {
    return static_cast<T>(Op::forward(a...));
  }
}

/// Positive infinity of a number type (a dual's derivative part zero).
template <class T>
constexpr T infinity() {
  if constexpr (is_dual_v<T>) return T(infinity<decltype(T::v)>(), 0);
  else return std::numeric_limits<T>::infinity();
}

// Elementary functions, found by argument-dependent lookup from the op rules.
template <class T>
constexpr dual<T> exp(const dual<T>& a) {
  const T e = math::exp(a.v);
  return {e, e * a.d};
}
template <class T>
constexpr dual<T> expm1(const dual<T>& a) {
  return {math::expm1(a.v), math::exp(a.v) * a.d};
}
template <class T>
constexpr dual<T> log(const dual<T>& a) {
  return {math::log(a.v), a.d / a.v};
}
template <class T>
constexpr dual<T> log1p(const dual<T>& a) {
  return {math::log1p(a.v), a.d / (T(1) + a.v)};
}
template <class T>
constexpr dual<T> sqrt(const dual<T>& a) {
  const T s = math::sqrt(a.v);
  return {s, a.d / (T(2) * s)};
}
template <class T>
constexpr dual<T> sin(const dual<T>& a) {
  return {math::sin(a.v), math::cos(a.v) * a.d};
}
template <class T>
constexpr dual<T> cos(const dual<T>& a) {
  return {math::cos(a.v), -math::sin(a.v) * a.d};
}
template <class T>
constexpr dual<T> tanh(const dual<T>& a) {
  const T t = math::tanh(a.v);
  return {t, (T(1) - t * t) * a.d};
}
template <class T>
constexpr dual<T> erf(const dual<T>& a) {
  return {math::erf(a.v), T(1.1283791670955125739) * math::exp(-a.v * a.v) * a.d};
}
template <class T>
constexpr dual<T> fabs(const dual<T>& a) {
  return {math::fabs(a.v), math::sign(a.v) * a.d};
}
/// a^b; the log a term only where b varies (a constant exponent of a negative base is fine).
template <class T>
constexpr dual<T> pow(const dual<T>& a, const dual<T>& b) {
  const T y = math::pow(a.v, b.v);
  T d = a.d == T(0) ? T(0) : b.v * math::pow(a.v, b.v - T(1)) * a.d;
  if (b.d != T(0)) d += y * math::log(a.v) * b.d;
  return {y, d};
}

}  // namespace tapeless::detail
