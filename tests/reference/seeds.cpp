// Seed programs against LibTorch: shared subexpressions add the contributions of every use,
// constants that differ are never merged, a non-scalar output takes a seed gradient (seed 002's
// backward(gradient)), and seed 004's linear model gives the seed's numbers.
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include <tapeless/tapeless.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

#include "reference_checks.hpp"
#include "torch_seeds.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEST_CASE("seed 002: k = (i + h) * i, dk/di = 2i + h and dk/dh = i, as LibTorch", "[reference][seed]") {
  constexpr auto i = tl::param<"i">;
  constexpr auto h = tl::param<"h">;
  constexpr auto k = (i + h) * i;
  tt::check_against_reference(k, {2.0, 3.0}, i, h);
  const auto torch = tapeless::reference::evaluate(tt::describe(k), {{"i", 2.0}, {"h", 3.0}});
  CHECK(torch.value == 10);
  CHECK(torch.gradients.at("i") == 7);
  CHECK(torch.gradients.at("h") == 2);
  const auto r = tl::value_and_grad(k, i, h).at(i = 2.0, h = 3.0);
  CHECK(r.value == 10);
  CHECK(r.grad[i] == 7);
  CHECK(r.grad[h] == 2);
  for (double vi : {-1.5, 0.0, 0.25, 4.0})
    for (double vh : {-2.0, 0.5, 7.0}) tt::check_against_reference(k, {vi, vh}, i, h);
}

TEST_CASE("constants that differ are not merged: x * 2.0 + x * 3.0 is 5x, as LibTorch", "[reference][seed]") {
  constexpr auto x = tl::param<"x">;
  const auto e = x * 2.0 + x * 3.0;
  const auto r = tl::value_and_grad(e, x).at(x = 1.0);
  CHECK(r.value == 5);
  CHECK(r.grad == 5);
  const auto torch = tapeless::reference::evaluate(tt::describe(e), {{"x", 1.0}});
  CHECK(torch.value == 5);
  CHECK(torch.gradients.at("x") == 5);
  // Two constant nodes, never one: x, 2, x * 2, 3, x * 3, the sum.
  CHECK(tl::graph::node_count_v<decltype(e)> == 6);
  for (double v : {-3.0, 0.0, 1.0, 2.5}) tt::check_against_reference(e, {v}, x);
}

TEST_CASE("constants in float: x * 2 + x * 3 in float32, as LibTorch", "[reference][seed]") {
  constexpr auto x = tl::param<"x", tl::shape<>, float>;
  const auto e = x * 2 + x * 3;
  const auto r = tl::value_and_grad(e, x).at(x = 1.0f);
  CHECK(r.value == 5);
  CHECK(r.grad == 5);
  for (float v : {-3.0f, 0.0f, 1.0f, 2.5f}) tt::check_against_reference(e, {v}, x);
}

TEST_CASE("seed 002: backward(gradient) on v * v gives [2, 0.4, 0.06], as LibTorch", "[reference][seed]") {
  // v = [1, 2, 3]; out = v * v; out.backward([1, 0.1, 0.01]): v.grad = 2 v * gradient.
  constexpr auto v = tl::param<"v", tl::shape<3>>;
  constexpr auto out = v * v;
  const std::vector<double> values{1.0, 2.0, 3.0}, gradient{1.0, 0.1, 0.01};
  const std::vector<double> torch = tapeless::reference::seeds::square_backward_with_gradient(values, gradient);

  const xt::xtensor<double, 1> V = {1.0, 2.0, 3.0};
  const xt::xtensor<double, 1> G = {1.0, 0.1, 0.01};
  auto step = tl::compile(out, tl::wrt(v));
  const auto r = step(v = V, tl::seed(G));
  const std::vector<double> expected{2.0, 0.4, 0.06};
  REQUIRE(torch.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("element " << i);
    CHECK(r.value()(i) == values[i] * values[i]);
    CHECK(r.grad(v)(i) == Approx(expected[i]).epsilon(1e-15));
    CHECK(torch[i] == Approx(expected[i]).epsilon(1e-15));
    CHECK(r.grad(v)(i) == Approx(torch[i]).epsilon(1e-15));
  }
}

TEST_CASE("seed 004: the linear model's loss 7.54, gradients and one SGD step, as LibTorch", "[reference][seed]") {
  constexpr auto x = tl::input<"x", tl::shape<2, 3>>;
  constexpr auto y_true = tl::input<"y_true", tl::shape<2, 1>>;
  constexpr auto w = tl::param<"w", tl::shape<3, 1>>;
  constexpr auto b = tl::param<"b", tl::shape<1, 1>>;
  constexpr auto loss = 0.5 * tl::mean(tl::square(tl::matmul(x, w) + b - y_true));
  const double lr = 0.1;

  const auto torch = tapeless::reference::seeds::linear_model_one_step({3.0, 2.0, 1.0, 1.3, 2.4, 3.7}, 2, 3,
                                                                       {5.0, 2.0}, {1.0, 1.0, 1.0}, 0.0, lr);

  const xt::xtensor<double, 2> X = {{3.0, 2.0, 1.0}, {1.3, 2.4, 3.7}};
  const xt::xtensor<double, 2> Y = {{5.0}, {2.0}};
  xt::xtensor<double, 2> W = {{1.0}, {1.0}, {1.0}};
  xt::xtensor<double, 2> B = {{0.0}};
  auto step = tl::compile(loss, tl::wrt(w, b));
  const auto r = step(x = X, y_true = Y, w = W, b = B);

  // The seed's numbers (PyTorch, float32, as printed), then tapeless against LibTorch in float64.
  const double seed_w_grad[] = {5.01, 7.48, 10.49}, seed_w_after[] = {0.499, 0.252, -0.049};
  CHECK(r.value() == Approx(7.54).epsilon(1e-12));
  CHECK(r.grad(b)(0, 0) == Approx(3.2).epsilon(1e-12));
  CHECK(r.value() == Approx(torch.loss).epsilon(1e-14));
  CHECK(r.grad(b)(0, 0) == Approx(torch.b_grad).epsilon(1e-14));
  REQUIRE(torch.w_grad.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("w element " << i);
    CHECK(r.grad(w)(i, 0) == Approx(seed_w_grad[i]).epsilon(1e-12));
    CHECK(r.grad(w)(i, 0) == Approx(torch.w_grad[i]).epsilon(1e-14));
  }

  xt::noalias(W) -= lr * r.grad(w);
  xt::noalias(B) -= lr * r.grad(b);
  CHECK(B(0, 0) == Approx(-0.32).epsilon(1e-12));
  CHECK(B(0, 0) == Approx(torch.b_after).epsilon(1e-14));
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("w element " << i);
    CHECK(W(i, 0) == Approx(seed_w_after[i]).epsilon(1e-12));
    CHECK(W(i, 0) == Approx(torch.w_after[i]).epsilon(1e-14));
  }
}
