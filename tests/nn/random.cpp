// tapeless::nn random numbers: the engine against std::mt19937 (whose output the C++ standard
// fixes), the documented conversions against their formulas, seeding, and the distributions'
// moments over 200000 draws (each within five standard errors).
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <tapeless/nn/random.hpp>
#include <vector>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace nn = tapeless::nn;
using Catch::Matchers::Contains;

namespace {

constexpr std::size_t draws = 200000;

struct moments {
  double mean = 0, variance = 0;
};

template <class Container>
moments moments_of(const Container& c) {
  const auto n = static_cast<double>(c.size());
  double sum = 0;
  for (auto x : c) sum += static_cast<double>(x);
  const double mean = sum / n;
  double squares = 0;
  for (auto x : c) squares += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  return {mean, squares / (n - 1)};
}

// The sample mean and variance of `draws` values of a distribution with the given variance
// and fourth central moment lie within five standard errors of the true values.
template <class Container>
void check_moments(const Container& c, double mean, double variance, double fourth_moment) {
  const auto n = static_cast<double>(c.size());
  const moments m = moments_of(c);
  CHECK(std::abs(m.mean - mean) < 5 * std::sqrt(variance / n));
  CHECK(std::abs(m.variance - variance) < 5 * std::sqrt((fourth_moment - variance * variance) / n));
}

template <class Container>
double fraction_where(const Container& c, auto predicate) {
  return static_cast<double>(std::count_if(c.begin(), c.end(), predicate)) / static_cast<double>(c.size());
}

// |observed - p| within five standard errors of a frequency over n trials.
bool frequency_near(double observed, double p, std::size_t n) {
  return std::abs(observed - p) < 5 * std::sqrt(p * (1 - p) / static_cast<double>(n));
}

}  // namespace

TEST_CASE("the engine is std::mt19937: the 10000th draw for seed 5489 is 4123659995", "[nn][random]") {
  nn::generator seeded(5489);
  nn::generator by_default;
  std::uint32_t last = 0, last_default = 0;
  for (int i = 0; i < 10000; ++i) {
    last = seeded.next_u32();
    last_default = by_default.next_u32();
  }
  CHECK(last == 4123659995u);  // [rand.predef]: the value the standard requires of std::mt19937
  CHECK(last_default == 4123659995u);
  CHECK(by_default.initial_seed() == 5489);

  std::mt19937 reference(20240601u);
  nn::generator gen(20240601u);
  for (int i = 0; i < 1000; ++i) REQUIRE(gen.next_u32() == reference());
}

TEST_CASE("floats, doubles and normals follow the documented conversions", "[nn][random]") {
  std::mt19937 bits(7);
  nn::generator gen(7);
  for (int i = 0; i < 100; ++i) REQUIRE(gen.uniform01_float() == std::ldexp(static_cast<float>(bits() >> 8), -24));
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t high = bits() >> 5;
    const std::uint64_t low = bits() >> 6;
    REQUIRE(gen.uniform01_double() == std::ldexp(static_cast<double>(high * 67108864u + low), -53));
  }
  // Box-Muller: one pair of uniforms gives two normals, the cosine one first.
  auto next_double = [&bits] {
    const std::uint64_t high = bits() >> 5;
    const std::uint64_t low = bits() >> 6;
    return std::ldexp(static_cast<double>(high * 67108864u + low), -53);
  };
  for (int i = 0; i < 50; ++i) {
    const double u1 = 1.0 - next_double();
    const double u2 = next_double();
    const double r = std::sqrt(-2 * std::log(u1));
    REQUIRE(gen.standard_normal() == Approx(r * std::cos(2 * std::numbers::pi * u2)).margin(1e-12));
    REQUIRE(gen.standard_normal() == Approx(r * std::sin(2 * std::numbers::pi * u2)).margin(1e-12));
  }
}

