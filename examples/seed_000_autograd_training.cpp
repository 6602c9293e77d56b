// Seed 000, part 3: fitting f(x) = w·x to y = 2x with autograd, in PyTorch's vocabulary.
//   X = [1, 2, 3, 4], Y = [2, 4, 6, 8] (float32); w = tensor(0.0, requires_grad=True)
//   20 epochs: l = mean((w·X - Y)^2); l.backward(); with no_grad: w -= 0.1 * w.grad; w.grad.zero_()
// PyTorch prints epoch 1: w=3.000, loss=30.00000000; epoch 3: w=2.250, loss=1.87500000;
// epoch 5: w=2.062, loss=0.11718750; ... and f(5) = 10.000 after training.
#include <cstdio>
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto X = tl::input<"X", tl::shape<4>, float>;
constexpr auto Y = tl::input<"Y", tl::shape<4>, float>;
constexpr auto w = tl::param<"w", tl::shape<>, float>;  // requires_grad: a param, not an input

constexpr auto forward(const auto& x) { return w * x; }
constexpr auto l = tl::mean(tl::square(forward(X) - Y));  // loss(Y, y_pred) = ((y_pred - y)**2).mean()

int main() {
  const xt::xtensor<float, 1> x_data = {1, 2, 3, 4};
  const xt::xtensor<float, 1> y_data = {2, 4, 6, 8};

  nn::module model(nn::parameters(w));  // owns w and w.grad; w starts at 0
  auto step = nn::compile(l, model);
  constexpr auto five = tl::input<"five", tl::shape<>, float>;
  auto predict = nn::compile(forward(five), model, nn::no_grad);  // torch.no_grad(): forward only
  std::printf("Prediction before training: f(5) = %.3f\n", predict(five = 5.0f));

  const float learning_rate = 0.1f;
  const int n_iters = 20;
  for (int epoch = 0; epoch < n_iters; ++epoch) {
    const float loss = step.backward(X = x_data, Y = y_data);  // l.backward(): w.grad += dl/dw
    // with torch.no_grad(): w -= learning_rate * w.grad. An update in plain C++ is never part
    // of a graph: tapeless records nothing at run time.
    model.value(w)() -= learning_rate * model.grad(w)();
    model.zero_grad();  // w.grad.zero_(): backward accumulates, as in PyTorch
    if (epoch % 2 == 0) std::printf("epoch %d: w = %.3f, loss = %.8f\n", epoch + 1, model.value(w)(), loss);
  }
  std::printf("Prediction after training: f(5) = %.3f\n", predict(five = 5.0f));

  // Accumulation, as PyTorch: two backward passes without zero_grad give twice the gradient.
  step.backward(X = x_data, Y = y_data);
  const float once = model.grad(w)();
  step.backward(X = x_data, Y = y_data);
  std::printf("two backward passes without zero_grad: w.grad = %.6g = 2 x %.6g: %s\n", model.grad(w)(), once,
              model.grad(w)() == 2 * once ? "yes" : "no");
  return 0;
}
