#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("sin: value, gradient and rules against std::sin and its derivative", "[ops][sin]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::sin(a); };
  const auto derivative = [](long double a) { return std::cos(a); };
  tt::check_unary(tl::sin(x), x, oracle, derivative, tt::general_points);
  tt::check_unary(tl::sin(x), x, oracle, derivative, tt::points{3.14159265358979, -6.283185307, 25.0, 100.0});
}
