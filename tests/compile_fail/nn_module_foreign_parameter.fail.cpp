// EXPECT: tapeless::nn::module: this leaf is not a parameter of the module's layers
// fc2 is not part of the network the module was made from.
#include <tapeless/nn.hpp>

namespace nn = tapeless::nn;

constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
constexpr auto fc2 = nn::linear<"fc2", 8, 1>;

float first_weight() {
  nn::module model(nn::sequential(fc1, nn::relu));
  return model.value(fc2.weight)(0, 0);
}
