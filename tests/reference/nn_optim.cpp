// The training layer's optimizers and learning-rate schedules against torch::optim: a small
// network (Linear(3, 4), tanh, Linear(4, 2), MSE against a fixed target) trained for 100 steps
// from the same initial parameters by tapeless (nn::compile, nn::sgd / adam / adamw) and by
// LibTorch (functional::linear, autograd, torch::optim), in float and double. Each side takes its
// gradients from its own autograd, and the parameters are compared after every step, together
// with the loss and the learning rate of the step.
//
// Tolerance: 1e-10 in double and 1e-5 in float, relative to each element plus the same relative
// to the scale of the parameters (the largest element of the tensor, at least 1: a bias whose
// elements all pass near zero during the run must not be held to a tolerance relative to
// zero). The two sides round differently (sums in another order, LibTorch's fused
// multiply-adds), which 100 steps carry and amplify a little: measured on this machine, the
// largest difference over every run and step, on that scale, is 8e-15 in double and 3e-7 in
// float (relative to the element alone it reaches 6e-4 in float, on a bias crossing zero).
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <tapeless/nn.hpp>
#include <tapeless/tapeless.hpp>

#include "nn_checks.hpp"
#include "tensor_checks.hpp"
#include "torch_nn.hpp"

namespace tl = tapeless;
namespace nn = tapeless::nn;
namespace tt = tapeless::testing;
namespace rn = tapeless::reference::nn;
using tapeless::reference::tensor;

namespace {

constexpr int steps = 100;
constexpr std::size_t batch = 8;

template <class T>
struct small_model {
  static constexpr auto fc1 = nn::linear<"fc1", 3, 4, T>;
  static constexpr auto fc2 = nn::linear<"fc2", 4, 2, T>;
  static constexpr auto net = nn::sequential(fc1, nn::tanh, fc2);
  static constexpr auto x = tt::input_of<"x", T, batch, 3>;
  static constexpr auto y = tt::input_of<"y", T, batch, 2>;
  static constexpr auto loss = nn::mse_loss(net(x), y);
};

template <class T>
constexpr tapeless::reference::dtype reference_dtype =
    std::is_same_v<T, float> ? tapeless::reference::dtype::float32 : tapeless::reference::dtype::float64;

template <class T>
constexpr tt::tolerance optimizer_tolerance =
    std::is_same_v<T, float> ? tt::tolerance{1e-5, 1e-5} : tt::tolerance{1e-10, 1e-10};

/// A learning rate that does not move.
struct constant_lr {
  void step() {}
};

/// Trains the small model for `steps` steps with the optimizer from `make_optimizer(model)` and
/// the schedule from `make_schedule(optimizer)`, and LibTorch's with `config` and `schedule`;
/// compares the parameters after every step. Returns the learning rates tapeless used.
template <class T, class MakeOptimizer, class MakeSchedule>
std::vector<double> check_run(const std::string& what, MakeOptimizer&& make_optimizer, MakeSchedule&& make_schedule,
                              const rn::optimizer_config& config, const rn::schedule& schedule = {}) {
  using M = small_model<T>;
  nn::generator gen(42);
  nn::module model(M::net, gen);
  std::mt19937_64 engine(1234);
  const auto X = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 3}, engine, -2, 2);
  const auto Y = tt::uniform_tensor<T>(std::array<std::size_t, 2>{batch, 2}, engine, -1, 1);

  const std::vector<rn::layer> layers{{rn::layer::kind::linear, tt::to_reference(model.value(M::fc1.weight)),
                                       tt::to_reference(model.value(M::fc1.bias))},
                                      {rn::layer::kind::tanh, {}, {}},
                                      {rn::layer::kind::linear, tt::to_reference(model.value(M::fc2.weight)),
                                       tt::to_reference(model.value(M::fc2.bias))}};
  const rn::training_run torch =
      rn::train(reference_dtype<T>, layers, tt::to_reference(X), tt::to_reference(Y), config, schedule, steps);
  REQUIRE(torch.parameters.size() == static_cast<std::size_t>(steps));

  auto step = nn::compile(M::loss, model);
  auto optimizer = make_optimizer(model);
  auto scheduler = make_schedule(optimizer);
  const tt::tolerance tol = optimizer_tolerance<T>;
  std::vector<double> lrs;
  INFO(what << ", " << tl::dtype_name<T>);
  for (int t = 0; t < steps; ++t) {
    const auto k = static_cast<std::size_t>(t);
    lrs.push_back(optimizer.lr());
    optimizer.zero_grad();
    const T loss = step.backward(M::x = X, M::y = Y);
    optimizer.step();
    scheduler.step();
    INFO("step " << t);
    CHECK(lrs.back() == Approx(torch.lrs[k]).epsilon(1e-15));
    CHECK(static_cast<double>(loss) == Approx(torch.losses[k]).epsilon(tol.rtol));
    const std::vector<tensor>& expected = torch.parameters[k];
    const bool all_agree =
        tt::check_elements(tt::as_tensor(model.value(M::fc1.weight)), expected.at(0), tol, "fc1.weight", true, 1) &
        tt::check_elements(tt::as_tensor(model.value(M::fc1.bias)), expected.at(1), tol, "fc1.bias", true, 1) &
        tt::check_elements(tt::as_tensor(model.value(M::fc2.weight)), expected.at(2), tol, "fc2.weight", true, 1) &
        tt::check_elements(tt::as_tensor(model.value(M::fc2.bias)), expected.at(3), tol, "fc2.bias", true, 1);
    if (!all_agree) break;  // the first step that disagrees is the one to read
  }
  // The run trained: the loss went down.
  CHECK(torch.losses.back() < 0.9 * torch.losses.front());
  return lrs;
}

