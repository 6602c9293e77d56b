// tapeless::nn optimizers, schedules and loss helpers at unit level: single steps of SGD (with
// momentum, dampening, Nesterov and weight decay), Adam and AdamW on one scalar parameter with
// a gradient set by hand, compared with the update equations written out here; the learning
// rates of step_lr and cosine_annealing_lr; invalid options; one_hot and its errors; and
// smooth_l1_loss's beta. (Long runs against LibTorch are in tests/reference/nn_optim.cpp.)
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tapeless/nn.hpp>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;
using Catch::Matchers::Contains;

namespace {

constexpr auto w = tl::param<"w", tl::shape<>, double>;
constexpr auto v = tl::param<"v", tl::shape<2>, double>;
using scalar_module = nn::module<decltype(nn::parameters(w))>;

scalar_module scalar_at(double value) {
  scalar_module m(nn::parameters(w));
  m.value(w)() = value;
  return m;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

template <class F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no std::invalid_argument";
}

}  // namespace

// ---- SGD ---------------------------------------------------------------------------------------

TEST_CASE("sgd: a plain step is w - lr g, with weight decay w - lr (g + wd w)", "[nn][optim][sgd]") {
  auto model = scalar_at(1.5);
  nn::sgd plain(model, {.lr = 0.1});
  model.grad(w)() = 0.4;
  plain.step();
  CHECK(model.value(w)() == Approx(1.5 - 0.1 * 0.4).epsilon(1e-15));
  CHECK(model.grad(w)() == 0.4);  // step() reads the gradient, zero_grad() clears it
  plain.zero_grad();
  CHECK(model.grad(w)() == 0.0);

  auto decayed = scalar_at(1.5);
  nn::sgd with_decay(decayed, {.lr = 0.1, .weight_decay = 0.01});
  decayed.grad(w)() = 0.4;
  with_decay.step();
  CHECK(decayed.value(w)() == Approx(1.5 - 0.1 * (0.4 + 0.01 * 1.5)).epsilon(1e-15));
  CHECK(with_decay.lr() == 0.1);
  CHECK(with_decay.options().weight_decay == 0.01);
}

TEST_CASE("sgd: momentum with dampening and weight decay over three steps", "[nn][optim][sgd]") {
  const double lr = 0.1, mom = 0.9, damp = 0.2, wd = 0.05;
  const double grads[] = {0.4, -0.3, 0.25};
  auto model = scalar_at(1.5);
  nn::sgd opt(model, {.lr = lr, .momentum = mom, .dampening = damp, .weight_decay = wd});
  // By hand: d = g + wd·w; the buffer is d at the first step (no dampening), then
  // mom·b + (1 - damp)·d; w -= lr·b.
  double expected = 1.5, buffer = 0;
  for (int t = 0; t < 3; ++t) {
    const double d = grads[t] + wd * expected;
    buffer = t == 0 ? d : mom * buffer + (1 - damp) * d;
    expected -= lr * buffer;
    model.grad(w)() = grads[t];
    opt.step();
    INFO("step " << t + 1);
    CHECK(model.value(w)() == Approx(expected).epsilon(1e-14));
  }
  // The numbers themselves, for the first two steps: d1 = 0.475, w1 = 1.4525;
  // d2 = -0.3 + 0.072625 = -0.227375, b2 = 0.4275 - 0.1819 = 0.2456, w2 = 1.42794.
  auto check = scalar_at(1.5);
  nn::sgd two(check, {.lr = lr, .momentum = mom, .dampening = damp, .weight_decay = wd});
  check.grad(w)() = 0.4;
  two.step();
  CHECK(check.value(w)() == Approx(1.4525).epsilon(1e-14));
  check.grad(w)() = -0.3;
  two.step();
  CHECK(check.value(w)() == Approx(1.42794).epsilon(1e-14));
}

