// compile(loss, wrt(...)): a step object that owns its workspace.
#include <catch2/catch.hpp>
#include <cmath>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {
constexpr auto x = tl::input<"x">;
constexpr auto y = tl::input<"y">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto loss = tl::square(w * x + b - y);
constexpr auto s = tl::scalar<"s">;
}  // namespace

TEST_CASE("a compiled step gives the same value and gradients as grad()", "[engine][compile]") {
  auto step = tl::compile(loss, tl::wrt(w, b));
  for (double xv : {-2.0, 0.0, 0.5, 3.0}) {
    const auto r = step(x = xv, y = 1.0, w = 0.7, b = -0.2);
    const auto g = tl::value_and_grad(loss, w, b).at(x = xv, y = 1.0, w = 0.7, b = -0.2);
    CHECK(r.value() == g.value);
    CHECK(r.grad(w) == g.grad[w]);
    CHECK(r.grad(b) == g.grad[b]);
    // By hand: d/dw (w x + b - y)^2 = 2 (w x + b - y) x.
    CHECK(r.grad(w) == Approx(2 * (0.7 * xv - 0.2 - 1.0) * xv));
  }
}

TEST_CASE("training y = 2x + 3 with a compiled step converges (seed 001's model)", "[engine][compile]") {
  auto step = tl::compile(loss, tl::wrt(w, b));
  double W = 0.0, B = 0.0;
  const double xs[] = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
  for (int epoch = 0; epoch < 2000; ++epoch) {
    double gw = 0, gb = 0;
    for (double xv : xs) {
      const auto r = step(tl::bind(x = xv, y = 2 * xv + 3, w = W, b = B));
      gw += r.grad(w);
      gb += r.grad(b);
    }
    W -= 0.05 * gw / 6;
    B -= 0.05 * gb / 6;
  }
  CHECK(W == Approx(2.0).epsilon(1e-9));
  CHECK(B == Approx(3.0).epsilon(1e-9));
}

TEST_CASE("a compiled step works in constant expressions", "[engine][compile]") {
  constexpr double g = [] {
    auto step = tl::compile(s * s + 3 * s + 1, tl::wrt(s));
    return step(s = 2.0).grad(s);
  }();
  STATIC_REQUIRE(g == 7.0);
}