constexpr auto no_schedule = [](auto&) { return constant_lr{}; };

rn::optimizer_config sgd_config(double lr, double momentum, double dampening, double weight_decay, bool nesterov) {
  rn::optimizer_config c;
  c.what = rn::optimizer_config::kind::sgd;
  c.lr = lr;
  c.momentum = momentum;
  c.dampening = dampening;
  c.weight_decay = weight_decay;
  c.nesterov = nesterov;
  return c;
}

rn::optimizer_config adam_config(rn::optimizer_config::kind kind, const nn::adam_options& o) {
  rn::optimizer_config c;
  c.what = kind;
  c.lr = o.lr;
  c.beta1 = o.beta1;
  c.beta2 = o.beta2;
  c.eps = o.eps;
  c.weight_decay = o.weight_decay.value_or(kind == rn::optimizer_config::kind::adamw ? 0.01 : 0.0);
  return c;
}

template <class T>
void check_sgd(const std::string& what, const nn::sgd_options& o) {
  check_run<T>(
      what, [&](auto& model) { return nn::sgd(model, o); }, no_schedule,
      sgd_config(o.lr, o.momentum, o.dampening, o.weight_decay, o.nesterov));
}

}  // namespace

TEMPLATE_TEST_CASE("nn::sgd against torch::optim::SGD over 100 steps", "[reference][nn][optim]", float, double) {
  using T = TestType;
  check_sgd<T>("plain", {.lr = 0.1});
  check_sgd<T>("momentum 0.9", {.lr = 0.05, .momentum = 0.9});
  check_sgd<T>("momentum 0.9, dampening 0.1", {.lr = 0.05, .momentum = 0.9, .dampening = 0.1});
  check_sgd<T>("nesterov, momentum 0.9", {.lr = 0.05, .momentum = 0.9, .nesterov = true});
  check_sgd<T>("weight_decay 0.01", {.lr = 0.1, .weight_decay = 0.01});
  check_sgd<T>("momentum 0.9, dampening 0.1, weight_decay 0.01",
               {.lr = 0.05, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01});
  check_sgd<T>("nesterov, momentum 0.8, weight_decay 0.01",
               {.lr = 0.05, .momentum = 0.8, .weight_decay = 0.01, .nesterov = true});
}

