// backward() on a loss.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);

float train(const xt::xtensor<float, 2>& data) {
  nn::module model(net);
  auto step = nn::compile(tl::mean(net(x)), model);
  return step.backward(x = data);
}
