#pragma once
// Optimizers with PyTorch's update equations (torch.optim, single-tensor code paths), over the
// parameters of an nn::module. Each holds its per-parameter state (momentum, moments) in buffers
// allocated at construction: step() allocates nothing.
//
//   nn::sgd opt(model, {.lr = 0.01, .momentum = 0.9, .nesterov = true});
//   nn::adam opt(model, {.lr = 1e-3});
//   nn::adamw opt(model, {.lr = 1e-3, .weight_decay = 1e-2});
//   opt.zero_grad(); step.backward(...); opt.step();
//
// The arithmetic follows LibTorch 1.13 operation by operation (tests/reference/nn_optim.cpp
// runs 100 steps of each against it), in the parameters' dtype, with the scalar factors
// computed in double as PyTorch does.
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "module.hpp"

namespace tapeless::nn {

namespace detail {

/// One buffer per parameter, shaped like it (zero-initialised).
template <class Params>
struct state_of;
template <class... P>
struct state_of<std::tuple<P...>> {
  using type = std::tuple<xt::xtensor<typename P::value_type, P::rank>...>;
  static type make() { return type{xt::zeros<typename P::value_type>(P::extents())...}; }
};

inline void check_rate(const char* who, const char* what, double v, bool allow_zero = true) {
  if (!std::isfinite(v) || v < 0 || (!allow_zero && v == 0))
    throw std::invalid_argument(std::string("tapeless::nn::") + who + ": " + what + " must be " +
                                (allow_zero ? "finite and >= 0" : "finite and > 0") + ", not " + std::to_string(v));
}

/// Calls f(param, buffers...) for each parameter with its i-th buffer of every state tuple.
template <class Params, class F, class... States>
void zip_each(Params& params, F&& f, States&... states) {
  const auto one = [&]<std::size_t I>(std::integral_constant<std::size_t, I>) { f(std::get<I>(params), std::get<I>(states)...); };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (one(std::integral_constant<std::size_t, I>{}), ...);
  }(std::make_index_sequence<std::tuple_size_v<Params>>{});
}

}  // namespace detail

/// Learning rate holder shared by the optimizers (PyTorch's param_groups[0]["lr"]).
class optimizer_base {
 public:
  [[nodiscard]] double lr() const noexcept { return lr_; }
  void set_lr(double lr) {
    detail::check_rate("optimizer", "the learning rate", lr);
    lr_ = lr;
  }
  /// The learning rate the optimizer was constructed with (schedulers start from it).
  [[nodiscard]] double initial_lr() const noexcept { return initial_lr_; }

 protected:
  explicit optimizer_base(double lr) : lr_(lr), initial_lr_(lr) { detail::check_rate("optimizer", "the learning rate", lr); }
  double lr_;
  double initial_lr_;
};

struct sgd_options {
  double lr = 0.01;
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;
  bool nesterov = false;
};

