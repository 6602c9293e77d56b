// Seed 001, version 2, in PyTorch's training vocabulary: linear regression y = 2x + 3.
//   torch.manual_seed(...); x = randn(8, 1) * 20; y = 2x + 3
//   model: y = x w + b with w = rand(1, 1), b = zeros(1, 1)   (here: nn::linear<"linear", 1, 1>)
//   loss = sum((y_pred - y)^2) / 8; SGD lr = 0.001; zero_grad / backward / step until the loss
//   falls below 0.05 (at most 3000 iterations).
// The data come from tapeless's seeded generator (nn::manual_seed), not PyTorch's, so the
// iteration count differs from a PyTorch run; w and b end near 2 and 3 either way.
#include <cmath>
#include <cstdio>
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr std::size_t batch_size = 8;
constexpr auto x = tl::input<"x", tl::shape<batch_size, 1>, double>;
constexpr auto y = tl::input<"y", tl::shape<batch_size, 1>, double>;
constexpr auto linear = nn::linear<"linear", 1, 1, double>;  // y = x wᵀ + b
constexpr auto loss = tl::sum(tl::square(linear(x) - y)) / static_cast<double>(batch_size);

int main() {
  nn::manual_seed(1001);
  // get_fake_data: x = randn(8, 1) * 20, y = 2x + 3
  xt::xtensor<double, 2> x_data = nn::randn<double>({batch_size, 1}) * 20.0;
  const xt::xtensor<double, 2> y_data = 2.0 * x_data + 3.0;

  nn::module model(linear);
  nn::rand(model.value(linear.weight));   // w = rand(1, 1)
  model.value(linear.bias).fill(0.0);     // b = zeros(1, 1)
  std::printf("initial w = %.4f, b = %.4f\n", model.value(linear.weight)(0, 0), model.value(linear.bias)(0));

  auto step = nn::compile(loss, model);
  nn::sgd optimizer(model, {.lr = 0.001});
  int it = 0;
  double value = 0;
  for (; it <= 3000; ++it) {
    optimizer.zero_grad();
    value = step.backward(x = x_data, y = y_data);
    if (it % 500 == 0) std::printf("iteration %4d: loss %.6g\n", it, value);
    if (value < 0.05) break;
    optimizer.step();
  }
  const double w = model.value(linear.weight)(0, 0), b = model.value(linear.bias)(0);
  std::printf("%s after %d iterations: loss %.4g\n", value < 0.05 ? "converged" : "stopped", it, value);
  std::printf("w = %.4f, b = %.4f\n", w, b);
  return std::fabs(w - 2) < 0.05 && std::fabs(b - 3) < 0.5 ? 0 : 1;
}
