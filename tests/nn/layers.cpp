// tapeless::nn layers: leaky_relu (values, gradient, including at 0), softmax and log_softmax
// (against long double evaluations, logits of ±1000 included, and the log_softmax gradient
// g - softmax·Σg), gelu against x/2·(1 + erf(x/√2)) and its derivative Φ(x) + x φ(x), and
// dropout: the mask against the documented bernoulli draws from std::mt19937, the zeroed
// fraction within binomial bounds, the 1/(1 - p) scale, the gradient, eval(), p = 0, p = 1 and
// seeding.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <tapeless/nn.hpp>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

namespace {

// ---- leaky_relu ----

constexpr std::size_t points = 7;
constexpr auto xp = tl::param<"xp", tl::shape<points>, double>;
constexpr auto weights = tl::input<"c", tl::shape<points>, double>;
const xt::xtensor<double, 1> leaky_points = {-3.0, -0.5, 0.0, 0.5, 2.0, -1e-3, 7.0};
const xt::xtensor<double, 1> leaky_weights = {1.0, 2.0, 3.0, -4.0, 0.5, 6.0, -1.5};

// ---- softmax, log_softmax ----

constexpr auto logits = tl::param<"logits", tl::shape<3, 4>, double>;
constexpr auto row_weights = tl::input<"g", tl::shape<3, 4>, double>;

/// log_softmax of one row in long double: x - max - log Σ exp(x - max).
std::array<long double, 4> log_softmax_by_hand(const xt::xtensor<double, 2>& x, std::size_t row) {
  long double m = x(row, 0);
  for (std::size_t j = 1; j < 4; ++j) m = std::max<long double>(m, x(row, j));
  long double s = 0;
  for (std::size_t j = 0; j < 4; ++j) s += std::exp(static_cast<long double>(x(row, j)) - m);
  std::array<long double, 4> out{};
  for (std::size_t j = 0; j < 4; ++j) out[j] = static_cast<long double>(x(row, j)) - m - std::log(s);
  return out;
}

// ---- gelu ----

constexpr auto xg = tl::param<"xg", tl::shape<8>, double>;
const xt::xtensor<double, 1> gelu_points = {-10.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0};

long double normal_cdf(long double x) { return 0.5L * (1 + std::erf(x / std::sqrt(2.0L))); }
long double normal_pdf(long double x) {
  return std::exp(-x * x / 2) / std::sqrt(2 * 3.14159265358979323846264338327950288L);
}

// ---- dropout ----

constexpr std::size_t drop_rows = 64, drop_cols = 256, drop_size = drop_rows * drop_cols;
constexpr auto xd = tl::param<"xd", tl::shape<drop_rows, drop_cols>, float>;
constexpr auto drop = nn::dropout<"drop">(0.5);

/// A module owning xd, with a dropout layer of probability p (the layer is not applied through
/// the network: the expressions below apply it to xd).
auto dropout_network(double p) { return nn::sequential(nn::parameters(xd), nn::dropout<"drop">(p)); }
using dropout_module = nn::module<decltype(dropout_network(0.5))>;

/// The documented draws: a double in [0, 1) from the top 27 and 26 bits of two 32-bit draws;
/// an element is kept where the double is below 1 - p.
std::vector<bool> kept_by_hand(std::uint32_t seed, double p) {
  std::mt19937 engine(seed);
  std::vector<bool> kept(drop_size);
  for (std::size_t i = 0; i < drop_size; ++i) {
    const std::uint64_t high = engine() >> 5;
    const std::uint64_t low = engine() >> 6;
    const double u = static_cast<double>((high << 26) | low) * 0x1.0p-53;
    kept[i] = u < 1 - p;
  }
  return kept;
}

xt::xtensor<float, 2> dropout_input() {
  xt::xtensor<float, 2> x = xt::xtensor<float, 2>::from_shape({drop_rows, drop_cols});
  for (std::size_t i = 0; i < drop_size; ++i) x.data()[i] = 0.25f + static_cast<float>(i % 97) * 0.125f;  // never 0
  return x;
}

template <class E>
xt::xtensor<float, 2> copy_of(const E& e) {
  xt::xtensor<float, 2> out = xt::xtensor<float, 2>::from_shape({drop_rows, drop_cols});
  for (std::size_t i = 0; i < drop_rows; ++i)
    for (std::size_t j = 0; j < drop_cols; ++j) out(i, j) = e(i, j);
  return out;
}

bool same_values(const xt::xtensor<float, 2>& a, const xt::xtensor<float, 2>& b) {
  if (a.shape() != b.shape()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.data()[i] != b.data()[i]) return false;
  return true;
}

std::size_t zeros_in(const xt::xtensor<float, 2>& a) {
  std::size_t n = 0;
  for (float v : a) n += v == 0.0f;
  return n;
}

/// The zeroed fraction of n independent draws lies within five standard errors of p.
bool binomially_near(std::size_t zeros, double p, std::size_t n) {
  const double fraction = static_cast<double>(zeros) / static_cast<double>(n);
  return std::abs(fraction - p) < 5 * std::sqrt(p * (1 - p) / static_cast<double>(n));
}

}  // namespace

