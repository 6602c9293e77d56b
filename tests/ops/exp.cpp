#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("exp: against std::exp, its own derivative", "[ops][exp]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::exp(a); };
  tt::check_unary(tl::exp(x), x, oracle, oracle, tt::general_points);
  tt::check_unary(tl::exp(x), x, oracle, oracle, tt::points{-1000.0, -80.0, -20.0, 20.0, 80.0});
  tt::check_unary(
      tl::exp(-x), x, [](long double a) { return std::exp(-a); }, [](long double a) { return -std::exp(-a); },
      tt::general_points);
}
