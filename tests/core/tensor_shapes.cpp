// Shapes of tensor expressions (the type is the graph, so the shape rules are checked at compile
// time), and data bound from every kind of container gives the same result.
#include <catch2/catch.hpp>

#include <type_traits>
#include <vector>

#include <tapeless/tapeless.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xfixed.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

namespace {
template <class E, std::size_t... Extents>
constexpr bool has_shape = std::is_same_v<typename E::shape_type, tl::shape<Extents...>>;

constexpr auto a = tl::input<"a", tl::shape<3, 1>>;
constexpr auto b = tl::input<"b", tl::shape<2, 1, 4>>;
constexpr auto m = tl::input<"m", tl::shape<2, 3, 4>>;
constexpr auto n = tl::input<"n", tl::shape<2, 4, 5>>;
constexpr auto d = tl::input<"d", tl::shape<tl::dynamic, 4>>;
}  // namespace

TEST_CASE("shape rules of tensor ops", "[core][tensor][shape]") {
  // Broadcasting, NumPy rules: aligned on the right, extent 1 stretches.
  STATIC_REQUIRE(has_shape<decltype(a + b), 2, 3, 4>);
  STATIC_REQUIRE(has_shape<decltype(a * 2.0), 3, 1>);
  STATIC_REQUIRE(has_shape<decltype(tl::where(a > 0.0, b, 1.0)), 2, 3, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::broadcast_to<5, 3, 4>(a)), 5, 3, 4>);
  // Reductions, with and without keepdims.
  STATIC_REQUIRE(has_shape<decltype(tl::sum(m))>);
  STATIC_REQUIRE(has_shape<decltype(tl::sum<1>(m)), 2, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::mean<0, 2>(m)), 3>);
  STATIC_REQUIRE(has_shape<decltype(tl::amax<0, 2>(m, tl::keepdims)), 1, 3, 1>);
  STATIC_REQUIRE(has_shape<decltype(tl::amin(m, tl::keepdims)), 1, 1, 1>);
  // matmul, transpose, reshape, slice, concatenate.
  STATIC_REQUIRE(has_shape<decltype(tl::matmul(m, n)), 2, 3, 5>);
  STATIC_REQUIRE(has_shape<decltype(tl::matmul(tl::transpose(n), tl::transpose(m))), 2, 5, 3>);
  STATIC_REQUIRE(has_shape<decltype(tl::transpose<0, 2>(m)), 4, 3, 2>);
  STATIC_REQUIRE(has_shape<decltype(tl::reshape<6, 4>(m)), 6, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::reshape<tl::dynamic, 2>(m)), tl::dynamic, 2>);
  STATIC_REQUIRE(has_shape<decltype(tl::slice<1, 2>(m)), 1, 3, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::concatenate<1>(m, m)), 2, 6, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::concatenate<0>(m, m, m)), 6, 3, 4>);
  // A dynamic extent stays dynamic through ops.
  STATIC_REQUIRE(has_shape<decltype(tl::exp(d) * d), tl::dynamic, 4>);
  STATIC_REQUIRE(has_shape<decltype(tl::sum<1>(d)), tl::dynamic>);
  STATIC_REQUIRE(has_shape<decltype(tl::concatenate<0>(d, d)), tl::dynamic, 4>);
  // dtype follows the operands.
  constexpr auto f = tl::input<"f", tl::shape<3>, float>;
  STATIC_REQUIRE(std::is_same_v<typename decltype(tl::sum(f * f))::value_type, float>);
}

TEST_CASE("every kind of bound container gives the same result", "[core][tensor][binding]") {
  constexpr auto x = tl::param<"x", tl::shape<2, 3>>;
  constexpr auto w = tl::input<"w", tl::shape<3>>;
  auto step = tl::compile(tl::sum(tl::square(x) * w), tl::wrt(x));
  const std::vector<double> raw = {1, -2, 3, 0.5, 4, -1};
  const std::vector<double> weights = {1, 10, 100};
  double expected = 0;
  for (std::size_t i = 0; i < 6; ++i) expected += raw[i] * raw[i] * weights[i % 3];

  xt::xtensor<double, 2> as_tensor = xt::xtensor<double, 2>::from_shape({2, 3});
  xt::xarray<double> as_array = xt::xarray<double>::from_shape({2, 3});
  xt::xtensor_fixed<double, xt::xshape<2, 3>> as_fixed;
  std::copy(raw.begin(), raw.end(), as_tensor.begin());
  std::copy(raw.begin(), raw.end(), as_array.begin());
  std::copy(raw.begin(), raw.end(), as_fixed.begin());
  const auto W = tl::view(weights.data(), 3);

  const auto check = [&](const auto& r) {
    CHECK(r.value() == expected);
    for (std::size_t i = 0; i < 6; ++i) CHECK(r.grad(x).data()[i] == 2 * raw[i] * weights[i % 3]);
  };
  check(step(x = as_tensor, w = W));
  check(step(x = as_array, w = W));
  check(step(x = as_fixed, w = W));
  check(step(x = tl::view(raw.data(), 2, 3), w = W));
  check(step(tl::bind(x = as_tensor, w = W)));

  // An xarray of another rank is refused when bound.
  xt::xarray<double> flat = xt::xarray<double>::from_shape({6});
  REQUIRE_THROWS_AS(step(x = flat, w = W), tl::shape_error);
}