// ---- leaky_relu --------------------------------------------------------------------------------

TEST_CASE("leaky_relu: x where x > 0, slope times x elsewhere", "[nn][layers][leaky_relu]") {
  for (double slope : {0.01, 0.2}) {
    INFO("slope " << slope);
    auto evaluate = tl::compile(nn::leaky_relu(xp, slope));
    const auto r = evaluate(xp = leaky_points);
    for (std::size_t i = 0; i < points; ++i) {
      const double x = leaky_points(i);
      CHECK(r.value()(i) == (x > 0 ? x : slope * x));
    }
  }
  // The default slope is PyTorch's 0.01; the layer form nn::leaky_relu.with(s) is the same function.
  auto by_default = tl::compile(nn::leaky_relu(xp));
  CHECK(by_default(xp = leaky_points).value()(0) == -0.03);
  auto as_layer = tl::compile(nn::sequential(nn::leaky_relu.with(0.2))(xp));
  CHECK(as_layer(xp = leaky_points).value()(1) == -0.1);
  CHECK(as_layer(xp = leaky_points).value()(4) == 2.0);
}

TEST_CASE("leaky_relu: the gradient is 1 where x > 0 and the slope elsewhere, at 0 included", "[nn][layers][leaky_relu]") {
  for (double slope : {0.01, 0.2}) {
    INFO("slope " << slope);
    // loss = Σ c · leaky_relu(x): d loss / dx = c where x > 0, c · slope where x <= 0.
    auto step = tl::compile(tl::sum(weights * nn::leaky_relu(xp, slope)), tl::wrt(xp));
    const auto r = step(xp = leaky_points, weights = leaky_weights);
    double expected = 0;
    for (std::size_t i = 0; i < points; ++i) {
      const double x = leaky_points(i), c = leaky_weights(i);
      expected += c * (x > 0 ? x : slope * x);
      INFO("x = " << x);
      CHECK(r.grad(xp)(i) == Approx(x > 0 ? c : c * slope).epsilon(1e-15));
    }
    CHECK(r.value() == Approx(expected).epsilon(1e-14));
    CHECK(r.grad(xp)(2) == Approx(3.0 * slope).epsilon(1e-15));  // x = 0: the slope, as PyTorch
  }
}

// ---- softmax and log_softmax -------------------------------------------------------------------