TEST_CASE("sgd: nesterov momentum updates with d + momentum b", "[nn][optim][sgd]") {
  const double lr = 0.05, mom = 0.9;
  const double grads[] = {1.0, 0.5, -2.0};
  auto model = scalar_at(-0.75);
  nn::sgd opt(model, {.lr = lr, .momentum = mom, .nesterov = true});
  double expected = -0.75, buffer = 0;
  for (int t = 0; t < 3; ++t) {
    const double d = grads[t];
    buffer = t == 0 ? d : mom * buffer + d;
    expected -= lr * (d + mom * buffer);
    model.grad(w)() = grads[t];
    opt.step();
    INFO("step " << t + 1);
    CHECK(model.value(w)() == Approx(expected).epsilon(1e-14));
  }
  // First step by hand: -0.75 - 0.05·(1 + 0.9) = -0.845.
  auto first = scalar_at(-0.75);
  nn::sgd one(first, {.lr = lr, .momentum = mom, .nesterov = true});
  first.grad(w)() = 1.0;
  one.step();
  CHECK(first.value(w)() == Approx(-0.845).epsilon(1e-15));
}

TEST_CASE("sgd: each parameter has its own momentum buffer", "[nn][optim][sgd]") {
  nn::module model(nn::parameters(w, v));
  model.value(w)() = 1.0;
  model.value(v) = xt::xtensor<double, 1>{2.0, -3.0};
  nn::sgd opt(model, {.lr = 0.5, .momentum = 0.5});
  model.grad(w)() = 1.0;
  model.grad(v) = xt::xtensor<double, 1>{-2.0, 4.0};
  opt.step();  // buffers 1, (-2, 4)
  CHECK(model.value(w)() == 0.5);
  CHECK(model.value(v)(0) == 3.0);
  CHECK(model.value(v)(1) == -5.0);
  model.grad(w)() = 0.0;
  model.grad(v) = xt::xtensor<double, 1>{0.0, 2.0};
  opt.step();  // buffers 0.5, (-1, 4)
  CHECK(model.value(w)() == 0.25);
  CHECK(model.value(v)(0) == 3.5);
  CHECK(model.value(v)(1) == -7.0);
}

// ---- Adam and AdamW ----------------------------------------------------------------------------

namespace {

/// Adam's equations for one scalar over the given gradients (decoupled: AdamW's weight decay).
double adam_by_hand(double w0, const std::vector<double>& grads, double lr, double b1, double b2, double eps, double wd,
                    bool decoupled) {
  double p = w0, m = 0, s = 0;
  for (std::size_t t = 1; t <= grads.size(); ++t) {
    double g = grads[t - 1];
    if (decoupled) p *= 1 - lr * wd;
    else g += wd * p;
    m = b1 * m + (1 - b1) * g;
    s = b2 * s + (1 - b2) * g * g;
    // p -= lr · m̂ / (√v̂ + eps), with m̂ = m / (1 - β1^t) and √v̂ = √v / √(1 - β2^t).
    const double m_hat = m / (1 - std::pow(b1, double(t)));
    const double root_v_hat = std::sqrt(s) / std::sqrt(1 - std::pow(b2, double(t)));
    p -= lr * m_hat / (root_v_hat + eps);
  }
  return p;
}

}  // namespace

