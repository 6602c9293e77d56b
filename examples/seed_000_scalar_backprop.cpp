// Seed 000, part 1: backpropagation on one scalar weight.
//   x = 1, y = 2, w = 1 (requires grad); loss = (y - w x)^2; loss.backward();
//   w -= 0.01 * w.grad; w.grad.zero_()
// PyTorch prints loss 1, w.grad -2, and w = 1.02 after the step.
#include <cstdio>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

int main() {
  constexpr auto x = tl::input<"x">;
  constexpr auto y = tl::input<"y">;
  constexpr auto w = tl::param<"w">;
  constexpr auto loss = tl::square(y - w * x);

  double w_value = 1.0;
  const auto [value, dloss_dw] = tl::value_and_grad(loss, w).at(x = 1.0, y = 2.0, w = w_value);
  std::printf("loss = %g\n", value);
  std::printf("dloss/dw = %g\n", dloss_dw);

  // The update is plain C++ on plain numbers: nothing records it (PyTorch's torch.no_grad()).
  w_value -= 0.01 * dloss_dw;
  std::printf("w after one step = %g\n", w_value);

  // Gradients are returned, not accumulated, so there is nothing to zero; a fresh evaluation
  // at the new w gives the next gradient.
  double w_grad = dloss_dw;
  w_grad = 0.0;
  std::printf("w.grad after zeroing = %g\n", w_grad);
  std::printf("next loss = %g\n", tl::value(loss, x = 1.0, y = 2.0, w = w_value));
  return 0;
}
