#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("mul: x * y against a b", "[ops][mul]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  constexpr auto y = tl::param<"y", tl::shape<>, TestType>;
  tt::check_binary(
      x * y, x, y, [](long double a, long double b) { return a * b; }, [](long double, long double b) { return b; },
      [](long double a, long double) { return a; }, tt::grid(tt::general_points, {-3.0, -0.5, 0.0, 0.25, 7.0}));
}

TEMPLATE_TEST_CASE("mul: a number on either side", "[ops][mul]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(3 * x, x, [](long double a) { return 3 * a; }, [](long double) { return 3.0L; }, tt::general_points);
  tt::check_unary(x * -0.25, x, [](long double a) { return a * -0.25L; }, [](long double) { return -0.25L; },
                  tt::general_points);
}

TEMPLATE_TEST_CASE("mul: x * x is x squared", "[ops][mul]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(x * x, x, [](long double a) { return a * a; }, [](long double a) { return 2 * a; }, tt::general_points);
}
