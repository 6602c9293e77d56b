// Seed 004, part 3: SimpleNet in PyTorch's vocabulary.
//   torch.manual_seed(42); X = randn(10, 4); y = randn(10, 1)
//   Linear(4, 8) -> ReLU -> Linear(8, 1); MSELoss; SGD(lr=0.01); 10 epochs of
//   zero_grad / backward / step, the loss printed every 2 epochs; then eval() and predictions.
// The data and the initial weights are the ones PyTorch drew (examples/data/simplenet_*.csv,
// written by simplenet_reference.py), so every epoch's loss can be compared with PyTorch's.
// The seed's printout shows 0.5890 at every epoch: its optimizer did not update the model it
// evaluated. This is the correct run: the loss falls from 0.5890 to 0.4445, as in PyTorch.
//
// Usage: seed_004_simplenet [data directory]   (default: the source tree's examples/data)
#include <cmath>
#include <cstdio>
#include <string>
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

#ifndef TAPELESS_EXAMPLE_DATA_DIR
#define TAPELESS_EXAMPLE_DATA_DIR "examples/data"
#endif

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;

// class SimpleNet(nn.Module): fc1 = Linear(4, 8), relu, fc2 = Linear(8, 1)
constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
constexpr auto fc2 = nn::linear<"fc2", 8, 1>;
constexpr auto simple_net = nn::sequential(fc1, nn::relu, fc2);
constexpr auto criterion = nn::mse_loss(simple_net(x), y);

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : TAPELESS_EXAMPLE_DATA_DIR;
  const auto csv = [&](const char* name) { return nn::read_csv<float>(dir + "/simplenet_" + name + ".csv"); };

  // The module's own initialisation (uniform ±1/sqrt(in)) is replaced by PyTorch's draw.
  nn::module model(simple_net);
  model.value(fc1.weight) = csv("fc1_weight");
  model.value(fc1.bias) = xt::flatten(csv("fc1_bias"));
  model.value(fc2.weight) = csv("fc2_weight");
  model.value(fc2.bias) = xt::flatten(csv("fc2_bias"));
  const xt::xtensor<float, 2> X = csv("x");
  const xt::xtensor<float, 2> Y = csv("y");
  const xt::xtensor<float, 2> torch_losses = csv("losses");
  const xt::xtensor<float, 2> torch_predictions = csv("predictions");
  std::printf("SimpleNet parameters:\n%s", model.summary().c_str());

  auto step = nn::compile(criterion, model);
  nn::sgd optimizer(model, {.lr = 0.01});
  const int num_epochs = 10;
  double worst = 0;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    optimizer.zero_grad();
    const float loss = step.backward(x = X, y = Y);  // forward, then .grad += dloss/dparam
    optimizer.step();
    const double torch_loss = torch_losses(epoch, 1);
    const double rel = std::fabs(loss - torch_loss) / torch_loss;
    worst = std::max(worst, rel);
    std::printf("epoch %2d: loss %.7f, PyTorch %.7f (relative difference %.1e)\n", epoch + 1, loss, torch_loss, rel);
    if ((epoch + 1) % 2 == 0) std::printf("Epoch [%d/%d], Loss: %.4f\n", epoch + 1, num_epochs, loss);
  }
  std::printf("every epoch matches PyTorch: %s (largest relative difference %.1e)\n", worst < 1e-5 ? "yes" : "no", worst);

  // model.eval(); with torch.no_grad(): test_output = model(X)
  model.eval();
  auto predict = nn::compile(simple_net(x), model);
  const auto test_output = predict(x = X);
  double worst_prediction = 0;
  std::printf("prediction   target   difference   PyTorch's prediction\n");
  for (std::size_t i = 0; i < 10; ++i) {
    std::printf("%10.4f %9.4f %11.4f %12.4f\n", test_output(i, 0), Y(i, 0), test_output(i, 0) - Y(i, 0), torch_predictions(i, 0));
    worst_prediction = std::max(worst_prediction, double(std::fabs(test_output(i, 0) - torch_predictions(i, 0))));
  }
  std::printf("predictions match PyTorch: %s (largest difference %.1e)\n", worst_prediction < 1e-5 ? "yes" : "no",
              worst_prediction);
  return worst < 1e-5 && worst_prediction < 1e-5 ? 0 : 1;
}
