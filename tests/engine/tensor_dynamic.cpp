// Dynamic extents: one compiled step bound to different batch sizes gives the right numbers each
// time; extents that disagree at run time, data of the wrong extents, a destination of the wrong
// extents and a reshape that does not divide throw tl::shape_error naming what is wrong.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>

#include <tapeless/tapeless.hpp>
#include <xtensor/xbuilder.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;
using Catch::Matchers::Contains;

TEST_CASE("one compiled step with a dynamic batch extent, bound to several batch sizes", "[engine][tensor][dynamic]") {
  // loss = mean(square(matmul(x, w) + b - y)), x (n, 4), y (n, 3): the mean divides by n * 3.
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 4>>;
  constexpr auto y = tl::input<"y", tl::shape<tl::dynamic, 3>>;
  constexpr auto w = tl::param<"w", tl::shape<4, 3>>;
  constexpr auto b = tl::param<"b", tl::shape<3>>;
  const auto loss = tl::mean(tl::square(tl::matmul(x, w) + b - y));
  auto step = tl::compile(loss, tl::wrt(w, b));
  std::mt19937_64 engine(901);
  auto W = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  auto B = tt::random_tensor<double, 1>(engine, {3}, -1, 1);
  for (std::size_t n : {5u, 2u, 9u, 2u, 1u, 9u}) {
    INFO("batch " << n);
    const auto X = tt::random_tensor<double, 2>(engine, {n, 4}, -1, 1);
    const auto Y = tt::random_tensor<double, 2>(engine, {n, 3}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          double z = B(j) - Y(i, j);
          for (std::size_t q = 0; q < 4; ++q) z += X(i, q) * W(q, j);
          total += z * z;
        }
      return total / static_cast<double>(n * 3);
    };
    const auto r = step(x = X, y = Y, w = W, b = B);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(w), tt::numeric_gradient(W, oracle), "d/dw");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  }
}

TEST_CASE("the value of a dynamic graph has the bound extents", "[engine][tensor][dynamic]") {
  // exp(x) * v with x (n, 3) and v (3): an elementwise result, n rows each step.
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 3>>;
  constexpr auto v = tl::input<"v", tl::shape<3>>;
  auto forward = tl::compile(tl::exp(x) * v);
  const xt::xtensor<double, 1> V = {1.0, -2.0, 0.5};
  std::mt19937_64 engine(902);
  for (std::size_t n : {4u, 1u, 6u}) {
    const auto X = tt::random_tensor<double, 2>(engine, {n, 3}, -1, 1);
    const auto r = forward(x = X, v = V);
    const auto value = r.value();
    REQUIRE(value.shape(0) == n);
    REQUIRE(value.shape(1) == 3);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < 3; ++j) CHECK(value(i, j) == Approx(std::exp(X(i, j)) * V(j)).epsilon(1e-15));
  }
}

TEST_CASE("a param with a dynamic extent gets a gradient of the bound extents", "[engine][tensor][dynamic]") {
  // sum(p) and amax(p) read the leaf directly: only the leaf's extents change between steps.
  constexpr auto p = tl::param<"p", tl::shape<tl::dynamic, 3>>;
  auto total = tl::compile(tl::sum(p * 2.0), tl::wrt(p));
  auto plain = tl::compile(tl::sum(p), tl::wrt(p));
  auto largest = tl::compile(tl::amax(p), tl::wrt(p));
  std::mt19937_64 engine(903);
  for (std::size_t n : {2u, 5u, 1u, 7u}) {
    INFO("rows " << n);
    const auto P = tt::random_tensor<double, 2>(engine, {n, 3}, -1, 1);
    double s = 0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < P.size(); ++i) {
      s += P.data()[i];
      if (P.data()[i] > P.data()[at]) at = i;
    }
    {
      const auto r = total(p = P);
      CHECK(r.value() == Approx(2 * s).epsilon(1e-13));
      REQUIRE(r.grad(p).shape(0) == n);
      for (std::size_t i = 0; i < P.size(); ++i) CHECK(r.grad(p).data()[i] == 2.0);
    }
    {
      const auto r = plain(p = P);
      CHECK(r.value() == Approx(s).epsilon(1e-13));
      REQUIRE(r.grad(p).shape(0) == n);
      for (std::size_t i = 0; i < P.size(); ++i) CHECK(r.grad(p).data()[i] == 1.0);
    }
    {
      const auto r = largest(p = P);
      CHECK(r.value() == P.data()[at]);
      REQUIRE(r.grad(p).shape(0) == n);
      for (std::size_t i = 0; i < P.size(); ++i) CHECK(r.grad(p).data()[i] == (i == at ? 1.0 : 0.0));
    }
  }
}

