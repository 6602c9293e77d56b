// The seed programs in LibTorch (see torch_seeds.hpp). Kept apart from torch_reference.cpp,
// which rebuilds arbitrary described graphs; these are the seeds' own programs, line by line.
#include "torch_seeds.hpp"

#include <torch/torch.h>

#include <cstdint>
#include <stdexcept>

namespace tapeless::reference::seeds {

namespace {

torch::Tensor tensor(const std::vector<double>& data, std::vector<std::int64_t> extents) {
  std::int64_t count = 1;
  for (std::int64_t e : extents) count *= e;
  if (static_cast<std::int64_t>(data.size()) != count)
    throw std::invalid_argument("torch_seeds: the data do not fill the extents");
  return torch::from_blob(const_cast<double*>(data.data()), extents, torch::TensorOptions().dtype(torch::kFloat64))
      .clone();
}

std::vector<double> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat64);
  const double* p = c.data_ptr<double>();
  return {p, p + c.numel()};
}

std::int64_t extent(std::size_t e) { return static_cast<std::int64_t>(e); }

}  // namespace

std::vector<double> square_backward_with_gradient(const std::vector<double>& v, const std::vector<double>& gradient) {
  torch::Tensor leaf = tensor(v, {extent(v.size())}).requires_grad_(true);
  torch::Tensor out = leaf * leaf;
  out.backward(tensor(gradient, {extent(gradient.size())}));
  return values(leaf.grad());
}

linear_model_step linear_model_one_step(const std::vector<double>& x, std::size_t rows, std::size_t features,
                                        const std::vector<double>& y_true, const std::vector<double>& w, double b,
                                        double learning_rate) {
  const torch::Tensor X = tensor(x, {extent(rows), extent(features)});
  const torch::Tensor Y = tensor(y_true, {extent(rows), 1});
  torch::Tensor W = tensor(w, {extent(features), 1}).requires_grad_(true);
  torch::Tensor B = torch::full({1, 1}, b, torch::TensorOptions().dtype(torch::kFloat64)).requires_grad_(true);
  const torch::Tensor y_pred = X.matmul(W) + B;
  const torch::Tensor loss = 0.5 * (y_pred - Y).pow(2).mean();
  loss.backward();
  linear_model_step s;
  s.loss = loss.item<double>();
  s.w_grad = values(W.grad());
  s.b_grad = B.grad().item<double>();
  {
    torch::NoGradGuard no_grad;
    W -= learning_rate * W.grad();
    B -= learning_rate * B.grad();
  }
  s.w_after = values(W);
  s.b_after = B.item<double>();
  return s;
}

two_layer_run two_layer_net(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w1,
                            const std::vector<double>& w2, std::size_t n, std::size_t d_in, std::size_t h,
                            std::size_t d_out, double learning_rate, int steps) {
  const torch::Tensor X = tensor(x, {extent(n), extent(d_in)});
  const torch::Tensor Y = tensor(y, {extent(n), extent(d_out)});
  torch::Tensor W1 = tensor(w1, {extent(d_in), extent(h)}).requires_grad_(true);
  torch::Tensor W2 = tensor(w2, {extent(h), extent(d_out)}).requires_grad_(true);
  two_layer_run run;
  run.losses.reserve(static_cast<std::size_t>(steps));
  for (int t = 0; t < steps; ++t) {
    const torch::Tensor loss = (X.mm(W1).clamp_min(0).mm(W2) - Y).pow(2).sum();
    run.losses.push_back(loss.item<double>());
    loss.backward();
    torch::NoGradGuard no_grad;
    W1 -= learning_rate * W1.grad();
    W2 -= learning_rate * W2.grad();
    W1.mutable_grad().zero_();
    W2.mutable_grad().zero_();
  }
  run.w1 = values(W1);
  run.w2 = values(W2);
  return run;
}

}  // namespace tapeless::reference::seeds
