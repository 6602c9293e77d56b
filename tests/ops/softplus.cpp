#include <catch2/catch.hpp>

#include <cmath>

#include <tapeless/tapeless.hpp>

#include "support/op_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

TEMPLATE_TEST_CASE("softplus: against log(1 + e^a), finite where it saturates", "[ops][softplus]", float, double) {
  constexpr auto x = tl::param<"x", tl::shape<>, TestType>;
  const auto oracle = [](long double a) { return std::log1p(std::exp(a)); };
  const auto derivative = [](long double a) { return 1 / (1 + std::exp(-a)); };
  tt::check_unary(tl::softplus(x), x, oracle, derivative, tt::general_points);
  tt::check_unary(tl::softplus(x), x, oracle, derivative, tt::saturating_points);
}
