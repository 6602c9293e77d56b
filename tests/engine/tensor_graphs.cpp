// Tensor graphs with shared subexpressions and fan-out, a leaf used twice in one op, repeated
// steps, float and double, and a seed gradient for a non-scalar output: values against plain
// loops, gradients against central differences or derivatives worked out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace {

/// loss = sum(h * h) + sum(h), h = relu(x w): h fans out to two reductions, each of which reads
/// it twice or once. Checked in dtype T against plain loops in double.
template <class T>
void check_fan_out(std::uint64_t seed) {
  constexpr auto x = tl::input<"x", tl::shape<4, 3>, T>;
  constexpr auto w = tl::param<"w", tl::shape<3, 5>, T>;
  const auto h = tl::relu(tl::matmul(x, w));
  const auto loss = tl::sum(h * h) + tl::sum(h);
  std::mt19937_64 engine(seed);
  const auto X = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1)));
  auto W = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, 2>(engine, {3, 5}, -1, 1)));
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 5; ++j) {
        double z = 0;
        for (std::size_t q = 0; q < 3; ++q) z += X(i, q) * W(q, j);
        const double hv = std::max(z, 0.0);
        s += hv * hv + hv;
      }
    return s;
  };
  // By hand: d loss / dz = (2h + 1) [z > 0], d loss / dW = X^T (that).
  xt::xtensor<double, 2> by_hand = xt::xtensor<double, 2>::from_shape({3, 5});
  std::fill(by_hand.begin(), by_hand.end(), 0.0);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 5; ++j) {
      double z = 0;
      for (std::size_t q = 0; q < 3; ++q) z += X(i, q) * W(q, j);
      const double dz = z > 0 ? 2 * z + 1 : 0.0;
      for (std::size_t q = 0; q < 3; ++q) by_hand(q, j) += X(i, q) * dz;
    }
  auto step = tl::compile(loss, tl::wrt(w));
  const auto Xt = tt::convert<T>(X);
  const auto Wt = tt::convert<T>(W);
  const auto r = step(x = Xt, w = Wt);
  tt::check_value<T>(r.value(), oracle(), "loss");
  tt::check_value<T>(r.grad(w), by_hand, "d/dw against the derivative by hand");
  tt::check_gradient<T>(r.grad(w), tt::numeric_gradient(W, oracle), "d/dw against finite differences");
}

}  // namespace

TEST_CASE("fan-out: h = relu(x w) read by two reductions", "[engine][tensor][graph]") {
  check_fan_out<double>(801);
  check_fan_out<float>(802);
}

TEST_CASE("a leaf used twice in one op: x * x", "[engine][tensor][graph]") {
  constexpr auto x = tl::param<"x", tl::shape<2, 3>>;
  const xt::xtensor<double, 2> X = {{1.0, -2.0, 0.5}, {3.0, 0.0, -1.5}};
  auto step = tl::compile(tl::sum(x * x), tl::wrt(x));
  const auto r = step(x = X);
  CHECK(r.value() == 1.0 + 4.0 + 0.25 + 9.0 + 0.0 + 2.25);
  tt::check_all_close(r.grad(x), xt::xtensor<double, 2>(2.0 * X), 0, 0, "d/dx = 2x");

  // x / x is 1 everywhere: its gradient is exactly 1/x - x/x^2 = 0 up to rounding.
  constexpr auto p = tl::param<"p", tl::shape<3>>;
  const xt::xtensor<double, 1> P = {0.5, -3.0, 7.0};
  auto q_step = tl::compile(tl::sum(p / p), tl::wrt(p));
  const auto q = q_step(p = P);
  CHECK(q.value() == 3.0);
  for (std::size_t i = 0; i < 3; ++i) CHECK(std::fabs(q.grad(p)(i)) < 1e-15);
}

