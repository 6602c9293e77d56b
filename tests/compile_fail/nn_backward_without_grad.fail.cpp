// EXPECT: tapeless::nn::compile: this step was compiled without gradients
// A prediction (non-scalar) is compiled forward-only; backward() needs a loss.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);

float train(const xt::xtensor<float, 2>& data) {
  nn::module model(net);
  auto step = nn::compile(net(x), model);
  return step.backward(x = data);
}
