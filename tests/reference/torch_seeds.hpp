#pragma once
// The seed programs written a second time with LibTorch, as the seeds write them in PyTorch:
// leaf tensors with requires_grad, backward(), updates under no_grad. The interface has no
// templates and no torch types (only torch_seeds.cpp includes LibTorch); data pass as row-major
// vectors of double and every run is in float64.
#include <cstddef>
#include <vector>

namespace tapeless::reference::seeds {

/// Seed 002: v = tensor(v, requires_grad=True); out = v * v; out.backward(gradient); returns v.grad.
std::vector<double> square_backward_with_gradient(const std::vector<double>& v, const std::vector<double>& gradient);

/// Seed 004, part 2: one step of a linear model.
///   y_pred = x @ w + b; loss = 0.5 * (y_pred - y_true).pow(2).mean(); loss.backward()
///   with torch.no_grad(): w -= lr * w.grad; b -= lr * b.grad
/// x is (rows, features), y_true (rows, 1), w (features, 1), b (1, 1).
struct linear_model_step {
  double loss = 0;
  std::vector<double> w_grad;
  double b_grad = 0;
  std::vector<double> w_after;
  double b_after = 0;
};
linear_model_step linear_model_one_step(const std::vector<double>& x, std::size_t rows, std::size_t features,
                                        const std::vector<double>& y_true, const std::vector<double>& w, double b,
                                        double learning_rate);

/// Seed 003: the two-layer network trained with autograd, as PyTorch's version of the seed:
///   loss = (x.mm(w1).clamp_min(0).mm(w2) - y).pow(2).sum(); loss.backward()
///   with torch.no_grad(): w1 -= lr * w1.grad; w2 -= lr * w2.grad; then the grads are zeroed.
/// x is (n, d_in), y (n, d_out), w1 (d_in, h), w2 (h, d_out). Returns the loss of every step
/// (computed before that step's update) and the final weights.
struct two_layer_run {
  std::vector<double> losses;
  std::vector<double> w1, w2;
};
two_layer_run two_layer_net(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w1,
                            const std::vector<double>& w2, std::size_t n, std::size_t d_in, std::size_t h,
                            std::size_t d_out, double learning_rate, int steps);

}  // namespace tapeless::reference::seeds
