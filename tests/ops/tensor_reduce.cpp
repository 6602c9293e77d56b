// sum, mean, amax, amin on rank-1 and rank-2 tensors, over all axes, one axis and with keepdims:
// values against plain loops, gradients against central differences; ties of amax/amin share
// the gradient evenly; fused reductions over elementwise chains.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <tapeless/tapeless.hpp>

#include "support/tensor_reduce.hpp"

namespace tl = tapeless;
using tl::testing::check_reduction;
using tl::testing::reduction;

TEST_CASE("reductions of a rank-1 tensor", "[ops][tensor][reduce]") {
  using S = tl::shape<5>;
  const std::array<bool, 1> all{true};
  check_reduction<double, S>("sum(a)", [](const auto& a) { return tl::sum(a); }, all, reduction::sum, false, 201);
  check_reduction<double, S>("mean(a)", [](const auto& a) { return tl::mean(a); }, all, reduction::mean, false, 202);
  check_reduction<double, S>("amax(a)", [](const auto& a) { return tl::amax(a); }, all, reduction::max, false, 203);
  check_reduction<double, S>("amin(a)", [](const auto& a) { return tl::amin(a); }, all, reduction::min, false, 204);
  check_reduction<double, S>("sum<0>(a, keepdims)", [](const auto& a) { return tl::sum<0>(a, tl::keepdims); }, all,
                             reduction::sum, true, 205);
  check_reduction<double, S>("amax<0>(a, keepdims)", [](const auto& a) { return tl::amax<0>(a, tl::keepdims); }, all,
                             reduction::max, true, 206);
}

TEST_CASE("reductions of a rank-2 tensor", "[ops][tensor][reduce]") {
  using S = tl::shape<3, 4>;
  check_reduction<double, S>("sum<1>(a)", [](const auto& a) { return tl::sum<1>(a); }, {false, true}, reduction::sum,
                             false, 211);
  check_reduction<double, S>("mean<0>(a, keepdims)", [](const auto& a) { return tl::mean<0>(a, tl::keepdims); },
                             {true, false}, reduction::mean, true, 212);
  check_reduction<double, S>("amax<1>(a)", [](const auto& a) { return tl::amax<1>(a); }, {false, true}, reduction::max,
                             false, 213);
  check_reduction<double, S>("amin<0>(a)", [](const auto& a) { return tl::amin<0>(a); }, {true, false}, reduction::min,
                             false, 214);
  check_reduction<double, S>("sum<0, 1>(a)", [](const auto& a) { return tl::sum<0, 1>(a); }, {true, true},
                             reduction::sum, false, 215);
  check_reduction<double, S>("amin<0, 1>(a, keepdims)", [](const auto& a) { return tl::amin<0, 1>(a, tl::keepdims); },
                             {true, true}, reduction::min, true, 216);
  check_reduction<double, S>("mean(a)", [](const auto& a) { return tl::mean(a); }, {true, true}, reduction::mean,
                             false, 217);
}

TEST_CASE("amax and amin share the gradient evenly among ties", "[ops][tensor][reduce]") {
  constexpr auto v = tl::param<"v", tl::shape<3>>;
  const xt::xtensor<double, 1> V = {1.0, 3.0, 3.0};
  {
    auto step = tl::compile(tl::amax(v), tl::wrt(v));
    const auto r = step(v = V);
    CHECK(r.value() == 3.0);
    const xt::xtensor<double, 1> expected = {0.0, 0.5, 0.5};
    tl::testing::check_all_close(r.grad(v), expected, 0, 0, "d amax / dv");
  }
  {
    const xt::xtensor<double, 1> U = {-2.0, 5.0, -2.0};
    auto step = tl::compile(tl::amin(v), tl::wrt(v));
    const auto r = step(v = U);
    CHECK(r.value() == -2.0);
    const xt::xtensor<double, 1> expected = {0.5, 0.0, 0.5};
    tl::testing::check_all_close(r.grad(v), expected, 0, 0, "d amin / dv");
  }
  {
    // Per row, with weights: row 0 has a three-way tie, row 1 none, row 2 a two-way tie.
    constexpr auto m = tl::param<"m", tl::shape<3, 3>>;
    constexpr auto w = tl::input<"w", tl::shape<3>>;
    const xt::xtensor<double, 2> M = {{2.0, 2.0, 2.0}, {1.0, 4.0, 0.0}, {7.0, -1.0, 7.0}};
    const xt::xtensor<double, 1> W = {3.0, 5.0, 2.0};
    auto step = tl::compile(tl::sum(tl::amax<1>(m) * w), tl::wrt(m));
    const auto r = step(m = M, w = W);
    CHECK(r.value() == 2.0 * 3.0 + 4.0 * 5.0 + 7.0 * 2.0);
    const xt::xtensor<double, 2> expected = {{1.0, 1.0, 1.0}, {0.0, 5.0, 0.0}, {1.0, 0.0, 1.0}};
    tl::testing::check_all_close(r.grad(m), expected, 1e-15, 1e-15, "d/dm of a per-row amax");
  }
}

