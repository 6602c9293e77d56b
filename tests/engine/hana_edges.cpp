// Boost.Hana at the edges: bindings, wrt lists, several gradients and nn::sequential's layers
// handed to Hana's algorithms (for_each, at_key, find, contains, keys, size, transform, filter),
// with the numbers checked against g[w] and against gradients derived by hand.
#include <boost/hana.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <tapeless/nn/layers.hpp>
#include <tapeless/tapeless.hpp>
#include <type_traits>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace hana = boost::hana;
namespace tl = tapeless;
namespace nn = tapeless::nn;

namespace {

constexpr auto a = tl::scalar<"a">;
constexpr auto b = tl::scalar<"b">;
constexpr auto f = a * b + tl::sin(a);  // df/da = b + cos(a), df/db = a

template <class... Specs>
constexpr std::size_t weights_in(nn::parameter_list<Specs...>) {
  return (std::size_t{0} + ... + Specs::leaf_type::shape_type::size);
}

}  // namespace

TEST_CASE("hana::for_each over several scalar gradients gives g[w], in wrt order", "[engine]") {
  for (const auto& [av, bv] : {std::pair{0.5, 2.0}, std::pair{-1.25, 3.5}, std::pair{2.0, -0.75}}) {
    const auto g = tl::grad(f, a, b).at(a = av, b = bv);
    std::vector<std::string> names;
    std::vector<double> values;
    hana::for_each(g, [&](const auto& entry) {
      names.emplace_back(hana::first(entry).name.view());
      values.push_back(hana::second(entry));
      CHECK(hana::second(entry) == g[hana::first(entry)]);
      CHECK(&hana::second(entry) == &g[hana::first(entry)]);  // a reference into g, not a copy
    });
    CHECK(names == std::vector<std::string>{"a", "b"});
    REQUIRE(values.size() == 2);
    CHECK(values[0] == Approx(bv + std::cos(av)).epsilon(1e-14));
    CHECK(values[1] == Approx(av).epsilon(1e-14));

    // Existing access is unchanged.
    const auto [da, db] = g;
    CHECK(da == values[0]);
    CHECK(db == values[1]);
    CHECK(g.get<1>() == values[1]);
  }
}

TEST_CASE("hana::at_key, find and contains on gradients, by leaf or by name", "[engine]") {
  const auto g = tl::grad(f, a, b).at(a = 0.5, b = 2.0);
  const double da = 2.0 + std::cos(0.5);
  CHECK(hana::at_key(g, a) == Approx(da).epsilon(1e-14));
  CHECK(hana::at_key(g, b) == 0.5);
  CHECK(hana::at_key(g, tl::key<"a">) == g[a]);
  CHECK(hana::at_key(g, BOOST_HANA_STRING("b")) == 0.5);
  CHECK(*hana::find(g, b) == 0.5);
  STATIC_REQUIRE(decltype(hana::is_nothing(hana::find(g, tl::key<"c">)))::value);
  STATIC_REQUIRE(decltype(hana::contains(g, a))::value);
  STATIC_REQUIRE(!decltype(hana::contains(g, tl::scalar<"c">))::value);
  STATIC_REQUIRE(decltype(hana::size(g))::value == 2);
  // The keys are the wrt leaves: a wrt list, which tl::compile takes back.
  STATIC_REQUIRE(std::is_same_v<decltype(hana::keys(g)), tl::wrt_list<std::remove_cvref_t<decltype(a)>,
                                                                      std::remove_cvref_t<decltype(b)>>>);
  auto step = tl::compile(f, hana::keys(g));
  CHECK(step(a = 0.5, b = 2.0).grad(a) == g[a]);

  // In constant expressions too.
  constexpr auto cg = tl::grad(f, a, b).at(a = 0.0, b = 4.0);
  STATIC_REQUIRE(hana::at_key(cg, a) == 5.0);  // b + cos(0)
  STATIC_REQUIRE(hana::at_key(cg, tl::key<"b">) == 0.0);
  constexpr double folded = hana::fold_left(cg, 0.0, [](double s, const auto& e) { return s + hana::second(e); });
  STATIC_REQUIRE(folded == 5.0);
}