TEST_CASE("the largest float and double draws are below 1", "[nn][random]") {
  // 2^-24 * (2^24 - 1) and 2^-53 * (2^53 - 1) are the largest values; they are below 1.
  CHECK(std::ldexp(static_cast<float>(0xffffffffu >> 8), -24) < 1.0f);
  CHECK(std::ldexp(static_cast<double>((std::uint64_t{0xffffffffu} >> 5) * 67108864u + (0xffffffffu >> 6)), -53) < 1.0);
}

TEST_CASE("the same seed gives the same numbers, and copies continue the same stream", "[nn][random]") {
  nn::generator a(123), b(123);
  std::vector<double> xa(1000), xb(1000);
  nn::randn(xa, a);
  nn::randn(xb, b);
  CHECK(xa == xb);

  // A copy taken after an odd number of normals carries the kept second value of the pair.
  nn::generator c(99);
  (void)c.standard_normal();
  nn::generator d = c;
  for (int i = 0; i < 11; ++i) REQUIRE(c.standard_normal() == d.standard_normal());
  for (int i = 0; i < 11; ++i) REQUIRE(c.next_u32() == d.next_u32());
}

TEST_CASE("manual_seed restarts the stream and forgets the kept normal", "[nn][random]") {
  nn::generator fresh(31);
  const double first = fresh.standard_normal(), second = fresh.standard_normal();
  REQUIRE(first != second);

  nn::generator gen(5);
  (void)gen.next_u32();
  (void)gen.standard_normal();  // keeps a second normal from seed 5's stream
  gen.manual_seed(31);
  CHECK(gen.initial_seed() == 31);
  CHECK(gen.standard_normal() == first);
  CHECK(gen.standard_normal() == second);

  gen.manual_seed(31);
  nn::generator again(31);
  for (int i = 0; i < 100; ++i) REQUIRE(gen.next_u32() == again.next_u32());
}

TEST_CASE("different seeds give different streams, and only the low 32 bits count", "[nn][random]") {
  const std::array<std::uint64_t, 6> seeds{0, 1, 2, 42, 5489, 0xffffffffu};
  std::vector<std::array<std::uint32_t, 4>> starts;
  for (auto seed : seeds) {
    nn::generator gen(seed);
    starts.push_back({gen.next_u32(), gen.next_u32(), gen.next_u32(), gen.next_u32()});
  }
  for (std::size_t i = 0; i < starts.size(); ++i)
    for (std::size_t j = i + 1; j < starts.size(); ++j) CHECK(starts[i] != starts[j]);

  // As PyTorch's mt19937 (and std::mt19937's result_type seed): seed mod 2^32.
  nn::generator wide(std::uint64_t{1} << 32 | 42), narrow(42);
  CHECK(wide.initial_seed() == (std::uint64_t{1} << 32 | 42));
  CHECK(wide.next_u32() == narrow.next_u32());
}

TEST_CASE("nn::manual_seed seeds the default generator", "[nn][random]") {
  nn::manual_seed(2024);
  CHECK(nn::default_generator().initial_seed() == 2024);
  std::vector<float> from_default(64), from_own(64);
  nn::rand(from_default);
  nn::generator own(2024);
  nn::rand(from_own, own);
  CHECK(from_default == from_own);
  nn::manual_seed(2024);
  nn::rand(from_default);
  CHECK(from_default == from_own);
}

TEST_CASE("rand: uniform in 0 <= x < 1, in float and double", "[nn][random]") {
  nn::generator gen(1);
  std::vector<float> f(draws);
  std::vector<double> d(draws);
  nn::rand(f, gen);
  nn::rand(d, gen);
  // U[0, 1): variance 1/12, fourth central moment 1/80.
  check_moments(f, 0.5, 1.0 / 12, 1.0 / 80);
  check_moments(d, 0.5, 1.0 / 12, 1.0 / 80);
  CHECK(*std::min_element(f.begin(), f.end()) >= 0.0f);
  CHECK(*std::max_element(f.begin(), f.end()) < 1.0f);
  CHECK(*std::min_element(d.begin(), d.end()) >= 0.0);
  CHECK(*std::max_element(d.begin(), d.end()) < 1.0);
  CHECK(frequency_near(fraction_where(d, [](double x) { return x < 0.1; }), 0.1, draws));
}

