#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("cos: against std::cos and -sin", "[ops][cos]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::cos(a); };
  const auto derivative = [](long double a) { return -std::sin(a); };
  tt::check_unary(tl::cos(x), x, oracle, derivative, tt::general_points);
  tt::check_unary(tl::cos(x), x, oracle, derivative, tt::points{1.5707963267948966, -3.14159265358979, 25.0, 100.0});
}
