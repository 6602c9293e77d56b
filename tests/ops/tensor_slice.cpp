// slice along any axis, with a step, and to the end of an axis: values against plain loops,
// gradients against central differences, zero gradient off the slice; read by loops
// (strided), by matmul (copied where BLAS cannot read it), as the root, with a dynamic extent.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;
using Catch::Matchers::Contains;

TEST_CASE("slice along each axis of a rank-3 tensor, with steps", "[ops][tensor][slice]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 4, 5>>;
  std::mt19937_64 engine(741);
  auto A = tt::random_tensor<double, 3>(engine, {3, 4, 5}, -1, 1);

  // Values, as the root (a strided view copied out).
  const xt::xtensor<double, 3> s0 = tl::value(tl::slice<0, 3, 2>(a), a = A);
  const xt::xtensor<double, 3> s1 = tl::value(tl::slice<1, 4, 2>(a, tl::axis<1>), a = A);
  const xt::xtensor<double, 3> s2 = tl::value(tl::slice<1, tl::to_end, 3>(a, tl::axis<2>), a = A);
  REQUIRE(s0.shape() == std::array<std::size_t, 3>{2, 4, 5});
  REQUIRE(s1.shape() == std::array<std::size_t, 3>{3, 2, 5});
  REQUIRE(s2.shape() == std::array<std::size_t, 3>{3, 4, 2});  // columns 1 and 4
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 5; ++k) {
        if (i < 2) CHECK(s0(i, j, k) == A(2 * i, j, k));
        if (j < 2) CHECK(s1(i, j, k) == A(i, 1 + 2 * j, k));
        if (k < 2) CHECK(s2(i, j, k) == A(i, j, 1 + 3 * k));
      }

  // Gradients: each slice weighted and summed; everything off the slices gets 0.
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j)
        for (std::size_t k = 0; k < 5; ++k) {
          if (i % 2 == 0) s += std::sin(A(i, j, k)) * static_cast<double>(j + 1);
          if (j % 2 == 1) s += A(i, j, k) * A(i, j, k) * static_cast<double>(k + 1);
          if (k % 3 == 1) s += std::exp(A(i, j, k)) * static_cast<double>(i + 1);
        }
    return s;
  };
  xt::xtensor<double, 3> w0({2, 4, 5}), w1({3, 2, 5}), w2({3, 4, 2});
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 5; ++k) w0(i, j, k) = static_cast<double>(j + 1);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t k = 0; k < 5; ++k) w1(i, j, k) = static_cast<double>(k + 1);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 2; ++k) w2(i, j, k) = static_cast<double>(i + 1);
  constexpr auto v0 = tl::input<"v0", tl::shape<2, 4, 5>>;
  constexpr auto v1 = tl::input<"v1", tl::shape<3, 2, 5>>;
  constexpr auto v2 = tl::input<"v2", tl::shape<3, 4, 2>>;
  auto step = tl::compile(tl::sum(tl::sin(tl::slice<0, 3, 2>(a)) * v0) +
                              tl::sum(tl::square(tl::slice<1, 4, 2>(a, tl::axis<1>)) * v1) +
                              tl::sum(tl::exp(tl::slice<1, tl::to_end, 3>(a, tl::axis<2>)) * v2),
                          tl::wrt(a));
  const auto r = step(a = A, v0 = w0, v1 = w1, v2 = w2);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  CHECK(r.grad(a)(1, 0, 0) == 0.0);  // row 1, column 0, element 0: on no slice
}

TEST_CASE("column slices and stepped rows under matmul", "[ops][tensor][slice]") {
  constexpr auto a = tl::param<"a", tl::shape<6, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<3, 5>>;
  std::mt19937_64 engine(742);
  auto A = tt::random_tensor<double, 2>(engine, {6, 4}, -1, 1);
  auto B = tt::random_tensor<double, 2>(engine, {3, 5}, -1, 1);
  // Rows 0, 2, 4 of a, columns 1..3 of those (a matrix BLAS reads with a leading dimension),
  // times columns 0, 2, 4 of b (a step along the last axis: a strided view, copied).
  const auto product = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) {
        double c = 0;
        for (std::size_t q = 0; q < 3; ++q) c += A(2 * i, 1 + q) * B(q, 2 * j);
        s += c * c * static_cast<double>(i + 2 * j + 1);
      }
    return s;
  };
  constexpr auto w = tl::input<"w", tl::shape<3, 3>>;
  const xt::xtensor<double, 2> W = {{1, 3, 5}, {2, 4, 6}, {3, 5, 7}};
  const auto lhs = tl::slice<1, 4>(tl::slice<0, 6, 2>(a), tl::axis<1>);
  const auto rhs = tl::slice<0, 5, 2>(b, tl::axis<1>);
  auto step = tl::compile(tl::sum(tl::square(tl::matmul(lhs, rhs)) * w), tl::wrt(a, b));
  const auto r = step(a = A, b = B, w = W);
  CHECK(r.value() == Approx(product()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, product), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, product), "d/db");
}

TEST_CASE("slice to the end of a dynamic axis; a range past the bound extent throws", "[ops][tensor][slice]") {
  constexpr auto x = tl::param<"x", tl::shape<tl::dynamic, 3>>;
  auto rows_step = tl::compile(tl::sum(tl::square(tl::slice<1, tl::to_end, 2>(x))), tl::wrt(x));
  for (std::size_t rows : {2u, 5u, 6u}) {
    std::mt19937_64 engine(746 + rows);
    auto X = tt::random_tensor<double, 2>(engine, {rows, 3}, -1, 1);
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t i = 1; i < rows; i += 2)
        for (std::size_t j = 0; j < 3; ++j) s += X(i, j) * X(i, j);
      return s;
    };
    const auto r = rows_step(x = X);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(x), tt::numeric_gradient(X, oracle), "d/dx");
  }
  auto fixed = tl::compile(tl::sum(tl::slice<2, 4>(x)), tl::wrt(x));
  xt::xtensor<double, 2> three({3, 3}, 1.0);
  REQUIRE_THROWS_WITH(fixed(x = three), Contains("tapeless::slice") && Contains("[2, 4)") && Contains("[3, 3]"));
}