TEST_CASE("adam: the first two steps follow the bias-corrected moment equations", "[nn][optim][adam]") {
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  auto model = scalar_at(0.5);
  nn::adam opt(model, {.lr = lr, .beta1 = b1, .beta2 = b2, .eps = eps});
  model.grad(w)() = 0.2;
  opt.step();
  CHECK(opt.steps() == 1);
  // Step 1: m = 0.02, v = 4e-5, m̂ = 0.2, v̂ = 0.04: w = 0.5 - 0.01·0.2/(0.2 + 1e-8).
  const double w1 = 0.5 - 0.01 * 0.2 / (0.2 + 1e-8);
  CHECK(model.value(w)() == Approx(w1).epsilon(1e-14));
  CHECK(model.value(w)() == Approx(adam_by_hand(0.5, {0.2}, lr, b1, b2, eps, 0, false)).epsilon(1e-14));

  model.grad(w)() = -0.1;
  opt.step();
  // Step 2: m = 0.9·0.02 - 0.01 = 0.008, v = 0.999·4e-5 + 1e-5 = 4.996e-5,
  // w = w1 - 0.01/0.19 · 0.008 / (sqrt(4.996e-5)/sqrt(0.001999) + 1e-8).
  const double w2 = w1 - 0.01 / 0.19 * 0.008 / (std::sqrt(4.996e-5) / std::sqrt(0.001999) + 1e-8);
  CHECK(model.value(w)() == Approx(w2).epsilon(1e-13));
  CHECK(model.value(w)() == Approx(adam_by_hand(0.5, {0.2, -0.1}, lr, b1, b2, eps, 0, false)).epsilon(1e-13));
}

TEST_CASE("adam: weight decay adds wd w to the gradient", "[nn][optim][adam]") {
  const double lr = 0.05, b1 = 0.8, b2 = 0.99, eps = 1e-6, wd = 0.1;
  auto model = scalar_at(2.0);
  nn::adam opt(model, {.lr = lr, .beta1 = b1, .beta2 = b2, .eps = eps, .weight_decay = wd});
  model.grad(w)() = 0.3;
  opt.step();
  model.grad(w)() = -0.7;
  opt.step();
  // Step 1 by hand: g = 0.3 + 0.2 = 0.5; m̂ = 0.5, v̂ = 0.25: w = 2 - 0.05·0.5/(0.5 + 1e-6).
  CHECK(adam_by_hand(2.0, {0.3}, lr, b1, b2, eps, wd, false) == Approx(2.0 - 0.05 * 0.5 / (0.5 + 1e-6)).epsilon(1e-14));
  CHECK(model.value(w)() == Approx(adam_by_hand(2.0, {0.3, -0.7}, lr, b1, b2, eps, wd, false)).epsilon(1e-13));
}

TEST_CASE("adamw: the weights decay by 1 - lr wd before the Adam step", "[nn][optim][adam]") {
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
  auto model = scalar_at(0.5);
  nn::adamw opt(model, {.lr = lr, .beta1 = b1, .beta2 = b2, .eps = eps, .weight_decay = wd});
  model.grad(w)() = 0.2;
  opt.step();
  // Step 1: 0.5·(1 - 0.001) = 0.4995, then the Adam step of the raw gradient.
  const double w1 = 0.4995 - 0.01 * 0.2 / (0.2 + 1e-8);
  CHECK(model.value(w)() == Approx(w1).epsilon(1e-14));
  model.grad(w)() = -0.1;
  opt.step();
  const double w2 = w1 * 0.999 - 0.01 / 0.19 * 0.008 / (std::sqrt(4.996e-5) / std::sqrt(0.001999) + 1e-8);
  CHECK(model.value(w)() == Approx(w2).epsilon(1e-13));
  CHECK(model.value(w)() == Approx(adam_by_hand(0.5, {0.2, -0.1}, lr, b1, b2, eps, wd, true)).epsilon(1e-13));
  CHECK(opt.steps() == 2);

  // Without options, AdamW has PyTorch's defaults: lr 1e-3, weight decay 1e-2.
  auto defaults = scalar_at(1.0);
  nn::adamw by_default(defaults);
  CHECK(by_default.lr() == 1e-3);
  defaults.grad(w)() = 0.5;
  by_default.step();
  CHECK(defaults.value(w)() == Approx(1.0 * (1 - 1e-3 * 1e-2) - 1e-3 * 0.5 / (0.5 + 1e-8)).epsilon(1e-14));
}

// ---- learning-rate schedules -------------------------------------------------------------------

