// Comparisons (masks with zero gradient), where, broadcast_to, and scalars broadcast against
// tensors: values against plain loops, gradients against central differences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <tapeless/tapeless.hpp>
#include <xtensor/xbuilder.hpp>

#include "support/tensor_elementwise.hpp"

namespace tl = tapeless;
using tl::testing::check_binary;
using tl::testing::operand_range;
using namespace tl::testing::broadcast_cases;

TEST_CASE("tensor comparisons are masks with zero gradient", "[ops][tensor][elementwise][compare]") {
  const auto lt_ref = [](double a, double b) { return a < b ? 1.0 : 0.0; };
  const auto le_ref = [](double a, double b) { return a <= b ? 1.0 : 0.0; };
  const auto gt_ref = [](double a, double b) { return a > b ? 1.0 : 0.0; };
  const auto ge_ref = [](double a, double b) { return a >= b ? 1.0 : 0.0; };
  const auto eq_ref = [](double a, double b) { return a == b ? 1.0 : 0.0; };
  const auto ne_ref = [](double a, double b) { return a != b ? 1.0 : 0.0; };
  check_binary<double, col, row>("a < b", [](const auto& a, const auto& b) { return a < b; }, lt_ref, 41);
  check_binary<double, slab, column>("tl::le(a, b)", [](const auto& a, const auto& b) { return tl::le(a, b); }, le_ref, 42);
  check_binary<double, col, row>("a > b", [](const auto& a, const auto& b) { return a > b; }, gt_ref, 43);
  check_binary<double, cube, vec>("a >= b", [](const auto& a, const auto& b) { return a >= b; }, ge_ref, 44);
  // Whole numbers in [-1, 1]: many elements are equal.
  constexpr operand_range few{-1.4, 1.4, 0.0, true};
  check_binary<double, col, row>("tl::eq(a, b)", [](const auto& a, const auto& b) { return tl::eq(a, b); }, eq_ref, 45,
                                 few, few);
  check_binary<double, slab, column>("tl::ne(a, b)", [](const auto& a, const auto& b) { return tl::ne(a, b); }, ne_ref,
                                     46, few, few);
  check_binary<float, col, row>("a < b", [](const auto& a, const auto& b) { return a < b; }, lt_ref, 47);
}

TEST_CASE("a comparison mask times a tensor passes the gradient only where it holds", "[ops][tensor][compare]") {
  // sum((a > 0) * a * b): d/da = (a > 0) b, d/db = (a > 0) a; the mask contributes nothing.
  constexpr auto a = tl::param<"a", tl::shape<3, 1>>;
  constexpr auto b = tl::param<"b", tl::shape<1, 4>>;
  const xt::xtensor<double, 2> A = {{-1.0}, {2.0}, {0.5}};
  const xt::xtensor<double, 2> B = {{1.0, -2.0, 3.0, 0.25}};
  auto step = tl::compile(tl::sum((a > 0.0) * a * b), tl::wrt(a, b));
  const auto r = step(a = A, b = B);
  double value = 0;
  xt::xtensor<double, 2> ga = xt::zeros<double>({3, 1}), gb = xt::zeros<double>({1, 4});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) {
      const double m = A(i, 0) > 0 ? 1.0 : 0.0;
      value += m * A(i, 0) * B(0, j);
      ga(i, 0) += m * B(0, j);
      gb(0, j) += m * A(i, 0);
    }
  CHECK(r.value() == Approx(value));
  tl::testing::check_all_close(r.grad(a), ga, 1e-14, 1e-14, "d/da");
  tl::testing::check_all_close(r.grad(b), gb, 1e-14, 1e-14, "d/db");
}

TEST_CASE("a scalar leaf or a number broadcasts against a tensor", "[ops][tensor][elementwise]") {
  constexpr auto s = tl::scalar<"s">;
  constexpr auto a = tl::param<"a", tl::shape<2, 3>>;
  constexpr auto w = tl::input<"w", tl::shape<2, 3>>;
  std::mt19937_64 engine(51);
  auto A = tl::testing::random_tensor<double, 2>(engine, {2, 3}, -2, 2);
  const auto W = tl::testing::random_tensor<double, 2>(engine, {2, 3}, -1, 1);
  double S = 0.7;
  // loss = sum((s * a + 2 / a - s) * w)
  const auto loss = tl::sum((s * a + 2.0 / a - s) * w);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < A.size(); ++i) {
      const double x = A.data()[i];
      total += (S * x + 2.0 / x - S) * W.data()[i];
    }
    return total;
  };
  auto step = tl::compile(loss, tl::wrt(s, a));
  const auto r = step(s = S, a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  // The gradient of a scalar leaf is a number: the sum over every element it was broadcast to.
  const double gs = r.grad(s);
  CHECK(gs == Approx(tl::testing::numeric_derivative(S, oracle)).epsilon(1e-7));
  tl::testing::check_gradient<double>(r.grad(a), tl::testing::numeric_gradient(A, oracle), "d/da");

  // The functional API agrees.
  const auto g = tl::grad(loss, s, a).at(s = S, a = A, w = W);
  CHECK(g[s] == Approx(gs).epsilon(1e-14));
  tl::testing::check_all_close(g[a], r.grad(a), 1e-14, 1e-14, "tl::grad against the compiled step");
}