TEST_CASE("softmax: rows sum to 1 and equal exp(x) / sum(exp(x)), and log_softmax is log(softmax)", "[nn][layers][softmax]") {
  const xt::xtensor<double, 2> x = {{0.5, -1.0, 2.0, 0.0}, {3.0, 3.0, -2.5, 1.25}, {-0.75, 0.1, 0.2, -4.0}};
  auto soft = tl::compile(nn::softmax(logits));
  auto log_soft = tl::compile(nn::log_softmax(logits));
  const auto s = soft(logits = x);
  xt::xtensor<double, 2> softmax_values = xt::xtensor<double, 2>::from_shape({3, 4});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) softmax_values(i, j) = s.value()(i, j);
  const auto l = log_soft(logits = x);
  for (std::size_t i = 0; i < 3; ++i) {
    long double denominator = 0;
    for (std::size_t j = 0; j < 4; ++j) denominator += std::exp(static_cast<long double>(x(i, j)));
    double row_sum = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      INFO("row " << i << ", column " << j);
      const auto expected = static_cast<double>(std::exp(static_cast<long double>(x(i, j))) / denominator);
      CHECK(softmax_values(i, j) == Approx(expected).epsilon(1e-14));
      CHECK(l.value()(i, j) == Approx(std::log(softmax_values(i, j))).epsilon(1e-13));
      CHECK(l.value()(i, j) == Approx(static_cast<double>(log_softmax_by_hand(x, i)[j])).epsilon(1e-14));
      row_sum += softmax_values(i, j);
    }
    CHECK(row_sum == Approx(1.0).epsilon(1e-15));
  }
}

TEST_CASE("softmax and log_softmax stay finite for logits of plus or minus 1000", "[nn][layers][softmax]") {
  const xt::xtensor<double, 2> x = {
      {1000.0, -1000.0, 999.0, 0.0}, {-1000.0, -1000.0, -999.5, -1001.0}, {1000.0, 1000.0, 1000.0, 1000.0}};
  auto log_soft = tl::compile(nn::log_softmax(logits));
  auto soft = tl::compile(nn::softmax(logits));
  const auto l = log_soft(logits = x);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto expected = log_softmax_by_hand(x, i);
    for (std::size_t j = 0; j < 4; ++j) {
      INFO("row " << i << ", column " << j);
      CHECK(std::isfinite(l.value()(i, j)));
      CHECK(l.value()(i, j) == Approx(static_cast<double>(expected[j])).epsilon(1e-14).margin(1e-12));
    }
  }
  CHECK(l.value()(0, 1) == Approx(-2000.0 - std::log1p(std::exp(-1.0))).epsilon(1e-15));
  CHECK(l.value()(2, 3) == Approx(-std::log(4.0)).epsilon(1e-15));

  const auto s = soft(logits = x);
  for (std::size_t i = 0; i < 3; ++i) {
    double row_sum = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      CHECK(std::isfinite(s.value()(i, j)));
      row_sum += s.value()(i, j);
    }
    CHECK(row_sum == Approx(1.0).epsilon(1e-15));
  }
  CHECK(s.value()(2, 0) == Approx(0.25).epsilon(1e-15));
  CHECK(s.value()(0, 0) == Approx(1 / (1 + std::exp(-1.0))).epsilon(1e-15));
  CHECK(s.value()(0, 1) == 0.0);  // e^-2000 underflows, as it should
}

TEST_CASE("log_softmax: the gradient of sum(g * log_softmax(x)) is g - softmax(x) * rowsum(g)", "[nn][layers][softmax]") {
  auto step = tl::compile(tl::sum(row_weights * nn::log_softmax(logits)), tl::wrt(logits));
  for (const xt::xtensor<double, 2>& x :
       {xt::xtensor<double, 2>{{0.5, -1.0, 2.0, 0.0}, {3.0, 3.0, -2.5, 1.25}, {-0.75, 0.1, 0.2, -4.0}},
        xt::xtensor<double, 2>{{1000.0, -1000.0, 999.0, 0.0}, {-1000.0, -1000.0, -999.5, -1001.0}, {5.0, 5.0, 5.0, 5.0}}}) {
    const xt::xtensor<double, 2> g = {{1.0, 0.0, 0.0, 0.0}, {0.5, -1.0, 2.0, 0.25}, {0.0, 0.0, 3.0, 0.0}};
    const auto r = step(logits = x, row_weights = g);
    long double value = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      const auto ls = log_softmax_by_hand(x, i);
      long double gsum = 0;
      for (std::size_t j = 0; j < 4; ++j) gsum += g(i, j);
      for (std::size_t j = 0; j < 4; ++j) {
        value += g(i, j) * ls[j];
        const auto expected = static_cast<double>(g(i, j) - std::exp(ls[j]) * gsum);
        INFO("row " << i << ", column " << j);
        CHECK(r.grad(logits)(i, j) == Approx(expected).epsilon(1e-13).margin(1e-15));
      }
    }
    CHECK(r.value() == Approx(static_cast<double>(value)).epsilon(1e-14));
  }
}

