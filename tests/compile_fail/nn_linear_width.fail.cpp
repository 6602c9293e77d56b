// EXPECT: tapeless::nn::linear: the input's last extent is not the layer's input width
// CONTEXT: layer_input_width_differs<4, 8>
// fc2 takes 4 features, but fc1 gives 8.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;
constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 4, 1>);

auto build() { return nn::mse_loss(net(x), y); }