TEST_CASE("step_lr: gamma 0.5 every 3 epochs", "[nn][optim][schedule]") {
  auto model = scalar_at(1.0);
  nn::sgd opt(model, {.lr = 0.1});
  nn::step_lr schedule(opt, 3, 0.5);
  CHECK(opt.lr() == 0.1);
  const double expected[] = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125};
  for (std::size_t epoch = 1; epoch <= 10; ++epoch) {
    schedule.step();
    INFO("epoch " << epoch);
    CHECK(schedule.epoch() == epoch);
    CHECK(opt.lr() == Approx(expected[epoch - 1]).epsilon(1e-15));
    CHECK(opt.initial_lr() == 0.1);
  }
  // The optimizer uses the scheduled rate.
  model.grad(w)() = 1.0;
  opt.step();
  CHECK(model.value(w)() == Approx(1.0 - 0.0125).epsilon(1e-15));
}

TEST_CASE("cosine_annealing_lr: eta_min + (lr0 - eta_min)(1 + cos(pi t / T))/2", "[nn][optim][schedule]") {
  auto model = scalar_at(1.0);
  nn::adam opt(model, {.lr = 0.1});
  const double eta_min = 0.001;
  nn::cosine_annealing_lr schedule(opt, 10, eta_min);
  std::vector<double> lrs;
  for (std::size_t epoch = 1; epoch <= 20; ++epoch) {
    schedule.step();
    CHECK(schedule.epoch() == epoch);
    const double expected = eta_min + (0.1 - eta_min) * (1 + std::cos(std::numbers::pi * double(epoch) / 10)) / 2;
    INFO("epoch " << epoch);
    CHECK(opt.lr() == Approx(expected).epsilon(1e-14));
    lrs.push_back(opt.lr());
  }
  // By hand: half way the mean of the two, at T the minimum, at 2T the start again.
  CHECK(lrs[4] == Approx(0.0505).epsilon(1e-14));
  CHECK(lrs[9] == Approx(0.001).epsilon(1e-14));
  CHECK(lrs[14] == Approx(0.0505).epsilon(1e-14));
  CHECK(lrs[19] == Approx(0.1).epsilon(1e-14));
  CHECK(lrs[1] == Approx(0.001 + 0.099 * (1 + 0.8090169943749474) / 2).epsilon(1e-14));  // cos(pi/5)
}

// ---- invalid options ---------------------------------------------------------------------------

TEST_CASE("optimizers and schedules refuse invalid options", "[nn][optim][errors]") {
  auto model = scalar_at(1.0);
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.lr = -0.1}); }), Contains("learning rate"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.lr = not_a_number}); }), Contains("learning rate"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.momentum = -0.5}); }), Contains("momentum"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.dampening = -1}); }), Contains("dampening"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.weight_decay = -1}); }), Contains("weight_decay"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.nesterov = true}); }), Contains("nesterov"));
  CHECK_THAT(invalid_argument_message([&] { nn::sgd opt(model, {.momentum = 0.9, .dampening = 0.1, .nesterov = true}); }),
             Contains("nesterov"));
  CHECK_NOTHROW(nn::sgd(model, {.lr = 0.0, .momentum = 0.9, .nesterov = true}));

  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.lr = -1e-3}); }), Contains("learning rate"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.beta1 = 1.0}); }), Contains("betas"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.beta2 = 1.0}); }), Contains("betas"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.beta1 = -0.1}); }), Contains("betas"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.beta1 = not_a_number}); }), Contains("betas"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.eps = -1e-8}); }), Contains("eps"));
  CHECK_THAT(invalid_argument_message([&] { nn::adam opt(model, {.weight_decay = -0.1}); }), Contains("weight_decay"));
  CHECK_THAT(invalid_argument_message([&] { nn::adamw opt(model, {.beta1 = 1.0}); }), Contains("adamw"));
  CHECK_NOTHROW(nn::adam(model, {.beta1 = 0.0, .beta2 = 0.0}));

  nn::sgd opt(model, {.lr = 0.1});
  CHECK_THROWS_AS(opt.set_lr(-0.5), std::invalid_argument);
  CHECK(opt.lr() == 0.1);
  opt.set_lr(0.25);
  CHECK(opt.lr() == 0.25);
  CHECK(opt.initial_lr() == 0.1);

  CHECK_THAT(invalid_argument_message([&] { nn::step_lr s(opt, 0, 0.5); }), Contains("step_size"));
  CHECK_THAT(invalid_argument_message([&] { nn::step_lr s(opt, 3, -0.5); }), Contains("gamma"));
  CHECK_THAT(invalid_argument_message([&] { nn::cosine_annealing_lr s(opt, 0); }), Contains("t_max"));
  CHECK_THAT(invalid_argument_message([&] { nn::cosine_annealing_lr s(opt, 10, -0.1); }), Contains("eta_min"));
}