TEST_CASE("value_and_grad's gradients and a temporary result are Hana structures too", "[engine]") {
  const auto r = tl::value_and_grad(f, a, b).at(a = 1.0, b = -2.0);
  CHECK(r.value == Approx(-2.0 + std::sin(1.0)).epsilon(1e-14));
  double sum = 0;
  hana::for_each(r.grad, [&](const auto& e) { sum += hana::second(e); });
  CHECK(sum == Approx(-2.0 + std::cos(1.0) + 1.0).epsilon(1e-14));
  // A temporary collection: each entry owns its value, nothing dangles.
  std::vector<double> owned;
  hana::for_each(tl::grad(f, a, b).at(a = 1.0, b = -2.0), [&](auto e) {
    auto [leaf, value] = e;  // entries also unpack with structured bindings
    (void)leaf;
    owned.push_back(value);
  });
  CHECK(owned == std::vector<double>{r.grad[a], r.grad[b]});
}

TEST_CASE("tensor gradients: hana::for_each and hana::at_key give g[w] without copies", "[engine]") {
  constexpr auto x = tl::input<"x", tl::shape<3>>;
  constexpr auto w = tl::param<"w", tl::shape<3>>;
  constexpr auto c = tl::param<"c", tl::shape<3>>;
  constexpr auto s = tl::scalar<"s">;
  constexpr auto loss = tl::sum(w * c * x) + s * s;  // d/dw = c x, d/dc = w x, d/ds = 2 s
  const xt::xtensor<double, 1> X = {1.0, -2.0, 0.5};
  const xt::xtensor<double, 1> W = {0.25, 3.0, -1.0};
  const xt::xtensor<double, 1> C = {2.0, 0.5, 4.0};
  const auto g = tl::grad(loss, w, c, s).at(x = X, w = W, c = C, s = 1.5);
  STATIC_REQUIRE(decltype(hana::size(g))::value == 3);
  std::size_t visited = 0;
  hana::for_each(g, [&](const auto& e) {
    ++visited;
    CHECK(&hana::second(e) == &g[hana::first(e)]);
  });
  CHECK(visited == 3);
  const xt::xtensor<double, 1> dw = C * X;
  const xt::xtensor<double, 1> dc = W * X;
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(hana::at_key(g, w)(i) == Approx(dw(i)).epsilon(1e-14));
    CHECK(hana::at_key(g, tl::key<"c">)(i) == Approx(dc(i)).epsilon(1e-14));
  }
  CHECK(hana::at_key(g, s) == 3.0);
  const auto& [gw, gc, gs] = g;
  CHECK(&gw == &hana::at_key(g, w));
  CHECK(&gc == &hana::at_key(g, c));
  CHECK(gs == 3.0);
}

TEST_CASE("a wrt list is a Hana sequence of its leaves", "[engine]") {
  constexpr auto x = tl::input<"x">;
  constexpr auto ws = tl::wrt(a, b);
  STATIC_REQUIRE(decltype(hana::size(ws))::value == 2);
  STATIC_REQUIRE(std::is_same_v<decltype(hana::at_c<1>(ws)), std::remove_cvref_t<decltype(b)>>);
  STATIC_REQUIRE(decltype(hana::contains(ws, a))::value);
  STATIC_REQUIRE(decltype(hana::contains(ws, tl::key<"b">))::value);
  STATIC_REQUIRE(!decltype(hana::contains(ws, x))::value);
  std::vector<std::string> names;
  hana::for_each(ws, [&](auto leaf) { names.emplace_back(leaf.name.view()); });
  CHECK(names == std::vector<std::string>{"a", "b"});
  constexpr auto lengths = hana::transform(ws, [](auto leaf) { return leaf.name.size() + 10; });
  STATIC_REQUIRE(lengths == hana::make_tuple(std::size_t{11}, std::size_t{11}));
  // Filtering keeps a wrt list, so the result goes straight to tl::compile.
  constexpr auto params = hana::filter(tl::wrt(a, x, b), [](auto leaf) { return hana::bool_c<decltype(leaf)::requires_grad>; });
  STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(params)>, std::remove_cvref_t<decltype(ws)>>);
  auto step = tl::compile(f * x, params);
  const auto r = step(a = 0.5, b = 2.0, x = 3.0);
  CHECK(r.grad(a) == Approx(3.0 * (2.0 + std::cos(0.5))).epsilon(1e-14));
  CHECK(r.grad(b) == 1.5);
}

