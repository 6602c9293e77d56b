#pragma once
// Checks of one reduction on tensors: the value against a plain loop that visits every element
// of the operand and accumulates it into the output element of its kept axes, and the gradient
// of sum(reduce(f(a)) * w) against central differences of the same loop in double.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include <tapeless/tapeless.hpp>

#include "tensor_oracle.hpp"

namespace tapeless::testing {

enum class reduction { sum, mean, max, min };

/// The reduction of `a` over the axes marked in `reduced`, as a flat row-major vector over the
/// kept axes (keepdims changes only the shape, not this order).
template <std::size_t R>
std::vector<double> reduce_oracle(const xt::xtensor<double, R>& a, const std::array<bool, R>& reduced, reduction kind) {
  const auto shape = extents_of<R>(a);
  std::size_t out_size = 1, count = 1;
  for (std::size_t d = 0; d < R; ++d) (reduced[d] ? count : out_size) *= shape[d];
  const double start = kind == reduction::max   ? -std::numeric_limits<double>::infinity()
                       : kind == reduction::min ? std::numeric_limits<double>::infinity()
                                                : 0.0;
  std::vector<double> out(out_size, start);
  for_each_index<R>(shape, [&](const index_t<R>& i) {
    std::size_t o = 0;
    for (std::size_t d = 0; d < R; ++d)
      if (!reduced[d]) o = o * shape[d] + i[d];
    const double v = a.data()[offset_of<R>(shape, i)];
    double& acc = out[o];
    if (kind == reduction::max) acc = std::max(acc, v);
    else if (kind == reduction::min) acc = std::min(acc, v);
    else acc += v;
  });
  if (kind == reduction::mean)
    for (double& v : out) v /= static_cast<double>(count);
  return out;
}

/// The expected result's shape: kept axes, and reduced ones as 1 under keepdims.
template <std::size_t R>
std::vector<std::size_t> reduced_shape(const index_t<R>& shape, const std::array<bool, R>& reduced, bool keepdims) {
  std::vector<std::size_t> out;
  for (std::size_t d = 0; d < R; ++d)
    if (!reduced[d]) out.push_back(shape[d]);
    else if (keepdims) out.push_back(1);
  return out;
}

/// y = make(a) for a param a of shape S, a reduction over the axes marked in `reduced`, against
/// the plain loop; the gradient of sum(y * w) (or y * w for a scalar y) against central
/// differences. Random data in [-2, 2]: no ties, so amax / amin are differentiable there.
template <class T, class S, class Make>
void check_reduction(const std::string& what, Make make, const std::array<bool, S::rank>& reduced, reduction kind,
                     bool keepdims, std::uint64_t seed) {
  namespace tl = tapeless;
  constexpr std::size_t R = S::rank;
  constexpr auto a = tl::param<"a", S, T>;
  const auto y = make(a);
  using Y = std::remove_cvref_t<decltype(y)>;
  using SY = typename Y::shape_type;
  constexpr std::size_t RY = SY::rank;
  constexpr auto w = tl::input<"w", SY, T>;

  std::mt19937_64 engine(seed);
  auto A = convert<double>(convert<T>(random_tensor<double, R>(engine, S::extents, -2.0, 2.0)));
  const auto At = convert<T>(A);
  const std::vector<std::size_t> out_shape = reduced_shape<R>(S::extents, reduced, keepdims);
  INFO(what << " (" << (std::is_same_v<T, float> ? "float" : "double") << ")");
  REQUIRE(out_shape.size() == RY);

  xt::xarray<double> expected(out_shape);
  {
    const auto flat = reduce_oracle<R>(A, reduced, kind);
    REQUIRE(flat.size() == expected.size());
    std::copy(flat.begin(), flat.end(), expected.begin());
  }
  auto forward = tl::compile(y);
  check_value<T>(forward(a = At).value(), expected, "value against a plain loop");

  if constexpr (RY == 0) {
    const double W = 1.7;
    const auto oracle = [&] { return reduce_oracle<R>(A, reduced, kind)[0] * W; };
    auto step = tl::compile(y * w, tl::wrt(a));
    const auto r = step(a = At, w = static_cast<T>(W));
    check_value<T>(r.value(), oracle(), "loss against a plain loop");
    check_gradient<T>(r.grad(a), numeric_gradient(A, oracle), "d loss / d a against finite differences");
  } else {
    std::array<std::size_t, RY> wshape{};
    std::copy(out_shape.begin(), out_shape.end(), wshape.begin());
    const auto W = convert<double>(convert<T>(random_tensor<double, RY>(engine, wshape, -1.0, 1.0)));
    const auto oracle = [&] {
      const auto flat = reduce_oracle<R>(A, reduced, kind);
      double s = 0;
      for (std::size_t i = 0; i < flat.size(); ++i) s += flat[i] * W.data()[i];
      return s;
    };
    auto step = tl::compile(tl::sum(y * w), tl::wrt(a));
    const auto Wt = convert<T>(W);
    const auto r = step(a = At, w = Wt);
    check_value<T>(r.value(), oracle(), "loss against a plain loop");
    check_gradient<T>(r.grad(a), numeric_gradient(A, oracle), "d loss / d a against finite differences");
  }
}

}  // namespace tapeless::testing
