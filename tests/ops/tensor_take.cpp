// take: gather along an axis by integer positions (torch.index_select). Values against plain
// loops, gradients against central differences (a repeated index accumulates), a dynamic
// number of indices, and bad indices throwing index_error before anything is written.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;
using Catch::Matchers::Contains;

TEST_CASE("take gathers rows, columns and slabs; repeated indices accumulate", "[ops][tensor][take]") {
  constexpr auto table = tl::param<"table", tl::shape<5, 3>>;
  constexpr auto tokens = tl::input<"tokens", tl::shape<6>>;
  constexpr auto w = tl::input<"w", tl::shape<6, 3>>;
  std::mt19937_64 engine(761);
  auto E = tt::random_tensor<double, 2>(engine, {5, 3}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {6, 3}, -1, 1);
  const xt::xtensor<double, 1> K = {4, 0, 4, 2, 4, 1};  // row 3 unused, row 4 three times

  const xt::xtensor<double, 2> rows = tl::value(tl::take<0>(table, tokens), table = E, tokens = K);
  for (std::size_t k = 0; k < 6; ++k)
    for (std::size_t j = 0; j < 3; ++j) CHECK(rows(k, j) == E(static_cast<std::size_t>(K(k)), j));

  const auto oracle = [&] {
    double s = 0;
    for (std::size_t k = 0; k < 6; ++k)
      for (std::size_t j = 0; j < 3; ++j) s += std::tanh(E(static_cast<std::size_t>(K(k)), j)) * W(k, j);
    return s;
  };
  auto step = tl::compile(tl::sum(tl::tanh(tl::take<0>(table, tokens)) * w), tl::wrt(table));
  const auto r = step(table = E, tokens = K, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(table), tt::numeric_gradient(E, oracle), "d/dtable");
  for (std::size_t j = 0; j < 3; ++j) CHECK(r.grad(table)(3, j) == 0.0);

  // Columns of a rank-3 tensor, and a second use of the same leaf (the scatter accumulates
  // onto another contribution).
  constexpr auto a = tl::param<"a", tl::shape<2, 4, 3>>;
  constexpr auto cols = tl::input<"cols", tl::shape<2>>;
  auto A = tt::random_tensor<double, 3>(engine, {2, 4, 3}, -1, 1);
  const xt::xtensor<double, 1> C = {2, 0};
  const auto columns = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 4; ++j) {
        s += std::exp(A(i, j, 2)) * static_cast<double>(j + 1) + std::exp(A(i, j, 0)) * static_cast<double>(j + 2);
        for (std::size_t q = 0; q < 3; ++q) s += A(i, j, q) * A(i, j, q);
      }
    return s;
  };
  constexpr auto v = tl::input<"v", tl::shape<4, 2>>;
  const xt::xtensor<double, 2> V = {{1, 2}, {2, 3}, {3, 4}, {4, 5}};
  auto both = tl::compile(tl::sum(tl::exp(tl::take<2>(a, cols)) * v) + tl::sum(tl::square(a)), tl::wrt(a));
  const auto rb = both(a = A, cols = C, v = V);
  CHECK(rb.value() == Approx(columns()).epsilon(1e-12));
  tt::check_gradient<double>(rb.grad(a), tt::numeric_gradient(A, columns), "d/da");
}

TEST_CASE("take with a dynamic number of indices, and bad indices", "[ops][tensor][take]") {
  constexpr auto table = tl::param<"table", tl::shape<4, 2>>;
  constexpr auto ids = tl::input<"ids", tl::shape<tl::dynamic>>;
  std::mt19937_64 engine(762);
  auto E = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
  auto step = tl::compile(tl::sum(tl::square(tl::take<0>(table, ids))), tl::wrt(table));
  for (const xt::xtensor<double, 1>& I : {xt::xtensor<double, 1>{1}, xt::xtensor<double, 1>{3, 3, 0, 2, 1, 3, 0}}) {
    const auto oracle = [&] {
      double s = 0;
      for (double i : I)
        for (std::size_t j = 0; j < 2; ++j) s += E(static_cast<std::size_t>(i), j) * E(static_cast<std::size_t>(i), j);
      return s;
    };
    const auto r = step(table = E, ids = I);
    CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
    tt::check_gradient<double>(r.grad(table), tt::numeric_gradient(E, oracle), "d/dtable");
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const xt::xtensor<double, 1>& bad :
       {xt::xtensor<double, 1>{0, 4}, xt::xtensor<double, 1>{-1}, xt::xtensor<double, 1>{1.5}, xt::xtensor<double, 1>{2, nan}}) {
    REQUIRE_THROWS_AS(step(table = E, ids = bad), tl::index_error);
    REQUIRE_THROWS_WITH(step(table = E, ids = bad),
                        Contains("tapeless::take") && Contains("leaf \"ids\"") && Contains("leaf \"table\"") &&
                            Contains("[0, 4)"));
  }
  const xt::xtensor<double, 1> seven = {0, 1, 7};
  REQUIRE_THROWS_WITH(step(table = E, ids = seven), Contains("index 7") && Contains("position 2"));
  // The step still works after a rejected call.
  const xt::xtensor<double, 1> ok = {2};
  CHECK(step(table = E, ids = ok).value() == Approx(E(2, 0) * E(2, 0) + E(2, 1) * E(2, 1)));
}