TEST_CASE("uniform: lo <= x < hi, even where rounding reaches hi", "[nn][random]") {
  nn::generator gen(2);
  std::vector<double> d(draws);
  nn::uniform(d, -3.0, 5.0, gen);
  // U[a, b): variance (b-a)^2/12, fourth central moment (b-a)^4/80.
  check_moments(d, 1.0, 64.0 / 12, 4096.0 / 80);
  CHECK(*std::min_element(d.begin(), d.end()) >= -3.0);
  CHECK(*std::max_element(d.begin(), d.end()) < 5.0);

  std::vector<float> f(draws);
  nn::uniform(f, 10.0, 12.0, gen);
  check_moments(f, 11.0, 4.0 / 12, 16.0 / 80);
  CHECK(*std::min_element(f.begin(), f.end()) >= 10.0f);
  CHECK(*std::max_element(f.begin(), f.end()) < 12.0f);

  // [1, next float after 1): every draw rounds to 1 or to hi; the values must all be 1.
  std::vector<float> narrow(1000);
  nn::uniform(narrow, 1.0, static_cast<double>(std::nextafter(1.0f, 2.0f)), gen);
  CHECK(std::all_of(narrow.begin(), narrow.end(), [](float x) { return x == 1.0f; }));

  std::vector<double> point(10);
  nn::uniform(point, 2.5, 2.5, gen);
  CHECK(std::all_of(point.begin(), point.end(), [](double x) { return x == 2.5; }));
}

TEST_CASE("randn: N(0, 1)", "[nn][random]") {
  nn::generator gen(3);
  std::vector<double> d(draws);
  nn::randn(d, gen);
  check_moments(d, 0.0, 1.0, 3.0);  // fourth central moment 3 sigma^4
  // Normal probabilities of |z| < 1 and |z| < 2.
  CHECK(frequency_near(fraction_where(d, [](double x) { return std::abs(x) < 1; }), 0.682689492137086, draws));
  CHECK(frequency_near(fraction_where(d, [](double x) { return std::abs(x) < 2; }), 0.954499736103642, draws));
  CHECK(frequency_near(fraction_where(d, [](double x) { return x < -1.5; }), 0.0668072012688581, draws));

  std::vector<float> f(draws);
  nn::randn(f, gen);
  check_moments(f, 0.0, 1.0, 3.0);
}

TEST_CASE("normal: N(mean, std^2), and std = 0 gives the mean", "[nn][random]") {
  nn::generator gen(4);
  std::vector<double> d(draws);
  nn::normal(d, 2.0, 0.5, gen);
  check_moments(d, 2.0, 0.25, 3 * 0.0625);
  CHECK(frequency_near(fraction_where(d, [](double x) { return x < 1.5; }), 0.158655253931457, draws));

  std::vector<float> f(draws);
  nn::normal(f, -7.0, 3.0, gen);
  check_moments(f, -7.0, 9.0, 3 * 81.0);

  std::vector<double> constant(10);
  nn::normal(constant, 4.0, 0.0, gen);
  CHECK(std::all_of(constant.begin(), constant.end(), [](double x) { return x == 4.0; }));
}

TEST_CASE("bernoulli: ones with probability p", "[nn][random]") {
  nn::generator gen(5);
  std::vector<float> mask(draws);
  nn::bernoulli(mask, 0.3, gen);
  CHECK(std::all_of(mask.begin(), mask.end(), [](float x) { return x == 0.0f || x == 1.0f; }));
  CHECK(frequency_near(fraction_where(mask, [](float x) { return x == 1.0f; }), 0.3, draws));

  std::vector<double> all(1000);
  nn::bernoulli(all, 1.0, gen);
  CHECK(std::all_of(all.begin(), all.end(), [](double x) { return x == 1.0; }));
  nn::bernoulli(all, 0.0, gen);
  CHECK(std::all_of(all.begin(), all.end(), [](double x) { return x == 0.0; }));
}

