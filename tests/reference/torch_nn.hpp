#pragma once
// The training layer's counterpart in LibTorch: losses from torch::nn::functional, activations,
// small networks of nn::functional::linear layers with autograd, and torch::optim runs. As
// torch_reference.hpp, the interface has no templates and no torch types (only torch_nn.cpp
// includes LibTorch); data pass as row-major tensors of double and are computed in `type`.
#include <cstddef>
#include <string_view>
#include <vector>

#include "torch_reference.hpp"

namespace tapeless::reference::nn {

enum class reduction { mean, sum };

/// A loss's value and its gradients (backward() from the scalar loss).
struct loss_result {
  double value = 0;
  tensor input_grad;   ///< d loss / d input
  tensor target_grad;  ///< d loss / d target, when asked for (else empty)
};

/// `name` is one of
///   "mse"             torch::mse_loss(input, target)
///   "l1"              torch::l1_loss(input, target)
///   "smooth_l1"       torch::smooth_l1_loss(input, target, reduction, beta)
///   "bce_with_logits" torch::binary_cross_entropy_with_logits(input, target)
///   "cross_entropy"   torch::nn::functional::cross_entropy(input [B, C], target): `target` holds
///                     B integer class labels, passed to LibTorch as an int64 tensor
/// With `target_grad` the target is a leaf with requires_grad (not for cross_entropy).
loss_result loss(std::string_view name, dtype type, const tensor& input, const tensor& target, reduction r,
                 double beta = 1.0, bool target_grad = false);

/// An activation's value and its vector-Jacobian product with `seed` (backward(seed)).
struct activation_result {
  tensor value;
  tensor grad;
};

/// `name` is one of relu, leaky_relu (with `slope`), gelu (approximate='none'), sigmoid, tanh,
/// softmax, log_softmax (over the last dimension, torch::softmax / torch::log_softmax), or
/// detached_product: x * x.detach().
activation_result activation(std::string_view name, dtype type, const tensor& x, const tensor& seed,
                             double slope = 0.01);

/// One layer of a chain applied to a [batch, features] input.
struct layer {
  enum class kind { linear, relu, tanh, detach } what = kind::linear;
  tensor weight;  ///< linear: [out, in] (torch::nn::functional::linear's layout)
  tensor bias;    ///< linear: [out]
};

/// The output of a chain of layers and the gradients from backward(seed).
struct network_result {
  tensor output;
  tensor input_grad;
  /// Per linear layer, in order: weight, bias. A parameter without a gradient (reached only
  /// through a detach) gives zeros.
  std::vector<tensor> parameter_grads;
};

/// Applies `layers` to `x` (a leaf with requires_grad), then calls backward(seed) on the output
/// `backward_calls` times, each time after a new forward pass: the parameters' .grad accumulate,
/// as PyTorch does without zero_grad().
network_result network(dtype type, const std::vector<layer>& layers, const tensor& x, const tensor& seed,
                       int backward_calls = 1);

/// A torch::optim optimizer and its options (the fields the kind does not use are ignored).
struct optimizer_config {
  enum class kind { sgd, adam, adamw } what = kind::sgd;
  double lr = 0.01;
  double momentum = 0;
  double dampening = 0;
  bool nesterov = false;
  double weight_decay = 0;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

/// How the learning rate moves during a run.
struct schedule {
  enum class kind {
    constant,
    /// torch::optim::StepLR(optimizer, step_size, gamma), stepped after each optimizer step.
    /// LibTorch's C++ schedulers leave out the step that Python's take at construction
    /// (_initial_step), which puts their decays one step later than torch.optim.lr_scheduler's;
    /// the run takes that step, so the rates are PyTorch's: gamma^⌊t / step_size⌋ at step t.
    step_lr,
    /// lrs[t] is written into the parameter group's options before step t.
    explicit_lrs,
  } what = kind::constant;
  unsigned step_size = 1;
  double gamma = 0.1;
  std::vector<double> lrs;
};

/// A training run: the chain `layers` (linear layers with their initial parameters, and
/// activations), loss = torch::mse_loss(net(x), y), and per step: zero_grad, forward, backward,
/// optimizer step, scheduler step.
struct training_run {
  std::vector<double> losses;                   ///< before each step's update
  std::vector<double> lrs;                      ///< the learning rate each step used
  std::vector<std::vector<tensor>> parameters;  ///< after each step: per linear layer weight, bias
};
training_run train(dtype type, const std::vector<layer>& layers, const tensor& x, const tensor& y,
                   const optimizer_config& optimizer, const schedule& lr_schedule, int steps);

}  // namespace tapeless::reference::nn
