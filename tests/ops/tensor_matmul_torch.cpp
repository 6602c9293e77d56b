// matmul with torch.matmul's semantics: vectors on either side, vector · vector, batch axes
// that broadcast, and dynamic extents everywhere (the inner one included). Values against plain
// loops, gradients against central differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;
using Catch::Matchers::Contains;

TEST_CASE("matmul of vectors: matrix · vector, vector · matrix, vector · vector", "[ops][tensor][matmul]") {
  constexpr auto m = tl::param<"m", tl::shape<4, 3>>;
  constexpr auto x = tl::param<"x", tl::shape<3>>;
  constexpr auto s = tl::input<"s", tl::shape<4>>;
  std::mt19937_64 engine(771);
  auto M = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  auto X = tt::random_tensor<double, 1>(engine, {3}, -1, 1);
  const auto S = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
  // s - M x has the shape of s, (4): a vector on the right is a column, and its axis leaves
  // the result (not a (4, 4) broadcast).
  const auto residual = s - tl::matmul(m, x);
  STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(residual)>::shape_type, tl::shape<4>>);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      double mx = 0;
      for (std::size_t j = 0; j < 3; ++j) mx += M(i, j) * X(j);
      total += (S(i) - mx) * (S(i) - mx);
    }
    for (std::size_t j = 0; j < 3; ++j) {
      double sm = 0;
      for (std::size_t i = 0; i < 4; ++i) sm += S(i) * M(i, j);
      total += std::sin(sm) * X(j);
    }
    double xx = 0;
    for (std::size_t j = 0; j < 3; ++j) xx += X(j) * X(j);
    return total + xx * xx;
  };
  auto step = tl::compile(tl::sum(tl::square(residual)) + tl::matmul(tl::sin(tl::matmul(s, m)), x) +
                              tl::square(tl::matmul(x, x)),
                          tl::wrt(m, x));
  const auto r = step(m = M, x = X, s = S);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(m), tt::numeric_gradient(M, oracle), "d/dm");
  tt::check_gradient<double>(r.grad(x), tt::numeric_gradient(X, oracle), "d/dx");
}

TEST_CASE("matmul broadcasts batch axes; a broadcast operand's gradient sums over them", "[ops][tensor][matmul]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 1, 3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<5, 4, 2>>;
  constexpr auto w = tl::param<"w", tl::shape<4, 2>>;
  std::mt19937_64 engine(772);
  auto A = tt::random_tensor<double, 4>(engine, {2, 1, 3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 3>(engine, {5, 4, 2}, -1, 1);
  auto W = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t p = 0; p < 2; ++p)
      for (std::size_t q = 0; q < 5; ++q)
        for (std::size_t i = 0; i < 3; ++i)
          for (std::size_t j = 0; j < 2; ++j) {
            double c = 0, d = 0;
            for (std::size_t k = 0; k < 4; ++k) {
              c += A(p, 0, i, k) * B(q, k, j);
              d += A(p, 0, i, k) * W(k, j);
            }
            total += c * c + (q == 0 ? std::tanh(d) : 0.0);
          }
    return total;
  };
  auto step = tl::compile(tl::sum(tl::square(tl::matmul(a, b))) + tl::sum(tl::tanh(tl::matmul(a, w))), tl::wrt(a, b, w));
  const auto r = step(a = A, b = B, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  tt::check_gradient<double>(r.grad(w), tt::numeric_gradient(W, oracle), "d/dw");
}

TEST_CASE("matmul with dynamic extents, the inner one included", "[ops][tensor][matmul]") {
  // A run-time feature count: x (batch, features) · w (features, 2), both dynamic.
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, tl::dynamic>>;
  constexpr auto w = tl::param<"w", tl::shape<tl::dynamic, 2>>;
  auto step = tl::compile(tl::sum(tl::square(tl::matmul(x, w))), tl::wrt(w));
  for (const auto& [rows, features] : {std::pair<std::size_t, std::size_t>{3, 4}, {5, 2}, {1, 7}}) {
    std::mt19937_64 engine(773 + rows);
    const auto X = tt::random_tensor<double, 2>(engine, {rows, features}, -1, 1);
    auto W = tt::random_tensor<double, 2>(engine, {features, 2}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
          double c = 0;
          for (std::size_t k = 0; k < features; ++k) c += X(i, k) * W(k, j);
          total += c * c;
        }
      return total;
    };
    const auto r = step(x = X, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(w), tt::numeric_gradient(W, oracle), "d/dw");
  }
  std::mt19937_64 engine(779);
  const auto X = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {5, 2}, -1, 1);
  REQUIRE_THROWS_WITH(step(x = X, w = W), Contains("tapeless::matmul") && Contains("inner extents") &&
                                              Contains("leaf \"x\" with extents [3, 4]") &&
                                              Contains("leaf \"w\" with extents [5, 2]"));
}