TEST_CASE("bad arguments are std::invalid_argument naming the value", "[nn][random]") {
  nn::generator gen;
  std::vector<double> d(4);
  std::vector<float> f(4);
  const double nan = std::nan(""), inf = INFINITY;
  CHECK_THROWS_AS(nn::uniform(d, 1.0, 0.0, gen), std::invalid_argument);
  CHECK_THROWS_WITH(nn::uniform(d, 1.0, 0.0, gen), Contains("tapeless::nn::uniform") && Contains("[1, 0)"));
  CHECK_THROWS_WITH(nn::uniform(d, nan, 1.0, gen), Contains("[nan, 1)"));
  CHECK_THROWS_WITH(nn::uniform(d, 0.0, inf, gen), Contains("[0, inf)"));
  CHECK_THROWS_WITH(nn::uniform(f, 0.0, 1e300, gen), Contains("[0, 1e+300)") && Contains("float"));
  CHECK_THROWS_WITH(nn::uniform(d, -1e308, 1e308, gen), Contains("overflows"));

  CHECK_THROWS_AS(nn::normal(d, 0.0, -1.0, gen), std::invalid_argument);
  CHECK_THROWS_WITH(nn::normal(d, 0.0, -1.0, gen), Contains("tapeless::nn::normal: std is -1"));
  CHECK_THROWS_WITH(nn::normal(d, 0.0, nan, gen), Contains("std is nan"));
  CHECK_THROWS_WITH(nn::normal(d, 0.0, inf, gen), Contains("std is inf"));
  CHECK_THROWS_WITH(nn::normal(d, -inf, 1.0, gen), Contains("mean is -inf"));
  CHECK_THROWS_WITH(nn::normal(f, 0.0, 1e39, gen), Contains("std is 1e+39") && Contains("float"));

  CHECK_THROWS_AS(nn::bernoulli(d, 1.5, gen), std::invalid_argument);
  CHECK_THROWS_WITH(nn::bernoulli(d, 1.5, gen), Contains("tapeless::nn::bernoulli: p is 1.5"));
  CHECK_THROWS_WITH(nn::bernoulli(d, -0.25, gen), Contains("p is -0.25"));
  CHECK_THROWS_WITH(nn::bernoulli(d, nan, gen), Contains("p is nan"));

  CHECK_THROWS_WITH(gen.next_below(0), Contains("bound is 0"));
  // A failed call writes nothing and draws nothing.
  nn::generator untouched(8), reference(8);
  CHECK_THROWS(nn::normal(d, 0.0, -1.0, untouched));
  CHECK(untouched.next_u32() == reference.next_u32());
}

TEST_CASE("fills take xtensor containers, std::array, spans and dense views", "[nn][random]") {
  std::vector<double> expected(12);
  nn::generator reference(77);
  nn::randn(expected, reference);

  nn::generator gen(77);
  xt::xtensor<double, 2> tensor({3, 4});
  nn::randn(tensor, gen);
  CHECK(std::equal(tensor.begin(), tensor.end(), expected.begin()));

  gen.manual_seed(77);
  xt::xarray<double> array = xt::zeros<double>({2, 6});
  nn::randn(array, gen);
  CHECK(std::equal(array.begin(), array.end(), expected.begin()));

  gen.manual_seed(77);
  std::array<double, 12> fixed{};
  nn::randn(fixed, gen);
  CHECK(std::equal(fixed.begin(), fixed.end(), expected.begin()));

  gen.manual_seed(77);
  std::vector<double> memory(20, -1.0);
  nn::randn(std::span(memory).subspan(4, 12), gen);
  CHECK(std::equal(memory.begin() + 4, memory.begin() + 16, expected.begin()));
  CHECK(std::count(memory.begin(), memory.end(), -1.0) == 8);

  // A row of a row-major tensor is dense: the fill writes that row only.
  gen.manual_seed(77);
  xt::xtensor<double, 2> table = xt::zeros<double>({3, 12});
  auto row = xt::view(table, 1, xt::all());
  nn::randn(row, gen);
  for (std::size_t j = 0; j < 12; ++j) {
    CHECK(table(0, j) == 0.0);
    CHECK(table(1, j) == expected[j]);
    CHECK(table(2, j) == 0.0);
  }
  auto column = xt::view(table, xt::all(), 2);
  CHECK_THROWS_WITH(nn::randn(column, gen), Contains("tapeless::nn::randn") && Contains("strided view"));
}

