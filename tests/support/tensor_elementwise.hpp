#pragma once
// Checks of one elementwise op on tensors: the value against a plain loop over the broadcast
// result, and the gradients of loss = sum(f(a, b) * w) (w a fixed random input of the result's
// shape) against central differences of the same loss computed by plain loops in double.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

#include <tapeless/tapeless.hpp>

#include "tensor_oracle.hpp"

namespace tapeless::testing {

/// How the operands of a checked op are drawn.
struct operand_range {
  double lo = -2.0;
  double hi = 2.0;
  double avoid = 0.0;     // no element in (-avoid, avoid)
  bool integers = false;  // round to whole numbers (ties for comparisons)
};

template <class T, std::size_t R>
xt::xtensor<double, R> draw(std::mt19937_64& engine, const index_t<R>& shape, operand_range range) {
  auto x = random_tensor<double, R>(engine, shape, range.lo, range.hi, range.avoid);
  if (range.integers)
    for (double& v : x) v = std::round(v);
  // The oracle sees exactly the numbers tapeless sees in dtype T.
  return convert<double>(convert<T>(x));
}

/// f(a, b) for params a of shape SA and b of shape SB (broadcast against each other), against
/// ref(double, double) applied elementwise by a plain loop.
template <class T, class SA, class SB, class Make, class Ref>
void check_binary(const std::string& what, Make make, Ref ref, std::uint64_t seed, operand_range ra = {},
                  operand_range rb = {}) {
  namespace tl = tapeless;
  using SO = tl::broadcast_t<SA, SB>;
  constexpr std::size_t RA = SA::rank, RB = SB::rank, RO = SO::rank;
  constexpr auto a = tl::param<"a", SA, T>;
  constexpr auto b = tl::param<"b", SB, T>;
  constexpr auto w = tl::input<"w", SO, T>;
  const auto y = make(a, b);
  const auto loss = tl::sum(y * w);

  std::mt19937_64 engine(seed);
  auto A = draw<T, RA>(engine, SA::extents, ra);
  auto B = draw<T, RB>(engine, SB::extents, rb);
  const auto W = draw<T, RO>(engine, SO::extents, {-1.0, 1.0});
  const auto At = convert<T>(A);
  const auto Bt = convert<T>(B);
  const auto Wt = convert<T>(W);

  typename xt::xtensor<double, RO>::shape_type out_shape;
  std::copy(SO::extents.begin(), SO::extents.end(), out_shape.begin());
  xt::xtensor<double, RO> expected(out_shape);
  for_each_index<RO>(SO::extents, [&](const index_t<RO>& i) {
    expected.data()[offset_of<RO>(SO::extents, i)] = ref(at_broadcast(A, i), at_broadcast(B, i));
  });
  const auto oracle_loss = [&] {
    double s = 0;
    for_each_index<RO>(SO::extents, [&](const index_t<RO>& i) {
      s += ref(at_broadcast(A, i), at_broadcast(B, i)) * at_broadcast(W, i);
    });
    return s;
  };

  INFO(what << " (" << (std::is_same_v<T, float> ? "float" : "double") << ")");
  auto forward = tl::compile(y);
  check_value<T>(forward(a = At, b = Bt).value(), expected, "value against a plain loop");

  auto step = tl::compile(loss, tl::wrt(a, b));
  const auto r = step(a = At, b = Bt, w = Wt);
  check_value<T>(r.value(), oracle_loss(), "loss against a plain loop");
  check_gradient<T>(r.grad(a), numeric_gradient(A, oracle_loss), "d loss / d a against finite differences");
  check_gradient<T>(r.grad(b), numeric_gradient(B, oracle_loss), "d loss / d b against finite differences");
}

/// f(a) for a param a of shape SA, loss = sum(f(a) * w) with w of shape SW broadcast against it.
template <class T, class SA, class SW, class Make, class Ref>
void check_unary(const std::string& what, Make make, Ref ref, std::uint64_t seed, operand_range ra = {}) {
  namespace tl = tapeless;
  using SO = tl::broadcast_t<SA, SW>;
  constexpr std::size_t RA = SA::rank, RW = SW::rank, RO = SO::rank;
  constexpr auto a = tl::param<"a", SA, T>;
  constexpr auto w = tl::input<"w", SW, T>;
  const auto y = make(a);
  const auto loss = tl::sum(y * w);

  std::mt19937_64 engine(seed);
  auto A = draw<T, RA>(engine, SA::extents, ra);
  const auto W = draw<T, RW>(engine, SW::extents, {-1.0, 1.0});
  const auto At = convert<T>(A);
  const auto Wt = convert<T>(W);

  xt::xtensor<double, RA> expected(A.shape());
  for (std::size_t i = 0; i < A.size(); ++i) expected.data()[i] = ref(A.data()[i]);
  const auto oracle_loss = [&] {
    double s = 0;
    for_each_index<RO>(SO::extents, [&](const index_t<RO>& i) { s += ref(at_broadcast(A, i)) * at_broadcast(W, i); });
    return s;
  };

  INFO(what << " (" << (std::is_same_v<T, float> ? "float" : "double") << ")");
  check_value<T>(tl::value(y, a = At), expected, "value (tl::value) against a plain loop");
  auto step = tl::compile(loss, tl::wrt(a));
  const auto r = step(a = At, w = Wt);
  check_value<T>(r.value(), oracle_loss(), "loss against a plain loop");
  check_gradient<T>(r.grad(a), numeric_gradient(A, oracle_loss), "d loss / d a against finite differences");
}

/// Operand shapes that broadcast against each other in the ways the tests need, and the
/// arithmetic ops as plain functions (the same lambda serves tapeless and the oracle).
namespace broadcast_cases {
// (3,1) with (1,4): each operand is broadcast along the axis the other one has.
using col = ::tapeless::shape<3, 1>;
using row = ::tapeless::shape<1, 4>;
// (2,1,4) with (3,1): rank 3 against rank 2, each broadcast along another axis.
using slab = ::tapeless::shape<2, 1, 4>;
using column = ::tapeless::shape<3, 1>;
// (2,3,4) with (4): the trailing-axis bias of a batch.
using cube = ::tapeless::shape<2, 3, 4>;
using vec = ::tapeless::shape<4>;

constexpr auto plus = [](const auto& a, const auto& b) { return a + b; };
constexpr auto minus = [](const auto& a, const auto& b) { return a - b; };
constexpr auto times = [](const auto& a, const auto& b) { return a * b; };
constexpr auto divide = [](const auto& a, const auto& b) { return a / b; };
constexpr operand_range nonzero{-2.0, 2.0, 0.3};
}  // namespace broadcast_cases

}  // namespace tapeless::testing
