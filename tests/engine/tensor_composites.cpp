// Compositions where units meet: views feeding kernels and reductions, reductions broadcast back
// into elementwise ops (normalisation, log-softmax), integer powers of negative numbers. Values
// against plain loops, gradients against central differences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

TEST_CASE("variance through a mean broadcast back: mean(square(a - mean<1>(a, keepdims)))", "[engine][tensor][composite]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 5>>;
  std::mt19937_64 engine(1101);
  auto A = tt::random_tensor<double, 2>(engine, {3, 5}, -2, 2);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      double m = 0;
      for (std::size_t j = 0; j < 5; ++j) m += A(i, j) / 5.0;
      for (std::size_t j = 0; j < 5; ++j) total += (A(i, j) - m) * (A(i, j) - m);
    }
    return total / 15.0;
  };
  auto step = tl::compile(tl::mean(tl::square(a - tl::mean<1>(a, tl::keepdims))), tl::wrt(a));
  const auto r = step(a = A);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("cross-entropy through a log-softmax with amax and sum broadcast back", "[engine][tensor][composite]") {
  // z = a - amax<1>(a, keepdims); loss = -sum(t * (z - log(sum<1>(exp(z), keepdims)))) / n
  constexpr auto a = tl::param<"a", tl::shape<4, 3>>;
  constexpr auto t = tl::input<"t", tl::shape<4, 3>>;
  std::mt19937_64 engine(1102);
  auto A = tt::random_tensor<double, 2>(engine, {4, 3}, -3, 3);
  const xt::xtensor<double, 2> T = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 0, 1}};
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      double largest = A(i, 0);
      for (std::size_t j = 1; j < 3; ++j) largest = std::max(largest, A(i, j));
      double s = 0;
      for (std::size_t j = 0; j < 3; ++j) s += std::exp(A(i, j) - largest);
      for (std::size_t j = 0; j < 3; ++j) total -= T(i, j) * (A(i, j) - largest - std::log(s));
    }
    return total / 4.0;
  };
  const auto z = a - tl::amax<1>(a, tl::keepdims);
  const auto loss = -tl::sum(t * (z - tl::log(tl::sum<1>(tl::exp(z), tl::keepdims)))) / 4.0;
  auto step = tl::compile(loss, tl::wrt(a));
  const auto r = step(a = A, t = T);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  // The gradient of a softmax cross-entropy is (softmax - t) / n, by hand.
  for (std::size_t i = 0; i < 4; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < 3; ++j) s += std::exp(A(i, j));
    for (std::size_t j = 0; j < 3; ++j) CHECK(r.grad(a)(i, j) == Approx((std::exp(A(i, j)) / s - T(i, j)) / 4.0).margin(1e-14));
  }
}

