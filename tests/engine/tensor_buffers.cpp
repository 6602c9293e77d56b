// How much memory a compiled tensor step holds. The rule (docs/tensors.md, DESIGN invariant 4):
// memory only where a value is needed later (by the backward pass, by a second consumer) or at a
// non-elementwise op; elementwise chains are fused into their consumer's loop and own nothing;
// a unary unit whose VJP reads only its output overwrites an operand nothing else reads. The
// counts below are derived from that rule by hand, node by node.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace {
/// Elements the arena reserves for a buffer of n elements (each buffer starts on 64 bytes).
constexpr std::size_t padded(std::size_t n) { return (n + 7) / 8 * 8; }
}  // namespace

TEST_CASE("seed 003's network holds the fewest buffers the rule allows", "[engine][tensor][buffers]") {
  constexpr auto x = tl::input<"x", tl::shape<64, 1000>>;
  constexpr auto y = tl::input<"y", tl::shape<64, 10>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<1000, 100>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<100, 10>>;
  const auto h = tl::matmul(x, w1);
  const auto y_pred = tl::matmul(tl::relu(h), w2);
  const auto loss = tl::sum(tl::square(y_pred - y));
  using step_t = decltype(tl::compile(loss, tl::wrt(w1, w2)));

  // Values. h = x w1 is a matmul result (a kernel writes it: it needs a buffer). relu(h) is read
  // by the second matmul (not elementwise, so relu is a unit of its own) and by relu's own VJP,
  // which reads relu's output; nothing else reads h (matmul's VJP reads its operands x and
  // relu(h), not its result), so relu overwrites h in place: one buffer for both. y_pred is a
  // matmul result: a buffer. y_pred - y and its square are elementwise with one consumer each,
  // fused into the loss's loop: none. The loss: one. Total 3. (Without the in-place rule relu's
  // output would be a fourth buffer.)
  STATIC_REQUIRE(step_t::value_buffers == 3);
  // Adjoints. The loss's seed (1); y_pred's adjoint, which the second matmul's VJP reads (2);
  // relu(h)'s adjoint, which that VJP writes and relu's VJP reads (3); h's adjoint, which relu's
  // VJP writes and the first matmul's VJP reads (4); the gradients of w1 and w2 (5, 6). The fused
  // square and subtraction have none (their adjoints live in registers inside the loss's reverse
  // loop), nor do x and y (inputs, not differentiated).
  STATIC_REQUIRE(step_t::adjoint_buffers == 6);

  // The same count in elements: values h (in place with relu) 64x100, y_pred 64x10, the loss;
  // adjoints the seed, y_pred, relu(h), h, w1, w2.
  const std::size_t expected = padded(64 * 100) + padded(64 * 10) + padded(1) + padded(1) + padded(64 * 10) +
                               padded(64 * 100) + padded(64 * 100) + padded(1000 * 100) + padded(100 * 10);
  auto step = tl::compile(loss, tl::wrt(w1, w2));
  CHECK(step.workspace_elements() == expected);
}

TEST_CASE("seed 003's network computes the right loss and gradients", "[engine][tensor][buffers]") {
  // The same graph at smaller extents, against plain loops: an in-place relu must not corrupt
  // what the backward pass reads.
  constexpr auto x = tl::input<"x", tl::shape<8, 20>>;
  constexpr auto y = tl::input<"y", tl::shape<8, 3>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<20, 6>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<6, 3>>;
  const auto loss = tl::sum(tl::square(tl::matmul(tl::relu(tl::matmul(x, w1)), w2) - y));
  std::mt19937_64 engine(1001);
  const auto X = tt::random_tensor<double, 2>(engine, {8, 20}, -1, 1);
  const auto Y = tt::random_tensor<double, 2>(engine, {8, 3}, -1, 1);
  auto W1 = tt::random_tensor<double, 2>(engine, {20, 6}, -1, 1);
  auto W2 = tt::random_tensor<double, 2>(engine, {6, 3}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t n = 0; n < 8; ++n) {
      double hidden[6];
      for (std::size_t j = 0; j < 6; ++j) {
        double z = 0;
        for (std::size_t q = 0; q < 20; ++q) z += X(n, q) * W1(q, j);
        hidden[j] = z > 0 ? z : 0.0;
      }
      for (std::size_t o = 0; o < 3; ++o) {
        double p = -Y(n, o);
        for (std::size_t j = 0; j < 6; ++j) p += hidden[j] * W2(j, o);
        total += p * p;
      }
    }
    return total;
  };
  auto step = tl::compile(loss, tl::wrt(w1, w2));
  STATIC_REQUIRE(decltype(step)::value_buffers == 3);
  STATIC_REQUIRE(decltype(step)::adjoint_buffers == 6);
  const auto r = step(x = X, y = Y, w1 = W1, w2 = W2);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(w1), tt::numeric_gradient(W1, oracle), "d/dw1");
  tt::check_gradient<double>(r.grad(w2), tt::numeric_gradient(W2, oracle), "d/dw2");
}

TEST_CASE("a pure elementwise chain under a sum stores only the loss", "[engine][tensor][buffers]") {
  constexpr auto a = tl::param<"a", tl::shape<16, 8>>;
  constexpr auto b = tl::param<"b", tl::shape<8>>;
  constexpr auto c = tl::param<"c", tl::shape<16, 1>>;
  const auto loss = tl::sum(tl::exp(tl::sin(a) * b + c));
  // sin, *, + and exp each have one consumer, elementwise or the reduction: all fused into the
  // sum's loop. Values: the loss alone.
  using forward_t = decltype(tl::compile(loss));
  STATIC_REQUIRE(forward_t::value_buffers == 1);
  STATIC_REQUIRE(forward_t::adjoint_buffers == 0);
  // Adjoints: the seed and the three gradients; the fused members' adjoints are registers.
  using step_t = decltype(tl::compile(loss, tl::wrt(a, b, c)));
  STATIC_REQUIRE(step_t::value_buffers == 1);
  STATIC_REQUIRE(step_t::adjoint_buffers == 4);
  // Differentiating with respect to a alone: only its gradient and the seed.
  STATIC_REQUIRE(decltype(tl::compile(loss, tl::wrt(a)))::adjoint_buffers == 2);

  std::mt19937_64 engine(1002);
  auto A = tt::random_tensor<double, 2>(engine, {16, 8}, -1, 1);
  auto B = tt::random_tensor<double, 1>(engine, {8}, -1, 1);
  auto C = tt::random_tensor<double, 2>(engine, {16, 1}, -1, 1);
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 16; ++i)
      for (std::size_t j = 0; j < 8; ++j) s += std::exp(std::sin(A(i, j)) * B(j) + C(i, 0));
    return s;
  };
  auto step = tl::compile(loss, tl::wrt(a, b, c));
  const auto r = step(a = A, b = B, c = C);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
}

TEST_CASE("a value read twice is stored once", "[engine][tensor][buffers]") {
  // s = tanh(a) has two consumers (the product and the amax): it is stored, as are the amax (a
  // reduction, plus its tie count) and the loss; s * m and exp fuse into the loss's loop.
  constexpr auto a = tl::param<"a", tl::shape<4, 5>>;
  const auto s = tl::tanh(a);
  const auto loss = tl::sum(tl::exp(s * tl::amax<1>(s, tl::keepdims)));
  using forward_t = decltype(tl::compile(loss));
  STATIC_REQUIRE(forward_t::value_buffers == 4);
}