TEST_CASE("a shared subexpression: k = (i + h) * i has dk/di = 2i + h elementwise", "[engine][tensor][graph]") {
  constexpr auto i = tl::param<"i", tl::shape<4>>;
  constexpr auto h = tl::param<"h", tl::shape<2, 4>>;
  const xt::xtensor<double, 1> I = {1.0, -2.0, 0.5, 3.0};
  const xt::xtensor<double, 2> H = {{0.5, 1.0, -1.0, 2.0}, {-0.5, 0.0, 4.0, 1.0}};
  auto step = tl::compile(tl::sum((i + h) * i), tl::wrt(i, h));
  const auto r = step(i = I, h = H);
  double value = 0;
  xt::xtensor<double, 1> gi = {0, 0, 0, 0};
  for (std::size_t b = 0; b < 2; ++b)
    for (std::size_t k = 0; k < 4; ++k) {
      value += (I(k) + H(b, k)) * I(k);
      gi(k) += 2 * I(k) + H(b, k);
    }
  CHECK(r.value() == Approx(value).epsilon(1e-15));
  tt::check_all_close(r.grad(i), gi, 1e-15, 0, "d/di = sum over the batch of 2i + h");
  for (std::size_t b = 0; b < 2; ++b)
    for (std::size_t k = 0; k < 4; ++k) CHECK(r.grad(h)(b, k) == I(k));
}

TEST_CASE("a shared subexpression read by an elementwise op and a reduction", "[engine][tensor][graph]") {
  // s = tanh(a * b); loss = sum(s * amax<1>(s, keepdims) + exp(s)) * 0.5
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<4>>;
  std::mt19937_64 engine(811);
  auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -2, 2);
  auto B = tt::random_tensor<double, 1>(engine, {4}, -2, 2);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t r = 0; r < 3; ++r) {
      double largest = -1e300;
      for (std::size_t c = 0; c < 4; ++c) largest = std::max(largest, std::tanh(A(r, c) * B(c)));
      for (std::size_t c = 0; c < 4; ++c) {
        const double s = std::tanh(A(r, c) * B(c));
        total += s * largest + std::exp(s);
      }
    }
    return total * 0.5;
  };
  const auto s = tl::tanh(a * b);
  const auto loss = tl::sum(s * tl::amax<1>(s, tl::keepdims) + tl::exp(s)) * 0.5;
  auto step = tl::compile(loss, tl::wrt(a, b));
  const auto r = step(a = A, b = B);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
}

TEST_CASE("a two-layer network with a bias: every parameter against finite differences", "[engine][tensor][graph]") {
  // mean(square(matmul(tanh(matmul(x, w1) + b1), w2) - y)), b1 broadcast over the batch.
  constexpr auto x = tl::input<"x", tl::shape<6, 4>>;
  constexpr auto y = tl::input<"y", tl::shape<6, 2>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<4, 5>>;
  constexpr auto b1 = tl::param<"b1", tl::shape<5>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<5, 2>>;
  std::mt19937_64 engine(821);
  const auto X = tt::random_tensor<double, 2>(engine, {6, 4}, -1, 1);
  const auto Y = tt::random_tensor<double, 2>(engine, {6, 2}, -1, 1);
  auto W1 = tt::random_tensor<double, 2>(engine, {4, 5}, -1, 1);
  auto B1 = tt::random_tensor<double, 1>(engine, {5}, -1, 1);
  auto W2 = tt::random_tensor<double, 2>(engine, {5, 2}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t n = 0; n < 6; ++n) {
      double hidden[5];
      for (std::size_t j = 0; j < 5; ++j) {
        double z = B1(j);
        for (std::size_t q = 0; q < 4; ++q) z += X(n, q) * W1(q, j);
        hidden[j] = std::tanh(z);
      }
      for (std::size_t o = 0; o < 2; ++o) {
        double p = 0;
        for (std::size_t j = 0; j < 5; ++j) p += hidden[j] * W2(j, o);
        total += (p - Y(n, o)) * (p - Y(n, o));
      }
    }
    return total / 12.0;
  };
  const auto loss = tl::mean(tl::square(tl::matmul(tl::tanh(tl::matmul(x, w1) + b1), w2) - y));
  auto step = tl::compile(loss, tl::wrt(w1, b1, w2));
  const auto r = step(x = X, y = Y, w1 = W1, b1 = B1, w2 = W2);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(w1), tt::numeric_gradient(W1, oracle), "d/dw1");
  tt::check_gradient<double>(r.grad(b1), tt::numeric_gradient(B1, oracle), "d/db1");
  tt::check_gradient<double>(r.grad(w2), tt::numeric_gradient(W2, oracle), "d/dw2");

  // The functional API gives the same numbers (it owns its result).
  const auto [g1, gb, g2] = tl::grad(loss, w1, b1, w2).at(x = X, y = Y, w1 = W1, b1 = B1, w2 = W2);
  tt::check_all_close(g1, r.grad(w1), 1e-13, 1e-15, "tl::grad d/dw1");
  tt::check_all_close(gb, r.grad(b1), 1e-13, 1e-15, "tl::grad d/db1");
  tt::check_all_close(g2, r.grad(w2), 1e-13, 1e-15, "tl::grad d/dw2");
  const auto vg = tl::value_and_grad(loss, w2).at(x = X, y = Y, w1 = W1, b1 = B1, w2 = W2);
  CHECK(vg.value == Approx(oracle()).epsilon(1e-12));
  tt::check_all_close(vg.grad, r.grad(w2), 1e-13, 1e-15, "tl::value_and_grad d/dw2");
}

