// w is a parameter.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

[[maybe_unused]] constexpr auto x = tl::input<"x", tl::shape<4>, float>;
constexpr auto w = tl::param<"w", tl::shape<>, float>;

auto build() { return nn::parameters(w); }