TEST_CASE("where selects elementwise and routes the gradient to the selected operand",
          "[ops][tensor][elementwise][where]") {
  // where(m > 0, a, b) with m (3,1), a (1,4), b (2,3,4): all three broadcast.
  constexpr auto m = tl::input<"m", tl::shape<3, 1>>;
  constexpr auto a = tl::param<"a", tl::shape<1, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<2, 3, 4>>;
  constexpr auto w = tl::input<"w", tl::shape<2, 3, 4>>;
  std::mt19937_64 engine(61);
  const xt::xtensor<double, 2> M = {{1.0}, {-1.0}, {2.0}};
  auto A = tl::testing::random_tensor<double, 2>(engine, {1, 4}, -2, 2);
  auto B = tl::testing::random_tensor<double, 3>(engine, {2, 3, 4}, -2, 2);
  const auto W = tl::testing::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k)
          total += (M(j, 0) > 0 ? A(0, k) : B(i, j, k)) * W(i, j, k);
    return total;
  };
  const auto y = tl::where(m > 0.0, a, b);
  const auto value = tl::value(y, m = M, a = A, b = B);
  REQUIRE(value.shape(0) == 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(value(i, j, k) == (M(j, 0) > 0 ? A(0, k) : B(i, j, k)));

  auto step = tl::compile(tl::sum(y * w), tl::wrt(a, b));
  const auto r = step(m = M, a = A, b = B, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tl::testing::check_gradient<double>(r.grad(a), tl::testing::numeric_gradient(A, oracle), "d/da");
  tl::testing::check_gradient<double>(r.grad(b), tl::testing::numeric_gradient(B, oracle), "d/db");
  // Row j = 1 of the mask is false: b's gradient there is w, a gets nothing from it.
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t k = 0; k < 4; ++k) {
      CHECK(r.grad(b)(i, 1, k) == W(i, 1, k));
      CHECK(r.grad(b)(i, 0, k) == 0.0);
    }
}

TEST_CASE("where with a number: a leaky relu", "[ops][tensor][elementwise][where]") {
  constexpr auto x = tl::param<"x", tl::shape<2, 5>, float>;
  std::mt19937_64 engine(62);
  auto X = tl::testing::convert<double>(tl::testing::random_tensor<float, 2>(engine, {2, 5}, -2, 2, 0.05));
  const auto Xf = tl::testing::convert<float>(X);
  const auto oracle = [&] {
    double total = 0;
    for (double v : X) total += v > 0 ? v * v : 0.1 * v;
    return total;
  };
  const auto loss = tl::sum(tl::where(x > 0.0f, x * x, 0.1f * x));
  auto step = tl::compile(loss, tl::wrt(x));
  const auto r = step(x = Xf);
  tl::testing::check_value<float>(r.value(), oracle(), "value");
  tl::testing::check_gradient<float>(r.grad(x), tl::testing::numeric_gradient(X, oracle), "d/dx");
}

TEST_CASE("broadcast_to repeats the operand; its gradient sums over the repeats", "[ops][tensor][broadcast_to]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 1>>;
  constexpr auto w = tl::input<"w", tl::shape<2, 3, 4>>;
  std::mt19937_64 engine(71);
  auto A = tl::testing::random_tensor<double, 2>(engine, {3, 1}, -2, 2);
  const auto W = tl::testing::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto y = tl::broadcast_to<2, 3, 4>(a);
  const auto value = tl::value(y, a = A);
  REQUIRE(value.dimension() == 3);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(value(i, j, k) == A(j, 0));

  // sum(exp(broadcast_to(a)) * w): d/da_j = exp(a_j) * sum_{i,k} w_ijk.
  auto step = tl::compile(tl::sum(tl::exp(y) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k) total += std::exp(A(j, 0)) * W(i, j, k);
    return total;
  };
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tl::testing::check_gradient<double>(r.grad(a), tl::testing::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("a param reached only through a mask gets a zero gradient", "[ops][tensor][compare]") {
  // sum(where(b > 0, a, 0)) * 1 + sum(eq(a, b)): b's only paths are masks.
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<4>>;
  const xt::xtensor<double, 2> A = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
  const xt::xtensor<double, 1> B = {-1, 2, -3, 4};
  auto step = tl::compile(tl::sum(tl::where(b > 0.0, a, 0.0)) + tl::sum(tl::eq(a, b)), tl::wrt(a, b));
  for (int t = 0; t < 2; ++t) {
    const auto r = step(a = A, b = B);
    CHECK(r.value() == 2 + 4 + 6 + 8 + 10 + 12 + 2.0);  // eq holds at a(0, 1) = b(1) = 2 and a(0, 3) = b(3) = 4
    for (std::size_t j = 0; j < 4; ++j) {
      CHECK(r.grad(b)(j) == 0.0);
      for (std::size_t i = 0; i < 3; ++i) CHECK(r.grad(a)(i, j) == (B(j) > 0 ? 1.0 : 0.0));
    }
  }
}
