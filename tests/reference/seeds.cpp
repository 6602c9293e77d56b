// Seed programs against LibTorch: shared subexpressions add the contributions of every use, and
// constants that differ are never merged.
#include <catch2/catch.hpp>

#include <tapeless/tapeless.hpp>

#include "reference_checks.hpp"

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
