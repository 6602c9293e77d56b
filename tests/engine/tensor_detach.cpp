// tl::detach: the value passes, the gradient does not (PyTorch's .detach()).
#include <catch2/catch.hpp>
#include <tapeless/tapeless.hpp>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

TEST_CASE("detach: x * detach(x) has gradient x, not 2x", "[engine][detach]") {
  constexpr auto s = tl::scalar<"s">;
  CHECK(tl::grad(s * tl::detach(s), s).at(s = 3.0) == 3.0);
  STATIC_REQUIRE(tl::grad(s * tl::detach(s), s).at(s = 3.0) == 3.0);

  constexpr auto x = tl::param<"x", tl::shape<2, 3>>;
  auto step = tl::compile(tl::sum(x * tl::detach(x)), tl::wrt(x));
  const xt::xtensor<double, 2> X = {{1, -2, 3}, {0.5, 4, -6}};
  auto r = step(x = X);
  CHECK(r.value() == Approx(1 + 4 + 9 + 0.25 + 16 + 36));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(r.grad(x)(i, j) == X(i, j));
}

TEST_CASE("detach: a leaf reached only through detach gets a zero gradient", "[engine][detach]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 2>>;
  constexpr auto b = tl::param<"b", tl::shape<2>>;
  // The workspace is fresh memory; dirty the heap first so a missing zero would show.
  { std::vector<double> junk(1 << 16, 1e30); }
  auto step = tl::compile(tl::sum(tl::detach(a + b) * 2.0) + tl::sum(b), tl::wrt(a, b));
  const xt::xtensor<double, 2> A = {{1, 2}, {3, 4}, {5, 6}};
  const xt::xtensor<double, 1> B = {1, 2};
  for (int call = 0; call < 2; ++call) {
    auto r = step(a = A, b = B);
    CHECK(r.value() == Approx(2 * (21 + 3 * 3) + 3));
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 2; ++j) CHECK(r.grad(a)(i, j) == 0.0);
    CHECK(r.grad(b)(0) == 1.0);
    CHECK(r.grad(b)(1) == 1.0);
  }
  constexpr auto s = tl::scalar<"s">;
  constexpr auto t = tl::scalar<"t">;
  const auto g = tl::grad(tl::detach(s * t) * 3.0 + t, s, t).at(s = 2.0, t = 5.0);
  CHECK(g[s] == 0.0);
  CHECK(g[t] == 1.0);
}
