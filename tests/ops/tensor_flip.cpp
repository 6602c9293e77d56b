// flip along one or several axes: values against plain loops, gradients against central
// differences; read by a loop, under matmul (a flipped batch axis stays a matrix view, a flipped
// row axis is copied), as the root, with a dynamic extent.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

TEST_CASE("flip reverses the given axes; its gradient is g flipped back", "[ops][tensor][flip]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  std::mt19937_64 engine(751);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const xt::xtensor<double, 3> f2 = tl::value(tl::flip<2>(a), a = A);
  const xt::xtensor<double, 3> f01 = tl::value(tl::flip<0, 1>(a), a = A);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) {
        CHECK(f2(i, j, k) == A(i, j, 3 - k));
        CHECK(f01(i, j, k) == A(1 - i, 2 - j, k));
      }

  constexpr auto w = tl::input<"w", tl::shape<2, 3, 4>>;
  const auto W = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k)
          s += std::tanh(A(i, j, 3 - k)) * W(i, j, k) + A(1 - i, 2 - j, k) * A(i, j, k);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::tanh(tl::flip<2>(a)) * w) + tl::sum(tl::flip<0, 1>(a) * a), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("flipped matrices and batches under matmul", "[ops][tensor][flip]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<2, 4, 2>>;
  std::mt19937_64 engine(752);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 3>(engine, {2, 4, 2}, -1, 1);
  // flip<0>(a): the batches swapped (a matrix view); flip<1>(b): b's rows reversed (copied).
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t q = 0; q < 2; ++q)
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
          double c = 0;
          for (std::size_t p = 0; p < 4; ++p) c += A(1 - q, i, p) * B(q, 3 - p, j);
          s += c * c;
        }
    return s;
  };
  auto step = tl::compile(tl::sum(tl::square(tl::matmul(tl::flip<0>(a), tl::flip<1>(b)))), tl::wrt(a, b));
  const auto r = step(a = A, b = B);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
}

TEST_CASE("flip of a dynamic batch", "[ops][tensor][flip]") {
  constexpr auto x = tl::param<"x", tl::shape<tl::dynamic, 2>>;
  constexpr auto c = tl::input<"c", tl::shape<2>>;
  const xt::xtensor<double, 1> C = {0.5, -2.0};
  auto step = tl::compile(tl::sum(tl::exp(tl::flip<0>(x)) * x * c), tl::wrt(x));
  for (std::size_t rows : {1u, 4u, 7u}) {
    std::mt19937_64 engine(753 + rows);
    auto X = tt::random_tensor<double, 2>(engine, {rows, 2}, -1, 1);
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < 2; ++j) s += std::exp(X(rows - 1 - i, j)) * X(i, j) * C(j);
      return s;
    };
    const auto r = step(x = X, c = C);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(x), tt::numeric_gradient(X, oracle), "d/dx");
  }
}