TEST_CASE("factories make xtensor tensors of the given shape", "[nn][random]") {
  nn::generator gen(11), reference(11);
  const xt::xtensor<float, 2> w = nn::randn<float>({10, 4}, gen);
  CHECK(w.shape() == std::array<std::size_t, 2>{10, 4});
  std::vector<float> expected(40);
  nn::randn(expected, reference);
  CHECK(std::equal(w.begin(), w.end(), expected.begin()));

  const xt::xtensor<double, 1> u = nn::uniform<double>({5}, -2.0, -1.0, gen);
  CHECK(u.size() == 5);
  CHECK(std::all_of(u.begin(), u.end(), [](double x) { return x >= -2.0 && x < -1.0; }));

  const xt::xtensor<double, 3> r = nn::rand<double>(std::array<std::size_t, 3>{2, 3, 4}, gen);
  CHECK(r.shape() == std::array<std::size_t, 3>{2, 3, 4});
  const xt::xtensor<float, 2> n = nn::normal<float>(w.shape(), 3.0, 0.0, gen);
  CHECK(std::all_of(n.begin(), n.end(), [](float x) { return x == 3.0f; }));
  const xt::xtensor<float, 1> mask = nn::bernoulli<float>({1000}, 1.0, gen);
  CHECK(std::all_of(mask.begin(), mask.end(), [](float x) { return x == 1.0f; }));
  CHECK_THROWS_AS(nn::normal<float>({3}, 0.0, -2.0, gen), std::invalid_argument);
}

TEST_CASE("next_below draws each integer below the bound equally often", "[nn][random]") {
  nn::generator gen(12);
  constexpr std::size_t trials = 60000;
  std::array<std::size_t, 6> counts{};
  for (std::size_t i = 0; i < trials; ++i) {
    const auto k = gen.next_below(6);
    REQUIRE(k < 6);
    ++counts[k];
  }
  for (auto c : counts) CHECK(frequency_near(static_cast<double>(c) / trials, 1.0 / 6, trials));

  // Bounds above 2^32 take two draws; half of [0, 2^33) lies above 2^32.
  const std::uint64_t wide = std::uint64_t{1} << 33;
  std::size_t above = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    const auto k = gen.next_below(wide);
    REQUIRE(k < wide);
    above += k >= (std::uint64_t{1} << 32);
  }
  CHECK(frequency_near(above / 2000.0, 0.5, 2000));
  CHECK(gen.next_below(1) == 0);
}

TEST_CASE("shuffle and randperm: every order equally likely, repeatable by seed", "[nn][random]") {
  nn::generator gen(13);
  constexpr std::size_t trials = 60000;
  std::map<std::array<int, 3>, std::size_t> orders;
  for (std::size_t i = 0; i < trials; ++i) {
    std::array<int, 3> values{0, 1, 2};
    nn::shuffle(std::span(values), gen);
    ++orders[values];
  }
  REQUIRE(orders.size() == 6);
  for (const auto& [order, count] : orders) CHECK(frequency_near(static_cast<double>(count) / trials, 1.0 / 6, trials));

  nn::generator a(14), b(14);
  const auto p = nn::randperm(100, a);
  CHECK(p == nn::randperm(100, b));
  auto sorted = p;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> identity(100);
  std::iota(identity.begin(), identity.end(), std::size_t{0});
  CHECK(sorted == identity);
  CHECK(p != identity);
  CHECK(nn::randperm(0, a).empty());
}