// ---- gelu --------------------------------------------------------------------------------------

TEST_CASE("gelu: x/2 (1 + erf(x / sqrt 2)) and its derivative Phi(x) + x phi(x)", "[nn][layers][gelu]") {
  auto evaluate = tl::compile(nn::gelu(xg));
  const auto v = evaluate(xg = gelu_points);
  for (std::size_t i = 0; i < 8; ++i) {
    const long double x = gelu_points(i);
    INFO("x = " << gelu_points(i));
    CHECK(v.value()(i) == Approx(static_cast<double>(x * normal_cdf(x))).epsilon(1e-13).margin(1e-15));
  }
  CHECK(v.value()(4) == 0.0);
  CHECK(v.value()(6) == Approx(0.8413447460685429).epsilon(1e-15));  // Φ(1), tabulated

  auto step = tl::compile(tl::sum(nn::gelu(xg)), tl::wrt(xg));
  const auto r = step(xg = gelu_points);
  long double total = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const long double x = gelu_points(i);
    total += x * normal_cdf(x);
    INFO("x = " << gelu_points(i));
    CHECK(r.grad(xg)(i) == Approx(static_cast<double>(normal_cdf(x) + x * normal_pdf(x))).epsilon(1e-13).margin(1e-15));
  }
  CHECK(r.value() == Approx(static_cast<double>(total)).epsilon(1e-14));
  CHECK(r.grad(xg)(4) == 0.5);
}

// ---- dropout -----------------------------------------------------------------------------------

TEST_CASE("dropout: the mask is the documented bernoulli draw, scaled by 1/(1 - p)", "[nn][layers][dropout]") {
  dropout_module model(dropout_network(0.5));
  const auto X = dropout_input();
  model.value(xd) = X;
  nn::generator gen(2718);
  model.set_generator(gen);
  auto forward = nn::compile(drop(xd), model);
  const auto out = copy_of(forward());
  const auto kept = kept_by_hand(2718, 0.5);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < drop_size; ++i)
    mismatches += out.data()[i] != (kept[i] ? 2.0f * X.data()[i] : 0.0f);  // 1/(1 - 0.5) = 2, exact
  CHECK(mismatches == 0);
  CHECK(binomially_near(zeros_in(out), 0.5, drop_size));

  // Without set_generator the module draws from the default generator.
  dropout_module from_default(dropout_network(0.5));
  from_default.value(xd) = X;
  auto forward_default = nn::compile(drop(xd), from_default);
  nn::manual_seed(2718);
  CHECK(same_values(copy_of(forward_default()), out));
}

TEST_CASE("dropout: zeroed fraction near p, kept values scaled by 1/(1 - p)", "[nn][layers][dropout]") {
  const auto X = dropout_input();
  for (double p : {0.1, 0.25, 0.8}) {
    INFO("p = " << p);
    dropout_module model(dropout_network(p));
    model.value(xd) = X;
    nn::generator gen(100 + static_cast<std::uint64_t>(p * 100));
    model.set_generator(gen);
    auto forward = nn::compile(drop(xd), model);
    const auto out = copy_of(forward());
    const std::size_t zeros = zeros_in(out);
    CHECK(binomially_near(zeros, p, drop_size));
    std::size_t wrong_scale = 0;
    for (std::size_t i = 0; i < drop_size; ++i) {
      const double o = out.data()[i], x = X.data()[i];
      if (o != 0) wrong_scale += std::abs(o - x / (1 - p)) > 1e-6 * std::abs(x / (1 - p));
    }
    CHECK(wrong_scale == 0);
  }
}