TEST_CASE("amax and amin propagate NaN", "[ops][tensor][reduce]") {
  constexpr auto v = tl::input<"v", tl::shape<3>>;
  const xt::xtensor<double, 1> V = {1.0, std::numeric_limits<double>::quiet_NaN(), 3.0};
  auto largest = tl::compile(tl::amax(v));
  auto smallest = tl::compile(tl::amin(v));
  CHECK(std::isnan(largest(v = V).value()));
  CHECK(std::isnan(smallest(v = V).value()));
}

TEST_CASE("fused reductions over elementwise chains", "[ops][tensor][reduce]") {
  // sum(square(a * b - c)) with b broadcast along rows and c along columns.
  constexpr auto a = tl::param<"a", tl::shape<4, 5>>;
  constexpr auto b = tl::param<"b", tl::shape<5>>;
  constexpr auto c = tl::param<"c", tl::shape<4, 1>>;
  std::mt19937_64 engine(221);
  auto A = tl::testing::random_tensor<double, 2>(engine, {4, 5}, -2, 2);
  auto B = tl::testing::random_tensor<double, 1>(engine, {5}, -2, 2);
  auto C = tl::testing::random_tensor<double, 2>(engine, {4, 1}, -2, 2);
  const auto term = [&](std::size_t i, std::size_t j) { return A(i, j) * B(j) - C(i, 0); };
  const auto total = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 5; ++j) s += term(i, j) * term(i, j);
    return s;
  };
  {
    auto step = tl::compile(tl::sum(tl::square(a * b - c)), tl::wrt(a, b, c));
    const auto r = step(a = A, b = B, c = C);
    CHECK(r.value() == Approx(total()).epsilon(1e-13));
    tl::testing::check_gradient<double>(r.grad(a), tl::testing::numeric_gradient(A, total), "d/da");
    tl::testing::check_gradient<double>(r.grad(b), tl::testing::numeric_gradient(B, total), "d/db");
    tl::testing::check_gradient<double>(r.grad(c), tl::testing::numeric_gradient(C, total), "d/dc");
  }
  {
    // The mean over rows, then the largest: amax(mean<0>(square(a * b - c))).
    const auto per_column = [&] {
      std::vector<double> m(5, 0.0);
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 5; ++j) m[j] += term(i, j) * term(i, j) / 4.0;
      return m;
    };
    const auto largest = [&] {
      const auto m = per_column();
      return *std::max_element(m.begin(), m.end());
    };
    auto step = tl::compile(tl::amax(tl::mean<0>(tl::square(a * b - c))), tl::wrt(a, b, c));
    const auto r = step(a = A, b = B, c = C);
    CHECK(r.value() == Approx(largest()).epsilon(1e-13));
    tl::testing::check_gradient<double>(r.grad(a), tl::testing::numeric_gradient(A, largest), "d/da");
    tl::testing::check_gradient<double>(r.grad(b), tl::testing::numeric_gradient(B, largest), "d/db");
    tl::testing::check_gradient<double>(r.grad(c), tl::testing::numeric_gradient(C, largest), "d/dc");
  }
}
