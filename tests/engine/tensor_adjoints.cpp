// One leaf reached by several units of different kinds (matmul on both sides, a slice, a
// transposing copy, a concatenation, a broadcast): the first contribution to its adjoint is
// assigned and the others added, in either order. Every gradient against central differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

TEST_CASE("a leaf on both sides of a matmul", "[engine][tensor][adjoint]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto s = tl::param<"s", tl::shape<3, 3>>;
  std::mt19937_64 engine(1201);
  auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  auto S = tt::random_tensor<double, 2>(engine, {3, 3}, -1, 1);
  {
    // sum(square(a aᵀ)): the Gram matrix, a read as both operands (one of them transposed).
    const auto gram = [&] {
      double total = 0;
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          double g = 0;
          for (std::size_t q = 0; q < 4; ++q) g += A(i, q) * A(j, q);
          total += g * g;
        }
      return total;
    };
    auto step = tl::compile(tl::sum(tl::square(tl::matmul(a, tl::transpose(a)))), tl::wrt(a));
    const auto r = step(a = A);
    CHECK(r.value() == Approx(gram()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, gram), "d/da");
  }
  {
    // sum(matmul(s, s) * s): s three times.
    const auto cubic = [&] {
      double total = 0;
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          double g = 0;
          for (std::size_t q = 0; q < 3; ++q) g += S(i, q) * S(q, j);
          total += g * S(i, j);
        }
      return total;
    };
    auto step = tl::compile(tl::sum(tl::matmul(s, s) * s), tl::wrt(s));
    const auto r = step(s = S);
    CHECK(r.value() == Approx(cubic()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(s), tt::numeric_gradient(S, cubic), "d/ds");
  }
}

TEST_CASE("a leaf read by a slice and by a whole-tensor op, in both orders", "[engine][tensor][adjoint]") {
  constexpr auto a = tl::param<"a", tl::shape<4, 3>>;
  std::mt19937_64 engine(1202);
  auto A = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  // f = sum(exp(slice<1, 3>(a))) + sum(a * a); d/da = 2a, plus exp(a) in rows 1 and 2.
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 3; ++j) total += A(i, j) * A(i, j) + (i >= 1 && i < 3 ? std::exp(A(i, j)) : 0.0);
    return total;
  };
  {
    auto step = tl::compile(tl::sum(tl::exp(tl::slice<1, 3>(a))) + tl::sum(a * a), tl::wrt(a));
    const auto r = step(a = A);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "slice first");
  }
  {
    auto step = tl::compile(tl::sum(a * a) + tl::sum(tl::exp(tl::slice<1, 3>(a))), tl::wrt(a));
    const auto r = step(a = A);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "slice second");
  }
  {
    // Two overlapping slices and nothing else: rows 0..2 and 1..3.
    const auto overlapping = [&] {
      double total = 0;
      for (std::size_t j = 0; j < 3; ++j) {
        for (std::size_t i = 0; i < 3; ++i) total += std::sin(A(i, j));
        for (std::size_t i = 1; i < 4; ++i) total += A(i, j) * A(i, j) * A(i, j);
      }
      return total;
    };
    auto step = tl::compile(tl::sum(tl::sin(tl::slice<0, 3>(a))) + tl::sum(tl::pow(tl::slice<1, 4>(a), 3)), tl::wrt(a));
    const auto r = step(a = A);
    CHECK(r.value() == Approx(overlapping()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, overlapping), "overlapping slices");
  }
}

TEST_CASE("a leaf read by a transposing copy, a reshape and a concatenation", "[engine][tensor][adjoint]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 2>>;
  constexpr auto c = tl::input<"c", tl::shape<2, 3, 2>>;
  std::mt19937_64 engine(1203);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 2}, -1, 1);
  const auto C = tt::random_tensor<double, 3>(engine, {2, 3, 2}, -1, 1);
  // f = sum(transpose<0, 2>(a) * c') + sum(square(reshape<3, 4>(a))) + sum(concatenate<0>(a, a) * 0.5)
  // where c' = transpose<0, 2>(c), so the first term is sum(a * c).
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < A.size(); ++i) {
      const double v = A.data()[i];
      total += v * C.data()[i] + v * v + 2 * 0.5 * v;
    }
    return total;
  };
  const auto f = tl::sum(tl::transpose<0, 2>(a) * tl::transpose<0, 2>(c)) + tl::sum(tl::square(tl::reshape<3, 4>(a))) +
                 tl::sum(tl::concatenate<0>(a, a) * 0.5);
  auto step = tl::compile(f, tl::wrt(a));
  const auto r = step(a = A, c = C);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("a leaf broadcast in one unit and read whole in another", "[engine][tensor][adjoint]") {
  // f = sum(tanh(x + b)) + sum(b * b) + sum(matmul(x, tl::reshape<4, 1>(b))): b (4) is a bias in
  // the first unit (its adjoint summed over rows), read whole in the second, and a matmul
  // operand through a reshape in the third.
  constexpr auto x = tl::param<"x", tl::shape<3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<4>>;
  std::mt19937_64 engine(1204);
  auto X = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t j = 0; j < 4; ++j) total += B(j) * B(j);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j) total += std::tanh(X(i, j) + B(j)) + X(i, j) * B(j);
    return total;
  };
  const auto f = tl::sum(tl::tanh(x + b)) + tl::sum(b * b) + tl::sum(tl::matmul(x, tl::reshape<4, 1>(b)));
  auto step = tl::compile(f, tl::wrt(x, b));
  for (int t = 0; t < 2; ++t) {  // twice: the zeroed-then-accumulated adjoint starts afresh
    const auto r = step(x = X, b = B);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(x), tt::numeric_gradient(X, oracle), "d/dx");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  }
}