// ---- loss helpers ------------------------------------------------------------------------------

TEST_CASE("one_hot: a 1 at each row's label, zeros elsewhere", "[nn][losses][one_hot]") {
  const auto rows = nn::one_hot(std::vector<int>{2, 0, 1, 2}, 3);
  REQUIRE(rows.shape()[0] == 4);
  REQUIRE(rows.shape()[1] == 3);
  const float expected[4][3] = {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t c = 0; c < 3; ++c) CHECK(rows(i, c) == expected[i][c]);

  // Float labels (as read from a CSV) into a preallocated batch, overwriting what was there.
  xt::xtensor<double, 2> batch = xt::xtensor<double, 2>::from_shape({2, 4});
  batch.fill(9.0);
  nn::one_hot_into(xt::xtensor<float, 1>{3.0f, 1.0f}, batch);
  for (std::size_t c = 0; c < 4; ++c) {
    CHECK(batch(0, c) == (c == 3 ? 1.0 : 0.0));
    CHECK(batch(1, c) == (c == 1 ? 1.0 : 0.0));
  }
}

TEST_CASE("one_hot: a label outside the classes names its row", "[nn][losses][one_hot]") {
  xt::xtensor<float, 2> out = xt::xtensor<float, 2>::from_shape({3, 4});
  const auto message = [&](const std::vector<double>& labels) -> std::string {
    try {
      nn::one_hot_into(labels, out);
    } catch (const std::out_of_range& e) {
      return e.what();
    }
    return "no std::out_of_range";
  };
  const std::string too_large = message({0, 3, 4});
  CHECK_THAT(too_large, Contains("row 2"));
  CHECK_THAT(too_large, Contains("[0, 4)"));
  CHECK_THAT(message({-1, 0, 0}), Contains("row 0"));
  CHECK_THAT(message({0, 1.5, 2}), Contains("row 1"));
  CHECK_THAT(message({0, 1, std::nan("")}), Contains("row 2"));
  CHECK_THAT(message({1e300, 1, 2}), Contains("row 0"));
  // Nothing is written when a label is bad: the rows keep what they held.
  out.fill(7.0f);
  (void)message({0, 1, 9});
  CHECK(out(0, 0) == 7.0f);
  CHECK_THROWS_AS(nn::one_hot(std::vector<int>{0, 3}, 3), std::out_of_range);

  std::string count;
  try {
    nn::one_hot_into(std::vector<int>{0, 1}, out);
  } catch (const std::invalid_argument& e) {
    count = e.what();
  }
  CHECK_THAT(count, Contains("2 labels for 3 rows"));
}

TEST_CASE("smooth_l1_loss: beta must be positive", "[nn][losses]") {
  constexpr auto pred = tl::input<"pred", tl::shape<3>, double>;
  constexpr auto target = tl::input<"target", tl::shape<3>, double>;
  CHECK_THROWS_AS(nn::smooth_l1_loss(pred, target, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(nn::smooth_l1_loss(pred, target, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(nn::smooth_l1_loss(pred, target, not_a_number), std::invalid_argument);
  CHECK_THROWS_WITH(nn::smooth_l1_loss(pred, target, 0.0), Contains("l1_loss"));
  CHECK_NOTHROW(nn::smooth_l1_loss(pred, target, 0.5));
}
