// fc1 is a layer of the module's network.
#include <tapeless/nn.hpp>

namespace nn = tapeless::nn;

constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
[[maybe_unused]] constexpr auto fc2 = nn::linear<"fc2", 8, 1>;

float first_weight() {
  nn::module model(nn::sequential(fc1, nn::relu));
  return model.value(fc1.weight)(0, 0);
}
