#include <catch2/catch.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

TEST_CASE("value and grad of y = x^2 + 3x + 1 in constant expressions", "[engine]") {
  constexpr auto x = tl::scalar<"x">;
  constexpr auto y = x * x + 3 * x + 1;
  STATIC_REQUIRE(tl::value(y, x = 2.0) == 11.0);
  STATIC_REQUIRE(tl::grad(y, x).at(x = 2.0) == 7.0);
  CHECK(tl::grad(y, x).at(x = -1.5) == Approx(0.0));
}