TEST_CASE("views feeding kernels and reductions", "[engine][tensor][composite]") {
  std::mt19937_64 engine(1103);
  SECTION("matmul of a transposed slice") {
    // matmul(transpose(slice<1, 4>(a)), b): a (5, 2) -> rows 1..3 (3, 2) -> (2, 3) x (3, 4).
    constexpr auto a = tl::param<"a", tl::shape<5, 2>>;
    constexpr auto b = tl::param<"b", tl::shape<3, 4>>;
    auto A = tt::random_tensor<double, 2>(engine, {5, 2}, -1, 1);
    auto B = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 4; ++j) {
          double c = 0;
          for (std::size_t q = 0; q < 3; ++q) c += A(1 + q, i) * B(q, j);
          total += c * c;
        }
      return total;
    };
    auto step = tl::compile(tl::sum(tl::square(tl::matmul(tl::transpose(tl::slice<1, 4>(a)), b))), tl::wrt(a, b));
    const auto r = step(a = A, b = B);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(r.grad(a)(0, i) == 0.0);
      CHECK(r.grad(a)(4, i) == 0.0);
    }
  }
  SECTION("a reduction over a transposed operand") {
    // amax<0>(transpose<0, 2>(a) * 2): a (2, 3, 4) -> (4, 3, 2) -> (3, 2)
    constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
    constexpr auto w = tl::input<"w", tl::shape<3, 2>>;
    auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {3, 2}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t i = 0; i < 2; ++i) {
          double largest = -1e300;
          for (std::size_t k = 0; k < 4; ++k) largest = std::max(largest, 2 * A(i, j, k));
          total += largest * W(j, i);
        }
      return total;
    };
    auto step = tl::compile(tl::sum(tl::amax<0>(tl::transpose<0, 2>(a) * 2.0) * w), tl::wrt(a));
    const auto r = step(a = A, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  }
  SECTION("a batched matmul after a reshape and before a concatenation") {
    // concatenate<2>(matmul(reshape<2, 3, 2>(a), b), c): a (3, 4), b (2, 2, 3), c (2, 3, 1)
    constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
    constexpr auto b = tl::param<"b", tl::shape<2, 2, 3>>;
    constexpr auto c = tl::param<"c", tl::shape<2, 3, 1>>;
    constexpr auto w = tl::input<"w", tl::shape<2, 3, 4>>;
    auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    auto B = tt::random_tensor<double, 3>(engine, {2, 2, 3}, -1, 1);
    auto C = tt::random_tensor<double, 3>(engine, {2, 3, 1}, -1, 1);
    const auto W = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t p = 0; p < 2; ++p)
        for (std::size_t i = 0; i < 3; ++i) {
          for (std::size_t j = 0; j < 3; ++j) {
            double v = 0;
            for (std::size_t q = 0; q < 2; ++q) v += A.data()[(p * 3 + i) * 2 + q] * B(p, q, j);
            total += std::tanh(v) * W(p, i, j);
          }
          total += std::tanh(C(p, i, 0)) * W(p, i, 3);
        }
      return total;
    };
    const auto y = tl::concatenate<2>(tl::matmul(tl::reshape<2, 3, 2>(a), b), c);
    auto step = tl::compile(tl::sum(tl::tanh(y) * w), tl::wrt(a, b, c));
    const auto r = step(a = A, b = B, c = C, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
    tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
  }
}

TEST_CASE("integer powers of negative numbers and a scalar exponent leaf", "[engine][tensor][composite]") {
  constexpr auto x = tl::param<"x", tl::shape<2, 3>>;
  constexpr auto k = tl::scalar<"k">;
  std::mt19937_64 engine(1104);
  auto X = tt::random_tensor<double, 2>(engine, {2, 3}, -2, 2, 0.1);
  const auto cube = [&] {
    double total = 0;
    for (double v : X) total += v * v * v;
    return total;
  };
  auto step = tl::compile(tl::sum(tl::pow(x, 3)), tl::wrt(x));
  const auto r = step(x = X);
  CHECK(r.value() == Approx(cube()).epsilon(1e-12));
  for (std::size_t i = 0; i < X.size(); ++i) CHECK(r.grad(x).data()[i] == Approx(3 * X.data()[i] * X.data()[i]).epsilon(1e-13));

  // pow(|x| + 1, k): d/dk = sum(y log(|x| + 1)), against a finite difference in k.
  double K = 1.7;
  const auto power = [&] {
    double total = 0;
    for (double v : X) total += std::pow(std::fabs(v) + 1, K);
    return total;
  };
  auto kstep = tl::compile(tl::sum(tl::pow(tl::abs(x) + 1.0, k)), tl::wrt(x, k));
  const auto rk = kstep(x = X, k = K);
  CHECK(rk.value() == Approx(power()).epsilon(1e-12));
  CHECK(rk.grad(k) == Approx(tt::numeric_derivative(K, power)).epsilon(1e-7));
  tt::check_gradient<double>(rk.grad(x), tt::numeric_gradient(X, power), "d/dx");
}
