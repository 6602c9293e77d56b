// transpose, reshape, slice, concatenate: values against index arithmetic written out by hand,
// gradients through each against central differences (a slice's gradient is 0 outside its rows).
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

TEST_CASE("transpose<0, 2> of a rank-3 tensor", "[ops][tensor][transpose]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  constexpr auto w = tl::input<"w", tl::shape<4, 3, 2>>;
  std::mt19937_64 engine(701);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto W = tt::random_tensor<double, 3>(engine, {4, 3, 2}, -1, 1);
  const auto y = tl::transpose<0, 2>(a);
  const auto value = tl::value(y, a = A);
  REQUIRE(value.shape(0) == 4);
  REQUIRE(value.shape(1) == 3);
  REQUIRE(value.shape(2) == 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) CHECK(value(k, j, i) == A(i, j, k));

  // sum(sin(transpose<0, 2>(a)) * w)
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k) s += std::sin(A(i, j, k)) * W(k, j, i);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::sin(y) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("transpose of the last two axes of a computed tensor", "[ops][tensor][transpose]") {
  // transpose(a * b) + c: the swapped operand is a stored result read with strides.
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<4>>;
  constexpr auto c = tl::param<"c", tl::shape<4, 3>>;
  constexpr auto w = tl::input<"w", tl::shape<2, 4, 3>>;
  std::mt19937_64 engine(702);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
  auto C = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  const auto W = tt::random_tensor<double, 3>(engine, {2, 4, 3}, -1, 1);
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t p = 0; p < 2; ++p)
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          const double v = A(p, j, i) * B(i) + C(i, j);
          s += v * v * W(p, i, j);
        }
    return s;
  };
  auto step = tl::compile(tl::sum(tl::square(tl::transpose(a * b) + c) * w), tl::wrt(a, b, c));
  const auto r = step(a = A, b = B, c = C, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
}

TEST_CASE("reshape keeps the row-major order; one extent may be inferred", "[ops][tensor][reshape]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  // The inferred extent is dynamic in the type: the weights it meets are dynamic too.
  constexpr auto w = tl::input<"w", tl::shape<tl::dynamic, 3>>;
  std::mt19937_64 engine(711);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {8, 3}, -1, 1);

  const auto fixed = tl::value(tl::reshape<4, 6>(a), a = A);
  REQUIRE(fixed.shape(0) == 4);
  REQUIRE(fixed.shape(1) == 6);
  for (std::size_t f = 0; f < 24; ++f) CHECK(fixed(f / 6, f % 6) == A.data()[f]);

  const auto y = tl::reshape<tl::dynamic, 3>(a);
  const auto inferred = tl::value(y, a = A);
  REQUIRE(inferred.shape(0) == 8);
  REQUIRE(inferred.shape(1) == 3);
  for (std::size_t f = 0; f < 24; ++f) CHECK(inferred(f / 3, f % 3) == A.data()[f]);

  // sum(exp(reshape<dynamic, 3>(a)) * w)
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t f = 0; f < 24; ++f) s += std::exp(A.data()[f]) * W(f / 3, f % 3);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::exp(y) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("reshape of a transposed (non-contiguous) operand", "[ops][tensor][reshape]") {
  // reshape<6, 4>(transpose<0, 2>(a)): the transposed elements in their own row-major order.
  constexpr auto a = tl::param<"a", tl::shape<2, 3, 4>>;
  constexpr auto w = tl::input<"w", tl::shape<6, 4>>;
  std::mt19937_64 engine(712);
  auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {6, 4}, -1, 1);
  // Element f of the transposed (4, 3, 2) tensor is A(i, j, k) with f = (k * 3 + j) * 2 + i.
  const auto transposed = [&](std::size_t f) { return A(f % 2, (f / 2) % 3, f / 6); };
  const auto y = tl::reshape<6, 4>(tl::transpose<0, 2>(a));
  const auto value = tl::value(y, a = A);
  for (std::size_t f = 0; f < 24; ++f) CHECK(value(f / 4, f % 4) == transposed(f));
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t f = 0; f < 24; ++f) s += transposed(f) * transposed(f) * W(f / 4, f % 4);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::square(y) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
}