TEST_CASE("a step that threw on its extents lays out the next one afresh", "[engine][tensor][dynamic]") {
  // The first step lays out p's gradient for 2 rows; the second binds 6 rows but throws (the
  // slice does not fit q); the third binds 6 rows again with q fitting: p's gradient has 6 rows.
  constexpr auto p = tl::param<"p", tl::shape<tl::dynamic, 3>>;
  constexpr auto q = tl::input<"q", tl::shape<tl::dynamic, 3>>;
  auto step = tl::compile(tl::sum(p) + tl::sum(tl::slice<0, 2>(q)), tl::wrt(p));
  const xt::xtensor<double, 2> P2 = {{1, 2, 3}, {4, 5, 6}};
  const xt::xtensor<double, 2> Q3 = {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}};
  const xt::xtensor<double, 2> Q1 = {{1, 1, 1}};
  xt::xtensor<double, 2> P6 = xt::xtensor<double, 2>::from_shape({6, 3});
  for (std::size_t i = 0; i < P6.size(); ++i) P6.data()[i] = 0.5 * static_cast<double>(i);
  {
    const auto r = step(p = P2, q = Q3);
    CHECK(r.value() == 21.0 + 9.0);
    CHECK(r.grad(p).shape(0) == 2);
  }
  REQUIRE_THROWS_WITH(step(p = P6, q = Q1), Contains("tapeless::slice"));
  const auto r = step(p = P6, q = Q3);
  CHECK(r.value() == 0.5 * (17.0 * 18.0 / 2.0) + 9.0);
  REQUIRE(r.grad(p).shape(0) == 6);
  for (std::size_t i = 0; i < P6.size(); ++i) CHECK(r.grad(p).data()[i] == 1.0);
}

TEST_CASE("dynamic extents that differ between the operands of an elementwise op throw",
          "[engine][tensor][dynamic][errors]") {
  constexpr auto a = tl::input<"a", tl::shape<tl::dynamic, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<tl::dynamic, 4>>;
  auto step = tl::compile(tl::sum(a * b), tl::wrt(b));
  const xt::xtensor<double, 2> A = xt::xtensor<double, 2>::from_shape({3, 4});
  const xt::xtensor<double, 2> B = xt::xtensor<double, 2>::from_shape({5, 4});
  REQUIRE_THROWS_AS(step(a = A, b = B), tl::shape_error);
  REQUIRE_THROWS_WITH(step(a = A, b = B), Contains("tapeless::mul") && Contains("[3, 4]") && Contains("[5, 4]"));
  REQUIRE_THROWS_WITH(step(a = A, b = B), Contains("\"a\"") && Contains("\"b\""));
  // After the failed step the same step still works with agreeing extents.
  const xt::xtensor<double, 2> C = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
  const auto r = step(a = C, b = C);
  CHECK(r.value() == 650.0);  // 1 + 4 + ... + 144
  CHECK(r.grad(b)(2, 3) == 12.0);

  // A dynamic extent bound to 2 does not broadcast against one bound to 3 (one bound to 1 does).
  const xt::xtensor<double, 2> two = xt::ones<double>({2, 4});
  REQUIRE_THROWS_WITH(step(a = two, b = A), Contains("tapeless::mul") && Contains("[2, 4]") && Contains("[3, 4]"));
  REQUIRE_THROWS_WITH(step(a = A, b = two), Contains("tapeless::mul") && Contains("[3, 4]") && Contains("[2, 4]"));

  // A non-leaf operand is named as the result of its op.
  auto sum_step = tl::compile(tl::sum(tl::exp(a) + b), tl::wrt(b));
  REQUIRE_THROWS_WITH(sum_step(a = A, b = B), Contains("tapeless::add") && Contains("exp") && Contains("[5, 4]"));
}

