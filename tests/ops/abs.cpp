#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {
// d|a|/da with PyTorch's choice at the kink: 0 (torch.sign(0) = 0).
long double sign(long double a) { return a > 0 ? 1.0L : (a < 0 ? -1.0L : 0.0L); }
}  // namespace

TEMPLATE_TEST_CASE("abs: against std::fabs and sign(a)", "[ops][abs]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto at_kink = [](double a) { return a == 0; };
  tt::check_unary(
      tl::abs(x), x, [](long double a) { return std::fabs(a); }, sign, tt::general_points, at_kink);
  tt::check_unary(
      tl::abs(x), x, [](long double a) { return std::fabs(a); }, sign, tt::points{-1e3, -1e-3, 1e-3, 1e3}, at_kink);
}

TEMPLATE_TEST_CASE("abs: the gradient at 0 is 0, as PyTorch", "[ops][abs]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  CHECK(tl::grad(tl::abs(x), x).at(x = TestType(0)) == 0);
  CHECK(tl::grad(tl::abs(x), x).at(x = TestType(-0.0)) == 0);
  CHECK(tl::value(tl::abs(x), x = TestType(-0.0)) == 0);
}
