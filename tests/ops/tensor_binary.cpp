// + - * / in float, pow, max, min on tensors, with broadcasting in both operands: values
// against plain loops, gradients against central differences of a weighted sum; ties of max/min.
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

namespace {

constexpr operand_range positive{0.2, 2.0};
}  // namespace

TEST_CASE("tensor + - * / in float", "[ops][tensor][elementwise][float]") {
  check_binary<float, cube, vec>("a + b, (2,3,4) (4)", plus, plus, 21);
  check_binary<float, col, row>("a - b, (3,1) (1,4)", minus, minus, 22);
  check_binary<float, slab, column>("a * b, (2,1,4) (3,1)", times, times, 23);
  check_binary<float, cube, vec>("a / b, (2,3,4) (4)", divide, divide, 24, {}, nonzero);
}

TEST_CASE("tensor pow, max, min broadcast both operands", "[ops][tensor][elementwise]") {
  const auto pow = [](const auto& a, const auto& b) { return tl::pow(a, b); };
  const auto max = [](const auto& a, const auto& b) { return tl::max(a, b); };
  const auto min = [](const auto& a, const auto& b) { return tl::min(a, b); };
  const auto pow_ref = [](double a, double b) { return std::pow(a, b); };
  const auto max_ref = [](double a, double b) { return std::max(a, b); };
  const auto min_ref = [](double a, double b) { return std::min(a, b); };
  check_binary<double, col, row>("pow(a, b), (3,1) (1,4)", pow, pow_ref, 31, positive, {-1.5, 2.5});
  check_binary<double, slab, column>("pow(a, b), (2,1,4) (3,1)", pow, pow_ref, 32, positive, {-1.5, 2.5});
  check_binary<double, col, row>("max(a, b), (3,1) (1,4)", max, max_ref, 33);
  check_binary<double, slab, column>("max(a, b), (2,1,4) (3,1)", max, max_ref, 34);
  check_binary<double, col, row>("min(a, b), (3,1) (1,4)", min, min_ref, 35);
  check_binary<double, cube, vec>("min(a, b), (2,3,4) (4)", min, min_ref, 36);
  check_binary<float, slab, column>("pow(a, b), (2,1,4) (3,1)", pow, pow_ref, 37, positive, {-1.5, 2.5});
  check_binary<float, col, row>("max(a, b), (3,1) (1,4)", max, max_ref, 38);
}

TEST_CASE("tensor max and min share the gradient at ties", "[ops][tensor][elementwise]") {
  // max(a, b) with a == b in some elements: each operand receives half of the gradient there
  // (torch.maximum). Finite differences are not defined at a tie, so the oracle is the rule.
  constexpr auto a = tl::param<"a", tl::shape<4>>;
  constexpr auto b = tl::param<"b", tl::shape<2, 4>>;
  const xt::xtensor<double, 1> A = {1.0, 2.0, 3.0, 4.0};
  const xt::xtensor<double, 2> B = {{1.0, 0.0, 5.0, 4.0}, {0.0, 2.0, 3.0, 9.0}};
  auto step = tl::compile(tl::sum(tl::max(a, b)), tl::wrt(a, b));
  const auto r = step(a = A, b = B);
  CHECK(r.value() == 1.0 + 2.0 + 5.0 + 4.0 + 1.0 + 2.0 + 3.0 + 9.0);
  // a gets: column 0: 0.5 (tie) + 1; column 1: 1 + 0.5; column 2: 0 + 0.5; column 3: 0.5 + 0.
  const xt::xtensor<double, 1> ga = {1.5, 1.5, 0.5, 0.5};
  const xt::xtensor<double, 2> gb = {{0.5, 0.0, 1.0, 0.5}, {0.0, 0.5, 0.5, 1.0}};
  tl::testing::check_all_close(r.grad(a), ga, 0, 0, "d/da");
  tl::testing::check_all_close(r.grad(b), gb, 0, 0, "d/db");

  auto rmin_step = tl::compile(tl::sum(tl::min(a, b)), tl::wrt(a, b));
  const auto rmin = rmin_step(a = A, b = B);
  const xt::xtensor<double, 1> ga_min = {0.5, 0.5, 1.5, 1.5};
  const xt::xtensor<double, 2> gb_min = {{0.5, 1.0, 0.0, 0.5}, {1.0, 0.5, 0.5, 0.0}};
  tl::testing::check_all_close(rmin.grad(a), ga_min, 0, 0, "d/da of min");
  tl::testing::check_all_close(rmin.grad(b), gb_min, 0, 0, "d/db of min");
}