TEST_CASE("an extent of 1 in the type broadcasts against a dynamic extent", "[engine][tensor][dynamic]") {
  // x (n, 4) - mean<0>(x, keepdims) (1, 4) + c (n, 1) with c a dynamic leaf: the (1, 4) and the
  // 4 of c's type are broadcast; d/dc sums over the 4 columns, d/dx sees the mean.
  constexpr auto x = tl::param<"x", tl::shape<tl::dynamic, 4>>;
  constexpr auto c = tl::param<"c", tl::shape<tl::dynamic, 1>>;
  auto step = tl::compile(tl::sum(tl::square(x - tl::mean<0>(x, tl::keepdims) + c)), tl::wrt(x, c));
  std::mt19937_64 engine(904);
  for (std::size_t n : {3u, 1u, 5u}) {
    INFO("rows " << n);
    auto X = tt::random_tensor<double, 2>(engine, {n, 4}, -1, 1);
    auto C = tt::random_tensor<double, 2>(engine, {n, 1}, -1, 1);
    const auto oracle = [&] {
      double total = 0;
      for (std::size_t j = 0; j < 4; ++j) {
        double m = 0;
        for (std::size_t i = 0; i < n; ++i) m += X(i, j) / static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i) total += (X(i, j) - m + C(i, 0)) * (X(i, j) - m + C(i, 0));
      }
      return total;
    };
    const auto r = step(x = X, c = C);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(x), tt::numeric_gradient(X, oracle), "d/dx");
    tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
  }
}

TEST_CASE("other run-time extent checks: matmul, slice, concatenate, reshape", "[engine][tensor][dynamic][errors]") {
  SECTION("batched matmul with different batch extents") {
    constexpr auto a = tl::input<"a", tl::shape<tl::dynamic, 2, 3>>;
    constexpr auto b = tl::param<"b", tl::shape<tl::dynamic, 3, 2>>;
    auto step = tl::compile(tl::sum(tl::matmul(a, b)), tl::wrt(b));
    const xt::xtensor<double, 3> A = xt::xtensor<double, 3>::from_shape({2, 2, 3});
    const xt::xtensor<double, 3> B = xt::xtensor<double, 3>::from_shape({4, 3, 2});
    REQUIRE_THROWS_WITH(step(a = A, b = B), Contains("tapeless::matmul") && Contains("[2, 2, 3]") && Contains("[4, 3, 2]"));
  }
  SECTION("a slice beyond the bound rows") {
    constexpr auto x = tl::param<"x", tl::shape<tl::dynamic, 2>>;
    auto step = tl::compile(tl::sum(tl::slice<1, 3>(x)), tl::wrt(x));
    const xt::xtensor<double, 2> X = {{1, 2}, {3, 4}};
    REQUIRE_THROWS_WITH(step(x = X), Contains("tapeless::slice") && Contains("[1, 3)") && Contains("[2, 2]"));
    const xt::xtensor<double, 2> Y = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
    const auto r = step(x = Y);
    CHECK(r.value() == 3 + 4 + 5 + 6);
    const xt::xtensor<double, 2> expected = {{0, 0}, {1, 1}, {1, 1}, {0, 0}};
    tt::check_all_close(r.grad(x), expected, 0, 0, "d/dx of a slice of a dynamic leaf");
  }
  SECTION("concatenated operands that differ outside the axis") {
    constexpr auto a = tl::input<"a", tl::shape<tl::dynamic, 2>>;
    constexpr auto b = tl::input<"b", tl::shape<tl::dynamic, 3>>;
    auto forward = tl::compile(tl::concatenate<1>(a, b));
    const xt::xtensor<double, 2> A = {{1, 2}, {3, 4}};
    const xt::xtensor<double, 2> B = {{5, 6, 7}};
    REQUIRE_THROWS_WITH(forward(a = A, b = B), Contains("tapeless::concatenate") && Contains("[2, 2]") && Contains("[1, 3]"));
  }
  SECTION("a reshape whose inferred extent does not divide the size") {
    constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 4>>;
    auto forward = tl::compile(tl::reshape<tl::dynamic, 3>(x));
    const xt::xtensor<double, 2> five = xt::xtensor<double, 2>::from_shape({5, 4});
    REQUIRE_THROWS_AS(forward(x = five), tl::shape_error);
    REQUIRE_THROWS_WITH(forward(x = five), Contains("tapeless::reshape") && Contains("[5, 4]") && Contains("[dynamic, 3]"));
    xt::xtensor<double, 2> six = xt::xtensor<double, 2>::from_shape({6, 4});
    for (std::size_t i = 0; i < six.size(); ++i) six.data()[i] = static_cast<double>(i);
    const auto r = forward(x = six);
    const auto value = r.value();
    REQUIRE(value.shape(0) == 8);
    REQUIRE(value.shape(1) == 3);
    for (std::size_t i = 0; i < 24; ++i) CHECK(value(i / 3, i % 3) == static_cast<double>(i));
  }
}

