// EXPECT: tapeless::nn: a loss needs a prediction and a target of the same shape
// CONTEXT: loss_shapes_differ<tapeless::shape<10, 1>, tapeless::shape<10> ?>
// The prediction is [10, 1] and the target [10]: PyTorch would broadcast them to [10, 10].
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto y = tl::input<"y", tl::shape<10>, float>;
constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);

auto build() { return nn::mse_loss(net(x), y); }
