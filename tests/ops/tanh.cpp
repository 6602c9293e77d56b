#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("tanh: against std::tanh and 1 / cosh^2", "[ops][tanh]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::tanh(a); };
  const auto derivative = [](long double a) { return 1 / (std::cosh(a) * std::cosh(a)); };
  tt::check_unary(tl::tanh(x), x, oracle, derivative, tt::general_points);
  tt::check_unary(tl::tanh(x), x, oracle, derivative, tt::saturating_points);
}