TEST_CASE("binding data of the wrong extents throws, naming the leaf", "[engine][tensor][errors]") {
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 4>>;
  constexpr auto w = tl::param<"w", tl::shape<4, 3>>;
  auto step = tl::compile(tl::sum(tl::matmul(x, w)), tl::wrt(w));
  const xt::xtensor<double, 2> X = xt::zeros<double>({2, 4});
  const xt::xtensor<double, 2> bad_x = xt::zeros<double>({2, 5});
  const xt::xtensor<double, 2> W = xt::zeros<double>({4, 3});
  const xt::xtensor<double, 2> bad_w = xt::zeros<double>({3, 4});
  REQUIRE_THROWS_AS(step(x = bad_x, w = W), tl::shape_error);
  REQUIRE_THROWS_WITH(step(x = bad_x, w = W),
                      Contains("leaf \"x\"") && Contains("[dynamic, 4]") && Contains("[2, 5]"));
  REQUIRE_THROWS_WITH(step(x = X, w = bad_w), Contains("leaf \"w\"") && Contains("[4, 3]") && Contains("[3, 4]"));
  // A container of another rank, and a view with wrong extents.
  const xt::xtensor<double, 1> flat = xt::zeros<double>({12});
  REQUIRE_THROWS_WITH(step(x = X, w = flat), Contains("leaf \"w\"") && Contains("[12]"));
  const double raw[12] = {};
  REQUIRE_THROWS_WITH(step(x = X, w = tl::view(raw, 2, 6)), Contains("leaf \"w\"") && Contains("[2, 6]"));
  REQUIRE_NOTHROW(step(x = X, w = tl::view(raw, 4, 3)));
}