TEST_CASE("hana::for_each over nn::sequential's layers counts the parameters", "[engine]") {
  constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);
  STATIC_REQUIRE(decltype(hana::size(net))::value == 3);
  std::size_t weights = 0;
  std::vector<std::size_t> per_layer;
  hana::for_each(net, [&](const auto& layer) {
    per_layer.push_back(weights_in(nn::parameters_of_t<decltype(layer)>{}));
    weights += per_layer.back();
  });
  CHECK(per_layer == std::vector<std::size_t>{4 * 8 + 8, 0, 8 * 1 + 1});
  CHECK(weights == 49);
  STATIC_REQUIRE(hana::at_c<0>(net).out_features == 8);
  STATIC_REQUIRE(hana::back(net).in_features == 8);
  constexpr std::size_t total =
      hana::fold_left(net, std::size_t{0}, [](std::size_t n, const auto& layer) {
        return n + weights_in(nn::parameters_of_t<decltype(layer)>{});
      });
  STATIC_REQUIRE(total == 49);
  // Layers with parameters, as a hana::tuple.
  constexpr auto linears = hana::filter(net, [](const auto& layer) {
    return hana::bool_c<(weights_in(nn::parameters_of_t<decltype(layer)>{}) > 0)>;
  });
  STATIC_REQUIRE(decltype(hana::size(linears))::value == 2);
}

TEST_CASE("hana::at_key on bindings returns the bound data", "[engine]") {
  constexpr auto x = tl::input<"x", tl::shape<3>>;
  const xt::xtensor<double, 1> X = {1.0, -2.0, 0.5};
  const auto bound = tl::bind(x = X, a = 0.5, b = 2.0);
  CHECK(hana::at_key(bound, a) == 0.5);
  CHECK(hana::at_key(bound, tl::key<"b">) == 2.0);
  const auto& view = hana::at_key(bound, x);
  CHECK(view.data == X.data());
  REQUIRE(view.size() == 3);
  CHECK(view.data[1] == -2.0);
  STATIC_REQUIRE(decltype(hana::size(bound))::value == 3);
  STATIC_REQUIRE(decltype(hana::contains(bound, x))::value);
  STATIC_REQUIRE(!decltype(hana::contains(bound, tl::key<"y">))::value);
  std::string order;
  hana::for_each(bound, [&](const auto& e) { order += std::string(hana::first(e).name.view()) + ";"; });
  CHECK(order == "x;a;b;");
  constexpr auto scalars = tl::bind(a = 0.5, b = 2.0);
  STATIC_REQUIRE(hana::at_key(scalars, b) == 2.0);
  STATIC_REQUIRE(tl::grad(f, a, b).at(scalars)[b] == 0.5);
}

TEST_CASE("leaves are Hana keys: Comparable, Hashable, equal to their name", "[engine]") {
  STATIC_REQUIRE(hana::equal(a, a));
  STATIC_REQUIRE(!hana::equal(a, b));
  STATIC_REQUIRE(hana::equal(a, tl::key<"a">));
  STATIC_REQUIRE(hana::equal(tl::key<"b">, b));
  STATIC_REQUIRE(!hana::equal(tl::key<"a">, tl::key<"b">));
  constexpr auto m = hana::make_map(hana::make_pair(a, 1), hana::make_pair(b, 2));
  STATIC_REQUIRE(m[b] == 2);
  STATIC_REQUIRE(hana::at_key(m, a) == 1);
}