TEST_CASE("repeated steps do not accumulate gradients from earlier steps", "[engine][tensor][graph]") {
  // Bias gradients are zeroed and accumulated, others assigned: both must start afresh.
  constexpr auto a = tl::param<"a", tl::shape<3, 2>>;
  constexpr auto b = tl::param<"b", tl::shape<2>>;
  auto step = tl::compile(tl::sum(tl::square(a + b)), tl::wrt(a, b));
  for (int t = 1; t <= 3; ++t) {
    const double scale = t;
    const xt::xtensor<double, 2> A = {{1.0 * scale, 2.0}, {-1.0, 0.5}, {0.0, scale}};
    const xt::xtensor<double, 1> B = {0.5, -scale};
    const auto r = step(a = A, b = B);
    xt::xtensor<double, 1> gb = {0, 0};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 2; ++j) {
        CHECK(r.grad(a)(i, j) == 2 * (A(i, j) + B(j)));
        gb(j) += 2 * (A(i, j) + B(j));
      }
    tt::check_all_close(r.grad(b), gb, 1e-15, 0, "d/db at step " + std::to_string(t));
  }
}

TEST_CASE("seed 002: a seed gradient for a non-scalar output (backward(gradient))", "[engine][tensor][seed]") {
  constexpr auto v = tl::param<"v", tl::shape<3>>;
  const xt::xtensor<double, 1> V = {1.0, 2.0, 3.0};
  const xt::xtensor<double, 1> G = {1.0, 0.1, 0.01};
  auto step = tl::compile(v * v, tl::wrt(v));
  const auto r = step(v = V, tl::seed(G));
  const xt::xtensor<double, 1> out = {1.0, 4.0, 9.0};
  tt::check_all_close(r.value(), out, 0, 0, "v * v");
  // d/dv of <seed, v * v> = 2 v seed = [2, 0.4, 0.06].
  const xt::xtensor<double, 1> expected = {2.0, 0.4, 0.06};
  tt::check_all_close(r.grad(v), expected, 1e-15, 0, "v.grad");
  CHECK(r.grad(v)(1) == Approx(0.4).epsilon(1e-15));

  // The same through tl::view and tl::out, in float.
  constexpr auto f = tl::param<"f", tl::shape<3>, float>;
  const float data[] = {1.0f, 2.0f, 3.0f};
  const float seed[] = {1.0f, 0.1f, 0.01f};
  auto fstep = tl::compile(f * f, tl::wrt(f));
  const auto fr = fstep(f = tl::view(data, 3), tl::seed(tl::view(seed, 3)));
  float grad[3] = {};
  fr.grad_into(f, tl::out(grad, 3));
  CHECK(grad[0] == Approx(2.0f));
  CHECK(grad[1] == Approx(0.4f));
  CHECK(grad[2] == Approx(0.06f));

  // A seed of the wrong extents is refused.
  const xt::xtensor<double, 1> short_seed = {1.0, 2.0};
  REQUIRE_THROWS_AS(step(v = V, tl::seed(short_seed)), tl::shape_error);
}

TEST_CASE("a seed gradient through a matmul and a reduction with keepdims", "[engine][tensor][seed]") {
  // out = sum<1>(matmul(a, b), keepdims) of shape (3, 1); <seed, out> against finite differences.
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<4, 2>>;
  std::mt19937_64 engine(831);
  auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
  const xt::xtensor<double, 2> S = {{1.0}, {-2.0}, {0.5}};
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 2; ++j)
        for (std::size_t q = 0; q < 4; ++q) total += S(i, 0) * A(i, q) * B(q, j);
    return total;
  };
  auto step = tl::compile(tl::sum<1>(tl::matmul(a, b), tl::keepdims), tl::wrt(a, b));
  const auto r = step(a = A, b = B, tl::seed(S));
  REQUIRE(r.value().shape(0) == 3);
  REQUIRE(r.value().shape(1) == 1);
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
}
