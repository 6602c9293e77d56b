#pragma once
// Independent oracles for tensor tests: random data, NumPy-style broadcast indexing written as
// plain loops, central finite differences of a loss computed by such loops (in double), and an
// elementwise comparison that reports the first mismatch. Nothing here calls tapeless.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace tapeless::testing {

template <std::size_t R>
using index_t = std::array<std::size_t, R>;

/// A tensor of `shape` with elements uniform in [lo, hi]; with avoid > 0, no element lies in
/// (-avoid, avoid) (to keep away from the kinks of abs, relu and the poles of division).
template <class T, std::size_t R>
xt::xtensor<T, R> random_tensor(std::mt19937_64& engine, const index_t<R>& shape, double lo, double hi,
                                double avoid = 0) {
  typename xt::xtensor<T, R>::shape_type s;
  std::copy(shape.begin(), shape.end(), s.begin());
  xt::xtensor<T, R> out(s);
  std::uniform_real_distribution<double> uniform(lo, hi);
  for (T& v : out) {
    double x = uniform(engine);
    while (std::fabs(x) < avoid) x = uniform(engine);
    v = static_cast<T>(x);
  }
  return out;
}

/// An elementwise copy into another dtype (a loop, not an xtensor cast).
template <class To, class From, std::size_t R>
xt::xtensor<To, R> convert(const xt::xtensor<From, R>& from) {
  xt::xtensor<To, R> out(from.shape());
  for (std::size_t i = 0; i < from.size(); ++i) out.data()[i] = static_cast<To>(from.data()[i]);
  return out;
}

/// The extents of a container as an array.
template <std::size_t R, class C>
index_t<R> extents_of(const C& c) {
  index_t<R> e{};
  for (std::size_t d = 0; d < R; ++d) e[d] = static_cast<std::size_t>(c.shape()[d]);
  return e;
}

/// Calls f(index) for every index of `shape`, in row-major order.
template <std::size_t R, class F>
void for_each_index(const index_t<R>& shape, F&& f) {
  index_t<R> i{};
  for (std::size_t d = 0; d < R; ++d)
    if (shape[d] == 0) return;
  while (true) {
    f(static_cast<const index_t<R>&>(i));
    std::size_t d = R;
    while (d > 0) {
      --d;
      if (++i[d] < shape[d]) break;
      i[d] = 0;
      if (d == 0) return;
    }
    if constexpr (R == 0) return;
  }
}

/// The row-major offset of `idx` in a container of `shape`.
template <std::size_t R>
std::size_t offset_of(const index_t<R>& shape, const index_t<R>& idx) {
  std::size_t off = 0;
  for (std::size_t d = 0; d < R; ++d) off = off * shape[d] + idx[d];
  return off;
}

/// The element of `c` (any rank) that NumPy broadcasting pairs with index `idx` of a result of
/// rank Rout: axes aligned on the right, an extent of 1 read at 0.
template <class C, std::size_t Rout>
double at_broadcast(const C& c, const index_t<Rout>& idx) {
  if constexpr (std::is_arithmetic_v<C>) {
    return static_cast<double>(c);
  } else {
    const std::size_t r = c.shape().size();
    std::size_t off = 0;
    for (std::size_t d = 0; d < r; ++d) {
      const std::size_t extent = static_cast<std::size_t>(c.shape()[d]);
      const std::size_t i = idx[Rout - r + d];
      off = off * extent + (extent == 1 ? 0 : i);
    }
    return static_cast<double>(c.data()[off]);
  }
}

/// Central differences of loss() with respect to every element of x (perturbed in place and
/// restored): the gradient of a loss computed by plain loops in double.
template <std::size_t R, class F>
xt::xtensor<double, R> numeric_gradient(xt::xtensor<double, R>& x, F&& loss) {
  xt::xtensor<double, R> g(x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) {
    double& v = x.data()[i];
    const double saved = v;
    const double h = 1e-6 * std::max(1.0, std::fabs(saved));
    v = saved + h;
    const double above = loss();
    v = saved - h;
    const double below = loss();
    v = saved;
    g.data()[i] = (above - below) / (2 * h);
  }
  return g;
}

/// The central difference of loss() with respect to one number x.
template <class F>
double numeric_derivative(double& x, F&& loss) {
  const double saved = x;
  const double h = 1e-6 * std::max(1.0, std::fabs(saved));
  x = saved + h;
  const double above = loss();
  x = saved - h;
  const double below = loss();
  x = saved;
  return (above - below) / (2 * h);
}

/// Tolerances for a tapeless result in dtype T against a double oracle: rtol relative to the
/// element, atol relative to the largest expected element (sums run in another order).
template <class T>
inline constexpr double value_rtol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
template <class T>
inline constexpr double value_atol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
/// An analytic gradient against central differences of a double oracle (error ~1e-9).
template <class T>
inline constexpr double gradient_rtol = std::is_same_v<T, float> ? 1e-4 : 1e-6;
template <class T>
inline constexpr double gradient_atol = std::is_same_v<T, float> ? 1e-4 : 1e-6;

/// Elementwise comparison of `actual` (a number or any xtensor expression) with `expected` (a
/// number or a container): shapes equal, |a - e| <= rtol |e| + atol max(1, max |e|).
template <class A, class E>
void check_all_close(const A& actual, const E& expected, double rtol, double atol, const std::string& what) {
  std::vector<double> got, want;
  std::vector<std::size_t> got_shape, want_shape;
  if constexpr (std::is_arithmetic_v<A>) {
    got.push_back(static_cast<double>(actual));
  } else {
    for (auto s : actual.shape()) got_shape.push_back(static_cast<std::size_t>(s));
    for (auto v : actual) got.push_back(static_cast<double>(v));
  }
  if constexpr (std::is_arithmetic_v<E>) {
    want.push_back(static_cast<double>(expected));
  } else {
    for (auto s : expected.shape()) want_shape.push_back(static_cast<std::size_t>(s));
    for (auto v : expected) want.push_back(static_cast<double>(v));
  }
  INFO(what);
  REQUIRE(got_shape == want_shape);
  REQUIRE(got.size() == want.size());
  double largest = 1;
  for (double v : want) largest = std::max(largest, std::fabs(v));
  std::size_t bad = 0;
  std::ostringstream first;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const bool ok = std::fabs(got[i] - want[i]) <= rtol * std::fabs(want[i]) + atol * largest;
    if (!ok && bad++ == 0)
      first << std::setprecision(17) << "element " << i << ": " << got[i] << ", expected " << want[i];
  }
  INFO(bad << " of " << got.size() << " elements differ; first " << first.str());
  CHECK(bad == 0);
}

/// A value of dtype T against a double oracle.
template <class T, class A, class E>
void check_value(const A& actual, const E& expected, const std::string& what) {
  check_all_close(actual, expected, value_rtol<T>, value_atol<T>, what);
}

/// A gradient of dtype T against finite differences of a double oracle.
template <class T, class A, class E>
void check_gradient(const A& actual, const E& expected, const std::string& what) {
  check_all_close(actual, expected, gradient_rtol<T>, gradient_atol<T>, what);
}

}  // namespace tapeless::testing
