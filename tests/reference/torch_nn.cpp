// The training layer's counterpart in LibTorch (see torch_nn.hpp): PyTorch's own losses,
// activations, functional::linear and torch::optim, never a re-derivation of their formulas.
#include "torch_nn.hpp"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace tapeless::reference::nn {

namespace {

torch::ScalarType scalar_type(dtype type) { return type == dtype::float32 ? torch::kFloat32 : torch::kFloat64; }

std::vector<std::int64_t> signed_extents(const std::vector<std::size_t>& extents) {
  return {extents.begin(), extents.end()};
}

torch::Tensor from_data(const tensor& t, torch::ScalarType type) {
  std::size_t count = 1;
  for (std::size_t e : t.shape) count *= e;
  if (count != t.data.size()) throw std::invalid_argument("torch_nn: tensor data do not fill their extents");
  return torch::tensor(t.data, torch::TensorOptions().dtype(torch::kFloat64))
      .reshape(signed_extents(t.shape))
      .to(type)
      .clone();
}

tensor to_data(const torch::Tensor& t) {
  const torch::Tensor d = t.detach().to(torch::kFloat64).contiguous();
  tensor out;
  for (std::int64_t e : d.sizes()) out.shape.push_back(static_cast<std::size_t>(e));
  out.data.assign(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
  return out;
}

tensor grad_or_zeros(const torch::Tensor& leaf) {
  return to_data(leaf.grad().defined() ? leaf.grad() : torch::zeros_like(leaf));
}

torch::Tensor class_labels(const tensor& target) {
  std::vector<std::int64_t> labels;
  for (double v : target.data) {
    const auto label = static_cast<std::int64_t>(v);
    if (static_cast<double>(label) != v) throw std::invalid_argument("torch_nn: a class label is not an integer");
    labels.push_back(label);
  }
  return torch::tensor(labels, torch::TensorOptions().dtype(torch::kInt64));
}

}  // namespace

loss_result loss(std::string_view name, dtype type, const tensor& input, const tensor& target, reduction r, double beta,
                 bool target_grad) {
  const torch::ScalarType st = scalar_type(type);
  const std::int64_t red = r == reduction::mean ? at::Reduction::Mean : at::Reduction::Sum;
  torch::Tensor in = from_data(input, st).requires_grad_(true);
  torch::Tensor out;
  torch::Tensor tgt;
  if (name == "cross_entropy") {
    if (target_grad) throw std::invalid_argument("torch_nn: class labels have no gradient");
    namespace F = torch::nn::functional;
    auto options = F::CrossEntropyFuncOptions();
    if (r == reduction::mean)
      options.reduction(torch::kMean);
    else
      options.reduction(torch::kSum);
    out = F::cross_entropy(in, class_labels(target), options);
  } else {
    tgt = from_data(target, st).requires_grad_(target_grad);
    if (name == "mse")
      out = torch::mse_loss(in, tgt, red);
    else if (name == "l1")
      out = torch::l1_loss(in, tgt, red);
    else if (name == "smooth_l1")
      out = torch::smooth_l1_loss(in, tgt, red, beta);
    else if (name == "bce_with_logits")
      out = torch::binary_cross_entropy_with_logits(in, tgt, {}, {}, red);
    else
      throw std::invalid_argument("torch_nn: unknown loss " + std::string(name));
  }
  out.backward();
  loss_result result;
  result.value = out.item<double>();
  result.input_grad = grad_or_zeros(in);
  if (target_grad) result.target_grad = grad_or_zeros(tgt);
  return result;
}

activation_result activation(std::string_view name, dtype type, const tensor& x, const tensor& seed, double slope) {
  const torch::ScalarType st = scalar_type(type);
  torch::Tensor in = from_data(x, st).requires_grad_(true);
  torch::Tensor out;
  if (name == "relu")
    out = torch::relu(in);
  else if (name == "leaky_relu")
    out = torch::leaky_relu(in, slope);
  else if (name == "gelu")
    out = torch::gelu(in);  // approximate = "none": x Φ(x) with erf
  else if (name == "sigmoid")
    out = torch::sigmoid(in);
  else if (name == "tanh")
    out = torch::tanh(in);
  else if (name == "softmax")
    out = torch::softmax(in, -1);
  else if (name == "log_softmax")
    out = torch::log_softmax(in, -1);
  else if (name == "detached_product")
    out = in * in.detach();
  else
    throw std::invalid_argument("torch_nn: unknown activation " + std::string(name));
  out.backward(from_data(seed, st));
  return {to_data(out), grad_or_zeros(in)};
}

namespace {

struct torch_network {
  std::vector<layer::kind> kinds;
  std::vector<torch::Tensor> parameters;  // per linear layer: weight, bias (leaves with requires_grad)