/// Stochastic gradient descent (torch.optim.SGD):
///   g = grad + weight_decay·p
///   b = g at the first step, then momentum·b + (1 - dampening)·g     (when momentum ≠ 0)
///   g = g + momentum·b (nesterov) or b
///   p = p - lr·g
template <class Net>
class sgd : public optimizer_base {
 public:
  sgd(module<Net>& m, sgd_options o = {})
      : optimizer_base(o.lr), module_(&m), options_(o), momentum_(detail::state_of<params_type>::make()) {
    detail::check_rate("sgd", "momentum", o.momentum);
    detail::check_rate("sgd", "dampening", o.dampening);
    detail::check_rate("sgd", "weight_decay", o.weight_decay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
      throw std::invalid_argument("tapeless::nn::sgd: nesterov momentum requires a momentum > 0 and zero dampening");
  }

  void zero_grad() { module_->zero_grad(); }

  void step() {
    const auto& o = options_;
    detail::zip_each(
        module_->parameters(),
        [&](auto& p, auto& buf) {
          using T = typename std::remove_cvref_t<decltype(p)>::value_type;
          T* w = p.value.data();
          const T* g = p.grad.data();
          T* b = buf.data();
          const std::size_t n = p.value.size();
          const T wd = T(o.weight_decay), mom = T(o.momentum), damp = T(1 - o.dampening), lr = T(lr_);
          if (o.momentum == 0) {
            for (std::size_t i = 0; i < n; ++i) {
              const T d = o.weight_decay != 0 ? g[i] + wd * w[i] : g[i];
              w[i] += -lr * d;
            }
            return;
          }
          for (std::size_t i = 0; i < n; ++i) {
            T d = o.weight_decay != 0 ? g[i] + wd * w[i] : g[i];
            b[i] = steps_ == 0 ? d : mom * b[i] + damp * d;
            d = o.nesterov ? d + mom * b[i] : b[i];
            w[i] += -lr * d;
          }
        },
        momentum_);
    ++steps_;
  }

  [[nodiscard]] const sgd_options& options() const noexcept { return options_; }

 private:
  using params_type = typename module<Net>::parameters_type;
  module<Net>* module_;
  sgd_options options_;
  typename detail::state_of<params_type>::type momentum_;
  std::size_t steps_ = 0;
};

struct adam_options {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  /// Unset: PyTorch's default, 0 for Adam and 0.01 for AdamW.
  std::optional<double> weight_decay{};
};

namespace detail {

/// Adam's moment update and step, shared by adam (L2 penalty in the gradient) and adamw
/// (decoupled decay of the weights).
template <class Params, class States>
void adam_update(Params& params, States& m, States& v, const adam_options& options, double lr, std::size_t step,
                 bool decoupled) {
  struct {
    double beta1, beta2, eps, weight_decay;
  } const o{options.beta1, options.beta2, options.eps, options.weight_decay.value_or(decoupled ? 1e-2 : 0.0)};
  const double bias1 = 1 - std::pow(o.beta1, static_cast<double>(step));
  const double bias2 = 1 - std::pow(o.beta2, static_cast<double>(step));
  const double step_size = lr / bias1;
  const double bias2_sqrt = std::sqrt(bias2);
  zip_each(
      params,
      [&](auto& p, auto& mp, auto& vp) {
        using T = typename std::remove_cvref_t<decltype(p)>::value_type;
        T* w = p.value.data();
        const T* g = p.grad.data();
        T* a = mp.data();
        T* s = vp.data();
        const std::size_t n = p.value.size();
        const T b1 = T(o.beta1), b2 = T(o.beta2), one_b1 = T(1 - o.beta1), one_b2 = T(1 - o.beta2);
        const T eps = T(o.eps), wd = T(o.weight_decay), decay = T(1 - lr * o.weight_decay);
        const T bc2 = T(bias2_sqrt), ss = T(-step_size);
        for (std::size_t i = 0; i < n; ++i) {
          T grad = g[i];
          if (o.weight_decay != 0) {
            if (decoupled) w[i] *= decay;
            else grad = grad + wd * w[i];
          }
          a[i] = a[i] * b1 + grad * one_b1;
          s[i] = s[i] * b2 + one_b2 * grad * grad;
          const T denom = std::sqrt(s[i]) / bc2 + eps;
          w[i] += ss * a[i] / denom;  // addcdiv: value · t1 / t2, in that order
        }
      },
      m, v);
}

}  // namespace detail

namespace detail {

/// Adam's state and step, shared by adam (Decoupled = false: L2 penalty in the gradient) and
/// adamw (Decoupled = true: decay of the weights).
template <class Net, bool Decoupled>
class adam_family : public optimizer_base {
 public:
  adam_family(module<Net>& m, adam_options o)
      : optimizer_base(o.lr), module_(&m), options_(o), m_(state::make()), v_(state::make()) {
    const char* who = Decoupled ? "adamw" : "adam";
    check_rate(who, "eps", o.eps);
    check_rate(who, "weight_decay", o.weight_decay.value_or(0));
    if (!(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1))
      throw std::invalid_argument(std::string("tapeless::nn::") + who + ": betas must be in [0, 1), not (" +
                                  std::to_string(o.beta1) + ", " + std::to_string(o.beta2) + ")");
  }
  void zero_grad() { module_->zero_grad(); }
  void step() { adam_update(module_->parameters(), m_, v_, options_, lr_, ++steps_, Decoupled); }
  [[nodiscard]] std::size_t steps() const noexcept { return steps_; }

