// fc2 takes the 8 features fc1 gives.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;
constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);

auto build() { return nn::mse_loss(net(x), y); }
