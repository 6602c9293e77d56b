// Seed 004, part 2: one gradient step of a linear model.
//   x = [[3, 2, 1], [1.3, 2.4, 3.7]], y_true = [[5], [2]], w = ones(3, 1), b = [[0]]
//   y_pred = x @ w + b; loss = 0.5 * mean((y_pred - y_true)^2); loss.backward()
//   with torch.no_grad(): w -= 0.1 * w.grad; b -= 0.1 * b.grad
// PyTorch prints loss 7.54, w.grad [5.01, 7.48, 10.49], b.grad 3.2, and after the step
// w = [0.499, 0.252, -0.049], b = -0.32.
//
// By hand: y_pred = [6, 7.4], the errors are e = [1, 5.4], loss = 0.5 * (1 + 29.16) / 2 = 7.54;
// dloss/dy_pred = e / 2 = [0.5, 2.7], so w.grad = x^T [0.5, 2.7] and b.grad = 0.5 + 2.7 = 3.2.
#include <cstdio>
#include <tapeless/tapeless.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

// Shapes are part of the leaves' types: x @ w is checked to be (2, 3) x (3, 1) by the compiler,
// and b (1, 1) broadcasts over the two rows, as b.expand_as(y) would.
constexpr auto x = tl::input<"x", tl::shape<2, 3>>;
constexpr auto y_true = tl::input<"y_true", tl::shape<2, 1>>;
constexpr auto w = tl::param<"w", tl::shape<3, 1>>;
constexpr auto b = tl::param<"b", tl::shape<1, 1>>;

constexpr auto y_pred = tl::matmul(x, w) + b;
constexpr auto loss = 0.5 * tl::mean(tl::square(y_pred - y_true));

int main() {
  const xt::xtensor<double, 2> X = {{3.0, 2.0, 1.0}, {1.3, 2.4, 3.7}};
  const xt::xtensor<double, 2> Y = {{5.0}, {2.0}};
  xt::xtensor<double, 2> W = {{1.0}, {1.0}, {1.0}};
  xt::xtensor<double, 2> B = {{0.0}};
  const double learning_rate = 0.1;

  // Forward and backward in one call; the gradients live in the step's workspace until the
  // next call (PyTorch's w.grad), so there is nothing to zero afterwards.
  auto step = tl::compile(loss, tl::wrt(w, b));
  const auto r = step(x = X, y_true = Y, w = W, b = B);
  std::printf("loss = %.4f\n", r.value());
  const auto dw = r.grad(w);
  const auto db = r.grad(b);
  std::printf("w.grad = [%.4f, %.4f, %.4f]\n", dw(0, 0), dw(1, 0), dw(2, 0));
  std::printf("b.grad = %.4f\n", db(0, 0));

  // The update is plain xtensor arithmetic: nothing records it (PyTorch's torch.no_grad()).
  xt::noalias(W) -= learning_rate * dw;
  xt::noalias(B) -= learning_rate * db;
  std::printf("updated w = [%.4f, %.4f, %.4f]\n", W(0, 0), W(1, 0), W(2, 0));
  std::printf("updated b = %.4f\n", B(0, 0));

  // One more forward pass shows that the step lowered the loss.
  std::printf("loss after the step = %.4f\n", step(x = X, y_true = Y, w = W, b = B).value());
  return 0;
}