TEST_CASE("grad_into checks the destination's extents", "[engine][tensor][errors]") {
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 2>>;
  constexpr auto w = tl::param<"w", tl::shape<2, 3>>;
  auto step = tl::compile(tl::sum(tl::square(tl::matmul(x, w))), tl::wrt(w));
  const xt::xtensor<double, 2> X = {{1, 2}, {3, 4}};
  const xt::xtensor<double, 2> W = {{1, 0, -1}, {0.5, 2, 1}};
  const auto r = step(x = X, w = W);

  xt::xtensor<double, 2> wrong = xt::zeros<double>({3, 2});
  REQUIRE_THROWS_AS(r.grad_into(w, wrong), tl::shape_error);
  REQUIRE_THROWS_WITH(r.grad_into(w, wrong), Contains("\"w\"") && Contains("[2, 3]") && Contains("[3, 2]"));
  double raw[6] = {};
  REQUIRE_THROWS_WITH(r.grad_into(w, tl::out(raw, 6)), Contains("\"w\"") && Contains("[6]"));

  // The right extents: 2 X^T (X W), computed by hand.
  xt::xtensor<double, 2> into = xt::zeros<double>({2, 3});
  r.grad_into(w, into);
  r.grad_into(w, tl::out(raw, 2, 3));
  for (std::size_t q = 0; q < 2; ++q)
    for (std::size_t j = 0; j < 3; ++j) {
      double g = 0;
      for (std::size_t i = 0; i < 2; ++i) g += 2 * X(i, q) * (X(i, 0) * W(0, j) + X(i, 1) * W(1, j));
      CHECK(into(q, j) == Approx(g).epsilon(1e-14));
      CHECK(raw[q * 3 + j] == into(q, j));
    }
}

TEST_CASE("a dynamic extent bound to 1 broadcasts, and its gradient sums over the axis", "[engine][tensor][dynamic]") {
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, tl::dynamic>>;
  constexpr auto w = tl::param<"w", tl::shape<tl::dynamic, tl::dynamic>>;
  auto step = tl::compile(tl::sum(tl::square(x * w + tl::exp(w))), tl::wrt(w));
  std::mt19937_64 engine(77);
  // One step, re-laid out for each pair of shapes (w broadcast along rows, columns, both, not
  // at all, and x broadcast against w).
  const std::array<std::array<std::size_t, 4>, 6> cases{{{3, 5, 1, 5}, {3, 5, 3, 1}, {3, 5, 1, 1}, {3, 5, 3, 5},
                                                          {1, 5, 3, 5}, {3, 1, 1, 4}}};
  for (const auto& c : cases) {
    INFO("x (" << c[0] << ", " << c[1] << "), w (" << c[2] << ", " << c[3] << ")");
    const auto X = tt::random_tensor<double, 2>(engine, {c[0], c[1]}, -1, 1);
    auto W = tt::random_tensor<double, 2>(engine, {c[2], c[3]}, -1, 1);
    const std::size_t rows = std::max(c[0], c[2]), cols = std::max(c[1], c[3]);
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
          const double xv = X(c[0] == 1 ? 0 : i, c[1] == 1 ? 0 : j), wv = W(c[2] == 1 ? 0 : i, c[3] == 1 ? 0 : j);
          const double v = xv * wv + std::exp(wv);
          s += v * v;
        }
      return s;
    };
    const auto r = step(x = X, w = W);
    tt::check_value<double>(r.value(), oracle(), "value");
    tt::check_gradient<double>(r.grad(w), tt::numeric_gradient(W, oracle), "d/dw against finite differences");
  }
  // A static extent meets a dynamic one: the dynamic one is bound to it or to 1.
  constexpr auto s = tl::param<"s", tl::shape<3, 4>>;
  constexpr auto d = tl::input<"d", tl::shape<tl::dynamic, 4>>;
  auto mixed = tl::compile(tl::sum(s * d), tl::wrt(s));
  const xt::xtensor<double, 2> S = xt::ones<double>({3, 4});
  const xt::xtensor<double, 2> D1 = {{1, 2, 3, 4}};
  const xt::xtensor<double, 2> D3 = xt::ones<double>({3, 4});
  const xt::xtensor<double, 2> D2 = xt::ones<double>({2, 4});
  CHECK(mixed(s = S, d = D1).value() == 30.0);
  CHECK(mixed(s = S, d = D1).grad(s)(2, 3) == 4.0);
  CHECK(mixed(s = S, d = D3).value() == 12.0);
  REQUIRE_THROWS_WITH(mixed(s = S, d = D2), Contains("tapeless::mul") && Contains("[2, 4]"));
}