TEST_CASE("slice takes rows of the leading axis; its gradient is 0 outside them", "[ops][tensor][slice]") {
  constexpr auto a = tl::param<"a", tl::shape<5, 3>>;
  constexpr auto w = tl::input<"w", tl::shape<2, 3>>;
  std::mt19937_64 engine(721);
  auto A = tt::random_tensor<double, 2>(engine, {5, 3}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {2, 3}, -1, 1);
  const auto y = tl::slice<1, 3>(a);
  const auto value = tl::value(y, a = A);
  REQUIRE(value.shape(0) == 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(value(i, j) == A(i + 1, j));

  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j) s += std::tanh(A(i + 1, j)) * W(i, j);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::tanh(y) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(r.grad(a)(0, j) == 0.0);
    CHECK(r.grad(a)(3, j) == 0.0);
    CHECK(r.grad(a)(4, j) == 0.0);
  }
}

TEST_CASE("two slices of one operand, and a slice feeding a matmul", "[ops][tensor][slice]") {
  // sum(matmul(slice<0, 2>(a), slice<2, 5>(a))): a (5, 3) split into (2, 3) and (3, 3).
  constexpr auto a = tl::param<"a", tl::shape<5, 3>>;
  std::mt19937_64 engine(722);
  auto A = tt::random_tensor<double, 2>(engine, {5, 3}, -1, 1);
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t q = 0; q < 3; ++q) s += A(i, q) * A(2 + q, j);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::matmul(tl::slice<0, 2>(a), tl::slice<2, 5>(a))), tl::wrt(a));
  const auto r = step(a = A);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");

  // A slice of a slice, and a rank-3 slice: rows [1, 2) of rows [1, 4) of a (4, 2, 3).
  constexpr auto c = tl::param<"c", tl::shape<4, 2, 3>>;
  auto C = tt::random_tensor<double, 3>(engine, {4, 2, 3}, -1, 1);
  const auto inner = [&] {
    double s = 0;
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t k = 0; k < 3; ++k) s += C(2, j, k) * C(2, j, k) * static_cast<double>(j + k + 1);
    return s;
  };
  constexpr auto v = tl::input<"v", tl::shape<2, 3>>;
  const xt::xtensor<double, 2> V = {{1, 2, 3}, {2, 3, 4}};
  auto rc_step = tl::compile(tl::sum(tl::square(tl::slice<1, 2>(tl::slice<1, 4>(c))) * v), tl::wrt(c));
  const auto rc = rc_step(c = C, v = V);
  CHECK(rc.value() == Approx(inner()).epsilon(1e-12));
  tt::check_gradient<double>(rc.grad(c), tt::numeric_gradient(C, inner), "d/dc");
}

