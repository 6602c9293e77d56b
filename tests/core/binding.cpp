// Binding data to leaves: numbers to scalar leaves, containers and views to tensor leaves,
// with extents checked at bind time.
#include <catch2/catch.hpp>
#include <string>
#include <tapeless/tapeless.hpp>
#include <vector>
#include <xtensor/xarray.hpp>
#include <xtensor/xfixed.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

namespace {
constexpr auto x = tl::input<"x", tl::shape<2, 3>>;
constexpr auto batch = tl::input<"batch", tl::shape<tl::dynamic, 4>>;
constexpr auto s = tl::param<"s", tl::shape<>, float>;

std::string message_of(auto&& bind) {
  try {
    bind();
  } catch (const tl::shape_error& e) {
    return e.what();
  }
  return "no exception";
}
}  // namespace

TEST_CASE("scalar leaves take numbers converted to their dtype", "[core][binding]") {
  constexpr auto b = (s = 2);
  STATIC_REQUIRE(std::is_same_v<decltype(b.value), float>);
  STATIC_REQUIRE(b.value == 2.0f);
}

TEST_CASE("tensor leaves view xtensor containers of matching extents", "[core][binding]") {
  xt::xtensor<double, 2> a = {{1, 2, 3}, {4, 5, 6}};
  const auto b = (x = a);
  CHECK(b.value.data == a.data());
  CHECK(b.value.extents == std::array<std::size_t, 2>{2, 3});

  xt::xarray<double> dynamic_rank = {{1, 2, 3}, {4, 5, 6}};
  CHECK((x = dynamic_rank).value.data == dynamic_rank.data());

  xt::xtensor_fixed<double, xt::xshape<2, 3>> fixed = {{1, 2, 3}, {4, 5, 6}};
  CHECK((x = fixed).value.size() == 6);

  std::vector<double> memory(8 * 4, 1.0);
  const auto v = (batch = tl::view(memory.data(), 8, 4));
  CHECK(v.value.extents == std::array<std::size_t, 2>{8, 4});
}

TEST_CASE("a dynamic extent accepts any size; static extents must match", "[core][binding]") {
  xt::xtensor<double, 2> rows5 = xt::zeros<double>({5, 4});
  xt::xtensor<double, 2> rows64 = xt::zeros<double>({64, 4});
  CHECK((batch = rows5).value.extents[0] == 5);
  CHECK((batch = rows64).value.extents[0] == 64);

  xt::xtensor<double, 2> wrong = xt::zeros<double>({5, 3});
  CHECK(message_of([&] { (void)(batch = wrong); }) ==
        "tapeless::bind: leaf \"batch\" expects extents [dynamic, 4], but the bound data has extents [5, 3]");
  xt::xtensor<double, 2> transposed = xt::zeros<double>({3, 2});
  CHECK(message_of([&] { (void)(x = transposed); }) ==
        "tapeless::bind: leaf \"x\" expects extents [2, 3], but the bound data has extents [3, 2]");
  std::vector<double> memory(6);
  CHECK(message_of([&] { (void)(x = tl::view(memory.data(), 6, 1)); }) ==
        "tapeless::bind: leaf \"x\" expects extents [2, 3], but the bound data has extents [6, 1]");
}

TEST_CASE("a container of another rank is rejected with both extents", "[core][binding]") {
  xt::xarray<double> rank3 = xt::zeros<double>({2, 3, 1});
  CHECK(message_of([&] { (void)(x = rank3); }) ==
        "tapeless::bind: leaf \"x\" expects extents [2, 3], but the bound data has extents [2, 3, 1]");
  xt::xarray<double> rank1 = xt::zeros<double>({6});
  CHECK(message_of([&] { (void)(x = rank1); }) ==
        "tapeless::bind: leaf \"x\" expects extents [2, 3], but the bound data has extents [6]");
}

TEST_CASE("only row-major containers of the leaf's dtype can be bound", "[core][binding]") {
  STATIC_REQUIRE(tl::detail::bindable_tensor<xt::xtensor<double, 2>, double, 2>());
  STATIC_REQUIRE(!tl::detail::bindable_tensor<xt::xtensor<float, 2>, double, 2>());
  STATIC_REQUIRE(!tl::detail::bindable_tensor<xt::xtensor<double, 2, xt::layout_type::column_major>, double, 2>());
  STATIC_REQUIRE(!tl::detail::bindable_tensor<std::vector<double>, double, 2>());
  STATIC_REQUIRE(tl::detail::bindable_tensor<tl::tensor_view<double, 2>, double, 2>());
}
