// value, grad and value_and_grad on scalar graphs, at run time and in constant expressions.
#include <catch2/catch.hpp>
#include <cmath>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

TEST_CASE("y = x^2 + 3x + 1 at x = 2 in constant expressions (seed 004)", "[engine]") {
  constexpr auto x = tl::scalar<"x">;
  constexpr auto y = x * x + 3 * x + 1;
  STATIC_REQUIRE(tl::value(y, x = 2.0) == 11.0);
  STATIC_REQUIRE(tl::grad(y, x).at(x = 2.0) == 7.0);
  STATIC_REQUIRE(tl::grad(tl::pow(x, 2) + 3 * x + 1, x).at(x = 2.0) == 7.0);
  CHECK(tl::grad(y, x).at(x = -1.5) == 0.0);
  for (double v : {-3.0, -0.25, 0.0, 1.0, 10.0}) CHECK(tl::grad(y, x).at(x = v) == 2 * v + 3);
}

TEST_CASE("the adjoint of a shared node sums every use (seed 002)", "[engine]") {
  constexpr auto i = tl::param<"i">;
  constexpr auto h = tl::param<"h">;
  constexpr auto k = (i + h) * i;
  constexpr auto g = tl::grad(k, i, h).at(i = 2.0, h = 3.0);
  STATIC_REQUIRE(g[i] == 7.0);
  STATIC_REQUIRE(g[h] == 2.0);
  const auto [di, dh] = tl::grad(k, i, h).at(tl::bind(i = -1.0, h = 4.0));
  CHECK(di == 2 * -1.0 + 4.0);
  CHECK(dh == -1.0);
  // Order of the wrt leaves decides the order of the results.
  const auto [dh2, di2] = tl::grad(k, h, i).at(i = -1.0, h = 4.0);
  CHECK(di2 == di);
  CHECK(dh2 == dh);
}

TEST_CASE("seed 000: loss = (y - w x)^2 at x = 1, y = 2, w = 1", "[engine]") {
  constexpr auto x = tl::input<"x">;
  constexpr auto y = tl::input<"y">;
  constexpr auto w = tl::param<"w">;
  constexpr auto loss = tl::square(y - w * x);
  constexpr auto r = tl::value_and_grad(loss, w).at(x = 1.0, y = 2.0, w = 1.0);
  STATIC_REQUIRE(r.value == 1.0);
  STATIC_REQUIRE(r.grad == -2.0);
  CHECK(1.0 - 0.01 * r.grad == Approx(1.02));
}

TEST_CASE("constants in the expression keep their own values", "[engine]") {
  constexpr auto x = tl::param<"x">;
  STATIC_REQUIRE(tl::value(x * 2.0 + x * 3.0, x = 1.0) == 5.0);
  STATIC_REQUIRE(tl::grad(x * 2.0 + x * 3.0, x).at(x = 1.0) == 5.0);
  STATIC_REQUIRE(tl::grad(x / 2.0 - 4.0 / x, x).at(x = 2.0) == 0.5 + 1.0);
  STATIC_REQUIRE(tl::grad(1 - x, x).at(x = 7.0) == -1.0);
  // A shared subexpression that holds a constant is evaluated once per occurrence, correctly.
  constexpr auto s = 2.0 * x;
  STATIC_REQUIRE(tl::grad(s * s, x).at(x = 3.0) == 8.0 * 3.0);
}

TEST_CASE("float graphs compute in float", "[engine]") {
  constexpr auto x = tl::param<"x", tl::shape<>, float>;
  constexpr auto y = tl::sigmoid(x) * 2.0f + x;
  STATIC_REQUIRE(std::is_same_v<decltype(tl::value(y, x = 0.0f)), float>);
  constexpr float g = tl::grad(y, x).at(x = 0.0f);
  STATIC_REQUIRE(g == 1.5f);
}

TEST_CASE("bindings may list leaves in any order and include extra leaves", "[engine]") {
  constexpr auto a = tl::param<"a">;
  constexpr auto b = tl::input<"b">;
  constexpr auto unused = tl::input<"unused">;
  constexpr auto e = a * tl::exp(b);
  CHECK(tl::value(e, b = 0.0, unused = 9.0, a = 3.0) == 3.0);
  CHECK(tl::grad(e, a).at(tl::bind(b = 1.0, a = 2.0)) == Approx(std::exp(1.0)));
}

TEST_CASE("gradient with respect to the root leaf itself", "[engine]") {
  constexpr auto a = tl::param<"a">;
  STATIC_REQUIRE(tl::grad(a, a).at(a = 5.0) == 1.0);
  STATIC_REQUIRE(tl::value(a, a = 5.0) == 5.0);
}

TEST_CASE("deeply shared graphs differentiate correctly", "[engine]") {
  constexpr auto x = tl::param<"x">;
  constexpr auto l1 = tl::sin(x) * x;
  constexpr auto l2 = tl::sin(l1) * l1;
  constexpr auto l3 = tl::sin(l2) * l2;
  // Forward-mode by hand: l' = cos(l) l' l + sin(l) l'.
  const double v0 = 0.8;
  double v = v0, d = 1.0;
  for (int n = 0; n < 3; ++n) {
    const double nv = std::sin(v) * v;
    d = std::cos(v) * d * v + std::sin(v) * d;
    v = nv;
  }
  const auto r = tl::value_and_grad(l3, x).at(x = v0);
  CHECK(r.value == Approx(v).epsilon(1e-14));
  CHECK(r.grad == Approx(d).epsilon(1e-13));
}
