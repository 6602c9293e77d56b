#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("relu: against max(a, 0) and the step function", "[ops][relu]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return a > 0 ? a : 0.0L; };
  const auto derivative = [](long double a) { return a > 0 ? 1.0L : 0.0L; };
  const auto at_kink = [](double a) { return a == 0; };
  tt::check_unary(tl::relu(x), x, oracle, derivative, tt::general_points, at_kink);
  tt::check_unary(tl::relu(x), x, oracle, derivative, tt::points{-1e3, -1e-3, 1e-3, 1e3}, at_kink);
}

TEMPLATE_TEST_CASE("relu: the gradient at 0 is 0, as PyTorch", "[ops][relu]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto r = tl::value_and_grad(tl::relu(x), x).at(x = TestType(0));
  CHECK(r.value == 0);
  CHECK(r.grad == 0);
}

TEMPLATE_TEST_CASE("relu: NaN propagates with gradient 1, -0 stays -0, as PyTorch", "[ops][relu]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto r = tl::value_and_grad(tl::relu(x), x).at(x = std::numeric_limits<TestType>::quiet_NaN());
  CHECK(std::isnan(r.value));
  CHECK(r.grad == 1);
  const TestType negative_zero = tl::value(tl::relu(x), x = TestType(-0.0));
  CHECK(negative_zero == 0);
  CHECK(std::signbit(negative_zero));
  const auto infinite = tl::value_and_grad(tl::relu(x), x).at(x = std::numeric_limits<TestType>::infinity());
  CHECK(std::isinf(infinite.value));
  CHECK(infinite.grad == 1);
}
