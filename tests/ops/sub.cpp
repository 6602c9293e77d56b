#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("sub: x - y against a - b", "[ops][sub]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  tt::check_binary(
      x - y, x, y, [](long double a, long double b) { return a - b; }, [](long double, long double) { return 1.0L; },
      [](long double, long double) { return -1.0L; }, tt::grid(tt::general_points, {-3.0, -0.5, 0.0, 0.25, 7.0}));
}

TEMPLATE_TEST_CASE("sub: a number on either side", "[ops][sub]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(x - 3, x, [](long double a) { return a - 3; }, [](long double) { return 1.0L; }, tt::general_points);
  tt::check_unary(1 - x, x, [](long double a) { return 1 - a; }, [](long double) { return -1.0L; }, tt::general_points);
}

TEMPLATE_TEST_CASE("sub: x - x is identically zero", "[ops][sub]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(x - x, x, [](long double) { return 0.0L; }, [](long double) { return 0.0L; }, tt::general_points);
}