TEST_CASE("dropout: the gradient of sum(dropout(x)) is the mask", "[nn][layers][dropout]") {
  dropout_module model(dropout_network(0.5));
  const auto X = dropout_input();
  model.value(xd) = X;
  nn::generator gen(31415);
  model.set_generator(gen);
  auto step = nn::compile(tl::sum(drop(xd)), model);
  const float loss = step.backward();
  const auto kept = kept_by_hand(31415, 0.5);
  std::size_t mismatches = 0;
  double expected_loss = 0;
  for (std::size_t i = 0; i < drop_size; ++i) {
    mismatches += model.grad(xd).data()[i] != (kept[i] ? 2.0f : 0.0f);
    if (kept[i]) expected_loss += 2.0 * X.data()[i];
  }
  CHECK(mismatches == 0);
  CHECK(loss == Approx(expected_loss).epsilon(1e-5));

  // The forward step with the same seed applies the same mask the gradient shows.
  model.zero_grad();
  gen.manual_seed(31415);
  (void)step.backward();
  const xt::xtensor<float, 2> mask = model.grad(xd);
  gen.manual_seed(31415);
  auto forward = nn::compile(drop(xd), model);
  const auto out = copy_of(forward());
  mismatches = 0;
  for (std::size_t i = 0; i < drop_size; ++i) mismatches += out.data()[i] != mask.data()[i] * X.data()[i];
  CHECK(mismatches == 0);
}

TEST_CASE("dropout: the same seed gives the same mask, each call a new one", "[nn][layers][dropout]") {
  dropout_module model(dropout_network(0.5));
  model.value(xd) = dropout_input();
  nn::generator gen(7);
  model.set_generator(gen);
  auto forward = nn::compile(drop(xd), model);
  const auto first = copy_of(forward());
  const auto second = copy_of(forward());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < drop_size; ++i) differ += first.data()[i] != second.data()[i];
  CHECK(differ > drop_size / 4);  // about half of the elements differ in one mask of two
  gen.manual_seed(7);
  CHECK(same_values(copy_of(forward()), first));
  gen.manual_seed(8);
  CHECK_FALSE(same_values(copy_of(forward()), first));
}

TEST_CASE("dropout: identity in eval mode and for p = 0, zeros for p = 1", "[nn][layers][dropout]") {
  const auto X = dropout_input();
  SECTION("eval") {
    dropout_module model(dropout_network(0.5));
    model.value(xd) = X;
    auto forward = nn::compile(drop(xd), model);
    auto step = nn::compile(tl::sum(drop(xd)), model);
    model.eval();
    CHECK(same_values(copy_of(forward()), X));
    (void)step.backward();
    std::size_t ones = 0;
    for (float g : model.grad(xd)) ones += g == 1.0f;
    CHECK(ones == drop_size);
    // Evaluation twice, then training again: the mask is random once more.
    CHECK(same_values(copy_of(forward()), X));
    model.train();
    CHECK(binomially_near(zeros_in(copy_of(forward())), 0.5, drop_size));
  }
  SECTION("p = 0 in training") {
    dropout_module model(dropout_network(0.0));
    model.value(xd) = X;
    REQUIRE(model.is_training());
    auto forward = nn::compile(drop(xd), model);
    CHECK(same_values(copy_of(forward()), X));
  }
  SECTION("p = 1 in training") {
    dropout_module model(dropout_network(1.0));
    model.value(xd) = X;
    auto forward = nn::compile(drop(xd), model);
    CHECK(zeros_in(copy_of(forward())) == drop_size);
    auto step = nn::compile(tl::sum(drop(xd)), model);
    CHECK(step.backward() == 0.0f);
    CHECK(zeros_in(model.grad(xd)) == drop_size);
  }
}

TEST_CASE("dropout: p outside 0 to 1 is refused", "[nn][layers][dropout]") {
  CHECK_THROWS_AS(nn::dropout<"d">(-0.1), std::invalid_argument);
  CHECK_THROWS_AS(nn::dropout<"d">(1.5), std::invalid_argument);
  CHECK_THROWS_AS(nn::dropout<"d">(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  CHECK_NOTHROW(nn::dropout<"d">(0.0));
  CHECK_NOTHROW(nn::dropout<"d">(1.0));
  CHECK(nn::dropout<"d">().p == 0.5);  // PyTorch's default
}