 private:
  using state = state_of<typename module<Net>::parameters_type>;
  module<Net>* module_;
  adam_options options_;
  typename state::type m_, v_;
  std::size_t steps_ = 0;
};

}  // namespace detail

/// Adam (torch.optim.Adam, amsgrad off): with t the step count,
///   g = grad + weight_decay·p;  m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²
///   p = p - lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)
template <class Net>
class adam : public detail::adam_family<Net, false> {
 public:
  adam(module<Net>& m, adam_options o = {}) : detail::adam_family<Net, false>(m, o) {}
};

/// AdamW (torch.optim.AdamW): Adam with decoupled weight decay, p = p·(1 - lr·weight_decay)
/// before the Adam step; weight_decay defaults to 0.01 as in PyTorch, also when other options
/// are given (`nn::adamw(model, {.lr = 1e-3})`).
template <class Net>
class adamw : public detail::adam_family<Net, true> {
 public:
  adamw(module<Net>& m, adam_options o = {}) : detail::adam_family<Net, true>(m, o) {}
};

// ---- learning-rate schedules -------------------------------------------------------------------

/// StepLR: lr = initial_lr · gamma^⌊epoch / step_size⌋; call step() once per epoch, after the
/// optimizer's step (as PyTorch).
class step_lr {
 public:
  step_lr(optimizer_base& opt, std::size_t step_size, double gamma = 0.1) : opt_(&opt), step_size_(step_size), gamma_(gamma) {
    if (step_size == 0) throw std::invalid_argument("tapeless::nn::step_lr: step_size must be positive");
    detail::check_rate("step_lr", "gamma", gamma);
  }
  void step() {
    ++epoch_;
    opt_->set_lr(opt_->initial_lr() * std::pow(gamma_, static_cast<double>(epoch_ / step_size_)));
  }
  [[nodiscard]] std::size_t epoch() const noexcept { return epoch_; }

 private:
  optimizer_base* opt_;
  std::size_t step_size_;
  double gamma_;
  std::size_t epoch_ = 0;
};

/// CosineAnnealingLR, in its closed form (PyTorch's documented formula):
///   lr = eta_min + (initial_lr - eta_min) · (1 + cos(π · epoch / t_max)) / 2
/// PyTorch computes the same values by a recurrence, which differs in the last bits.
class cosine_annealing_lr {
 public:
  cosine_annealing_lr(optimizer_base& opt, std::size_t t_max, double eta_min = 0) : opt_(&opt), t_max_(t_max), eta_min_(eta_min) {
    if (t_max == 0) throw std::invalid_argument("tapeless::nn::cosine_annealing_lr: t_max must be positive");
    detail::check_rate("cosine_annealing_lr", "eta_min", eta_min);
  }
  void step() {
    ++epoch_;
    const double pi = 3.14159265358979323846;
    const double base = opt_->initial_lr();
    opt_->set_lr(eta_min_ + (base - eta_min_) * (1 + std::cos(pi * static_cast<double>(epoch_) / static_cast<double>(t_max_))) / 2);
  }
  [[nodiscard]] std::size_t epoch() const noexcept { return epoch_; }

 private:
  optimizer_base* opt_;
  std::size_t t_max_;
  double eta_min_;
  std::size_t epoch_ = 0;
};

}  // namespace tapeless::nn