  torch_network(const std::vector<layer>& layers, torch::ScalarType st) {
    for (const layer& l : layers) {
      kinds.push_back(l.what);
      if (l.what == layer::kind::linear) {
        parameters.push_back(from_data(l.weight, st).requires_grad_(true));
        parameters.push_back(from_data(l.bias, st).requires_grad_(true));
      }
    }
  }

  torch::Tensor forward(torch::Tensor h) const {
    std::size_t p = 0;
    for (layer::kind k : kinds) {
      switch (k) {
        case layer::kind::linear:
          h = torch::nn::functional::linear(h, parameters[p], parameters[p + 1]);
          p += 2;
          break;
        case layer::kind::relu:
          h = torch::relu(h);
          break;
        case layer::kind::tanh:
          h = torch::tanh(h);
          break;
        case layer::kind::detach:
          h = h.detach();
          break;
      }
    }
    return h;
  }

  std::vector<tensor> values() const {
    std::vector<tensor> out;
    for (const torch::Tensor& p : parameters) out.push_back(to_data(p));
    return out;
  }
};

}  // namespace

network_result network(dtype type, const std::vector<layer>& layers, const tensor& x, const tensor& seed,
                       int backward_calls) {
  const torch::ScalarType st = scalar_type(type);
  torch_network net(layers, st);
  torch::Tensor in = from_data(x, st).requires_grad_(true);
  network_result result;
  for (int call = 0; call < backward_calls; ++call) {
    const torch::Tensor out = net.forward(in);
    result.output = to_data(out);
    if (out.requires_grad()) out.backward(from_data(seed, st));
  }
  result.input_grad = grad_or_zeros(in);
  for (const torch::Tensor& p : net.parameters) result.parameter_grads.push_back(grad_or_zeros(p));
  return result;
}

training_run train(dtype type, const std::vector<layer>& layers, const tensor& x, const tensor& y,
                   const optimizer_config& optimizer, const schedule& lr_schedule, int steps) {
  const torch::ScalarType st = scalar_type(type);
  torch_network net(layers, st);
  const torch::Tensor X = from_data(x, st);
  const torch::Tensor Y = from_data(y, st);

  std::unique_ptr<torch::optim::Optimizer> opt;
  switch (optimizer.what) {
    case optimizer_config::kind::sgd:
      opt = std::make_unique<torch::optim::SGD>(net.parameters, torch::optim::SGDOptions(optimizer.lr)
                                                                    .momentum(optimizer.momentum)
                                                                    .dampening(optimizer.dampening)
                                                                    .weight_decay(optimizer.weight_decay)
                                                                    .nesterov(optimizer.nesterov));
      break;
    case optimizer_config::kind::adam:
      opt = std::make_unique<torch::optim::Adam>(net.parameters, torch::optim::AdamOptions(optimizer.lr)
                                                                     .betas({optimizer.beta1, optimizer.beta2})
                                                                     .eps(optimizer.eps)
                                                                     .weight_decay(optimizer.weight_decay));
      break;
    case optimizer_config::kind::adamw:
      opt = std::make_unique<torch::optim::AdamW>(net.parameters, torch::optim::AdamWOptions(optimizer.lr)
                                                                      .betas({optimizer.beta1, optimizer.beta2})
                                                                      .eps(optimizer.eps)
                                                                      .weight_decay(optimizer.weight_decay));
      break;
  }
  std::unique_ptr<torch::optim::StepLR> step_lr;
  if (lr_schedule.what == schedule::kind::step_lr) {
    step_lr = std::make_unique<torch::optim::StepLR>(*opt, lr_schedule.step_size, lr_schedule.gamma);
    step_lr->step();  // Python's initial step: leaves the rate, counts the construction as epoch 0
  }
  if (lr_schedule.what == schedule::kind::explicit_lrs && lr_schedule.lrs.size() < static_cast<std::size_t>(steps))
    throw std::invalid_argument("torch_nn: fewer learning rates than steps");

  torch::optim::OptimizerOptions& group = opt->param_groups().at(0).options();
  training_run run;
  for (int t = 0; t < steps; ++t) {
    if (lr_schedule.what == schedule::kind::explicit_lrs) group.set_lr(lr_schedule.lrs[static_cast<std::size_t>(t)]);
    run.lrs.push_back(group.get_lr());
    opt->zero_grad();
    const torch::Tensor loss = torch::mse_loss(net.forward(X), Y);
    run.losses.push_back(loss.item<double>());
    loss.backward();
    opt->step();
    if (step_lr) step_lr->step();
    run.parameters.push_back(net.values());
  }
  return run;
}

}  // namespace tapeless::reference::nn