TEST_CASE("concatenate joins two to four operands along an axis", "[ops][tensor][concatenate]") {
  std::mt19937_64 engine(731);
  SECTION("two operands along axis 0") {
    constexpr auto a = tl::param<"a", tl::shape<2, 3>>;
    constexpr auto b = tl::param<"b", tl::shape<1, 3>>;
    constexpr auto w = tl::input<"w", tl::shape<3, 3>>;
    auto A = tt::random_tensor<double, 2>(engine, {2, 3}, -1, 1);
    auto B = tt::random_tensor<double, 2>(engine, {1, 3}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {3, 3}, -1, 1);
    const auto joined = [&](std::size_t i, std::size_t j) { return i < 2 ? A(i, j) : B(i - 2, j); };
    const auto y = tl::concatenate<0>(a, b);
    const auto value = tl::value(y, a = A, b = B);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) CHECK(value(i, j) == joined(i, j));
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) s += std::exp(joined(i, j)) * W(i, j);
      return s;
    };
    auto step = tl::compile(tl::sum(tl::exp(y) * w), tl::wrt(a, b));
    const auto r = step(a = A, b = B, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  }
  SECTION("three operands along axis 1, one of them computed") {
    constexpr auto a = tl::param<"a", tl::shape<2, 1>>;
    constexpr auto b = tl::param<"b", tl::shape<2, 3>>;
    constexpr auto c = tl::param<"c", tl::shape<2, 2>>;
    constexpr auto w = tl::input<"w", tl::shape<2, 6>>;
    auto A = tt::random_tensor<double, 2>(engine, {2, 1}, -1, 1);
    auto B = tt::random_tensor<double, 2>(engine, {2, 3}, -1, 1);
    auto C = tt::random_tensor<double, 2>(engine, {2, 2}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {2, 6}, -1, 1);
    // concatenate<1>(a, b * b, c)
    const auto joined = [&](std::size_t i, std::size_t j) {
      return j < 1 ? A(i, j) : j < 4 ? B(i, j - 1) * B(i, j - 1) : C(i, j - 4);
    };
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 6; ++j) s += std::sin(joined(i, j)) * W(i, j);
      return s;
    };
    auto step = tl::compile(tl::sum(tl::sin(tl::concatenate<1>(a, b * b, c)) * w), tl::wrt(a, b, c));
    const auto r = step(a = A, b = B, c = C, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
    tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
  }
  SECTION("four rank-3 parts along the last axis, one of them twice, by nested concatenation") {
    constexpr auto a = tl::param<"a", tl::shape<2, 2, 1>>;
    constexpr auto b = tl::param<"b", tl::shape<2, 2, 2>>;
    constexpr auto c = tl::param<"c", tl::shape<2, 2, 3>>;
    constexpr auto w = tl::input<"w", tl::shape<2, 2, 7>>;
    auto A = tt::random_tensor<double, 3>(engine, {2, 2, 1}, -1, 1);
    auto B = tt::random_tensor<double, 3>(engine, {2, 2, 2}, -1, 1);
    auto C = tt::random_tensor<double, 3>(engine, {2, 2, 3}, -1, 1);
    const auto W = tt::random_tensor<double, 3>(engine, {2, 2, 7}, -1, 1);
    // concatenate<2>(concatenate<2>(b, a), c, a): extents 2 + 1 + 3 + 1 = 7.
    const auto joined = [&](std::size_t p, std::size_t i, std::size_t j) {
      return j < 2 ? B(p, i, j) : j < 3 ? A(p, i, 0) : j < 6 ? C(p, i, j - 3) : A(p, i, 0);
    };
    const auto y = tl::concatenate<2>(tl::concatenate<2>(b, a), c, a);
    const auto value = tl::value(y, a = A, b = B, c = C);
    for (std::size_t p = 0; p < 2; ++p)
      for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 7; ++j) CHECK(value(p, i, j) == joined(p, i, j));
    const auto oracle = [&] {
      double s = 0;
      for (std::size_t p = 0; p < 2; ++p)
        for (std::size_t i = 0; i < 2; ++i)
          for (std::size_t j = 0; j < 7; ++j) s += joined(p, i, j) * joined(p, i, j) * W(p, i, j);
      return s;
    };
    auto step = tl::compile(tl::sum(tl::square(y) * w), tl::wrt(a, b, c));
    const auto r = step(a = A, b = B, c = C, w = W);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da (used twice)");
    tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
    tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
  }
}

TEST_CASE("a view at the root reads as its own row-major tensor", "[ops][tensor][transpose][reshape]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3>>;
  const xt::xtensor<double, 2> A = {{1, 2, 3}, {4, 5, 6}};
  const auto t = tl::value(tl::transpose(a), a = A);
  REQUIRE(t.shape(0) == 3);
  REQUIRE(t.shape(1) == 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(t(j, i) == A(i, j));
  // reshape<6>(transpose(a)): the transposed elements in row-major order.
  const auto flat = tl::value(tl::reshape<6>(tl::transpose(a)), a = A);
  const double expected[] = {1, 4, 2, 5, 3, 6};
  for (std::size_t f = 0; f < 6; ++f) CHECK(flat(f) == expected[f]);
  // With a seed: <g, transpose(a)> has gradient transpose(g).
  const xt::xtensor<double, 2> G = {{1, 2}, {3, 4}, {5, 6}};
  auto step = tl::compile(tl::transpose(a), tl::wrt(a));
  const auto r = step(a = A, tl::seed(G));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) {
      CHECK(r.value()(j, i) == A(i, j));
      CHECK(r.grad(a)(i, j) == G(j, i));
    }
}