TEMPLATE_TEST_CASE("nn::adam and nn::adamw against torch::optim::Adam and AdamW over 100 steps",
                   "[reference][nn][optim]", float, double) {
  using T = TestType;
  const auto adam_run = [](const std::string& what, const nn::adam_options& o) {
    check_run<T>(
        what, [&](auto& model) { return nn::adam(model, o); }, no_schedule,
        adam_config(rn::optimizer_config::kind::adam, o));
  };
  const auto adamw_run = [](const std::string& what, const nn::adam_options& o) {
    check_run<T>(
        what, [&](auto& model) { return nn::adamw(model, o); }, no_schedule,
        adam_config(rn::optimizer_config::kind::adamw, o));
  };
  adam_run("adam, defaults", {});
  adam_run("adam, lr 0.02", {.lr = 0.02});
  adam_run("adam, weight_decay 0.01", {.weight_decay = 0.01});
  adam_run("adam, lr 0.02, betas (0.8, 0.99), eps 1e-6, weight_decay 0.1",
           {.lr = 0.02, .beta1 = 0.8, .beta2 = 0.99, .eps = 1e-6, .weight_decay = 0.1});
  adamw_run("adamw, lr 0.01, weight_decay 0.01", {.lr = 0.01, .weight_decay = 0.01});
  adamw_run("adamw, lr 0.01, weight_decay 0.1", {.lr = 0.01, .weight_decay = 0.1});
  // nn::adamw's default weight_decay is PyTorch's, 0.01, also when other options are given.
  check_run<T>(
      "adamw, defaults", [](auto& model) { return nn::adamw(model); }, no_schedule,
      adam_config(rn::optimizer_config::kind::adamw, {.weight_decay = 0.01}));
  adamw_run("adamw, lr 0.01, default weight_decay", {.lr = 0.01});
}

TEMPLATE_TEST_CASE("nn::step_lr against torch::optim::StepLR on an SGD run", "[reference][nn][optim][schedule]", float,
                   double) {
  using T = TestType;
  rn::schedule schedule;
  schedule.what = rn::schedule::kind::step_lr;
  schedule.step_size = 10;
  schedule.gamma = 0.5;
  const std::vector<double> lrs = check_run<T>(
      "sgd with step_lr(10, 0.5)", [](auto& model) { return nn::sgd(model, {.lr = 0.1, .momentum = 0.9}); },
      [](auto& opt) { return nn::step_lr(opt, 10, 0.5); }, sgd_config(0.1, 0.9, 0, 0, false), schedule);
  // lr = 0.1 · 0.5^⌊t / 10⌋ at step t.
  for (std::size_t t = 0; t < lrs.size(); ++t) {
    INFO("step " << t);
    CHECK(lrs[t] == Approx(0.1 * std::pow(0.5, static_cast<double>(t / 10))).epsilon(1e-15));
  }
}

TEMPLATE_TEST_CASE("nn::cosine_annealing_lr: the closed form, and an Adam run against LibTorch's with those rates",
                   "[reference][nn][optim][schedule]", float, double) {
  using T = TestType;
  constexpr double lr0 = 0.02, eta_min = 1e-4;
  constexpr std::size_t t_max = 30;
  const double pi = std::acos(-1.0);
  rn::schedule schedule;
  schedule.what = rn::schedule::kind::explicit_lrs;
  for (int t = 0; t < steps; ++t)
    schedule.lrs.push_back(eta_min + (lr0 - eta_min) * (1 + std::cos(pi * t / static_cast<double>(t_max))) / 2);
  const std::vector<double> lrs = check_run<T>(
      "adam with cosine_annealing_lr(30, 1e-4)", [](auto& model) { return nn::adam(model, {.lr = lr0}); },
      [](auto& opt) { return nn::cosine_annealing_lr(opt, t_max, eta_min); },
      adam_config(rn::optimizer_config::kind::adam, {.lr = lr0}), schedule);
  REQUIRE(lrs.size() == schedule.lrs.size());
  for (std::size_t t = 0; t < lrs.size(); ++t) {
    INFO("step " << t);
    CHECK(lrs[t] == Approx(schedule.lrs[t]).epsilon(1e-15));
  }
  CHECK(lrs[t_max] == Approx(eta_min).epsilon(1e-12));
  CHECK(lrs[2 * t_max] == Approx(lr0).epsilon(1e-12));
}
