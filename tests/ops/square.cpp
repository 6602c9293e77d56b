#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("square: against a * a and 2a", "[ops][square]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(
      tl::square(x), x, [](long double a) { return a * a; }, [](long double a) { return 2 * a; },
      tt::points{-1e3, -3.7, -1.0, -0.21, 0.0, 1e-4, 0.77, 2.6, 1e4});
  tt::check_unary(
      tl::square(tl::square(x)), x, [](long double a) { return a * a * a * a; },
      [](long double a) { return 4 * a * a * a; }, tt::general_points);
}
