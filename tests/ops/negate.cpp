#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("neg: -x against -a", "[ops][neg]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  tt::check_unary(-x, x, [](long double a) { return -a; }, [](long double) { return -1.0L; }, tt::general_points);
  tt::check_unary(-(-x), x, [](long double a) { return a; }, [](long double) { return 1.0L; }, tt::general_points);
}
