#pragma once
// Comparisons for the training layer's reference tests (nn_*.cpp): a tapeless result (a number
// or any xtensor expression) against LibTorch's tensor (torch_nn.hpp), element by element.
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
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "support/gradcheck.hpp"
#include "torch_reference.hpp"

namespace tapeless::testing {

/// The agreement asked of the training layer against LibTorch: the same formulas in the same
/// dtype, with sums in another order.
template <class T>
inline constexpr tolerance nn_tolerance = std::is_same_v<T, float> ? tolerance{1e-5, 1e-5} : tolerance{1e-12, 1e-12};

/// A number or an xtensor expression as a reference tensor (in double).
template <class A>
reference::tensor as_tensor(const A& a) {
  reference::tensor t;
  if constexpr (std::is_arithmetic_v<A>) {
    t.data.push_back(static_cast<double>(a));
  } else {
    const auto evaluated = xt::eval(a);
    t.shape.assign(evaluated.shape().begin(), evaluated.shape().end());
    t.data.assign(evaluated.begin(), evaluated.end());
  }
  return t;
}

/// Elements [begin, begin + count) of a flat tensor, with extents `shape`.
inline reference::tensor part(const reference::tensor& flat, std::size_t begin, std::vector<std::size_t> shape) {
  std::size_t count = 1;
  for (std::size_t e : shape) count *= e;
  reference::tensor t{std::move(shape), {}};
  if (begin + count <= flat.data.size())
    t.data.assign(flat.data.begin() + static_cast<std::ptrdiff_t>(begin),
                  flat.data.begin() + static_cast<std::ptrdiff_t>(begin + count));
  return t;
}

/// Every element of `actual` within rtol·|expected| + atol·scale of LibTorch's, where scale is
/// the largest |expected| of the tensor, or `least_scale` if that is larger; an element LibTorch
/// gives as finite must be finite, and with `all_finite` every element of both must be finite
/// (no overflow to inf or NaN anywhere). Returns whether all agree.
inline bool check_elements(const reference::tensor& actual, const reference::tensor& expected, tolerance tol,
                           const std::string& what, bool all_finite = false, double least_scale = 0) {
  INFO(what);
  REQUIRE(actual.shape == expected.shape);
  REQUIRE(actual.data.size() == expected.data.size());
  double largest = least_scale;
  for (double v : expected.data)
    if (std::isfinite(v)) largest = std::max(largest, std::fabs(v));
  std::size_t bad = 0, not_finite = 0;
  std::ostringstream first;
  first << std::setprecision(17);
  for (std::size_t i = 0; i < actual.data.size(); ++i) {
    const double a = actual.data[i], e = expected.data[i];
    if (!std::isfinite(a) || !std::isfinite(e)) ++not_finite;
    const bool close = std::isfinite(a) && std::isfinite(e)
                           ? std::fabs(a - e) <= tol.rtol * std::fabs(e) + tol.atol * largest
                           : is_close(a, e, {0, 0});
    if (!close && bad++ == 0) first << "element " << i << ": " << a << " against LibTorch's " << e;
  }
  INFO(bad << " of " << actual.data.size() << " elements differ (rtol " << tol.rtol << ", atol " << tol.atol << " x "
           << largest << "); first " << first.str());
  CHECK(bad == 0);
  if (all_finite) {
    INFO(not_finite << " elements are inf or NaN");
    CHECK(not_finite == 0);
  }
  return bad == 0 && (!all_finite || not_finite == 0);
}

/// An xtensor of dtype T and extents `shape`, filled from `next()`.
template <class T, std::size_t Rank, class Next>
xt::xtensor<T, Rank> filled(const std::array<std::size_t, Rank>& shape, Next&& next) {
  xt::xtensor<T, Rank> out = xt::xtensor<T, Rank>::from_shape(shape);
  for (T& v : out) v = static_cast<T>(next());
  return out;
}

/// Uniform in [lo, hi] from `engine`, rounded to T.
template <class T, std::size_t Rank>
xt::xtensor<T, Rank> uniform_tensor(const std::array<std::size_t, Rank>& shape, std::mt19937_64& engine, double lo,
                                    double hi) {
  std::uniform_real_distribution<double> uniform(lo, hi);
  return filled<T>(shape, [&] { return uniform(engine); });
}

}  // namespace tapeless::testing
