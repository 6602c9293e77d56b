// Forward mode (each op's jvp) against reverse mode (each op's vjp) on whole graphs.
#include <catch2/catch.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {
constexpr auto x = tl::param<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto u = tl::input<"u">;
}  // namespace

TEST_CASE("forward mode gives dy/dx = 7 for y = x^2 + 3x + 1 at x = 2, at compile time", "[engine][forward]") {
  STATIC_REQUIRE(tl::derivative(x * x + 3 * x + 1, x).at(x = 2.0) == 7.0);
  STATIC_REQUIRE(tl::derivative((x + w) * x, x).at(x = 2.0, w = 3.0) == 7.0);
  STATIC_REQUIRE(tl::derivative((x + w) * x, w).at(x = 2.0, w = 3.0) == 2.0);
}

TEST_CASE("forward and reverse mode agree on graphs mixing every op", "[engine][forward]") {
  constexpr auto h = tl::tanh(w * x + u) + tl::sigmoid(x) * tl::softplus(w);
  constexpr auto e = tl::log(tl::square(h) + 1.0) * tl::exp(-tl::abs(x)) + tl::sqrt(tl::square(w) + 0.5) -
                     tl::pow(tl::abs(h) + 0.5, w) / (tl::cos(x) + 2.0) + tl::max(tl::sin(h), tl::relu(x - w)) -
                     tl::min(h, 0.25 * x) - (h / (1.0 + tl::square(x)));
  for (double xv : {-1.3, -0.2, 0.4, 1.7})
    for (double wv : {-0.6, 0.9}) {
      const auto g = tl::grad(e, x, w).at(x = xv, w = wv, u = 0.3);
      CHECK(tl::derivative(e, x).at(x = xv, w = wv, u = 0.3) == Approx(g[x]).epsilon(1e-12));
      CHECK(tl::derivative(e, w).at(x = xv, w = wv, u = 0.3) == Approx(g[w]).epsilon(1e-12));
    }
}
