// EXPECT: tapeless::nn::parameters: list parameter leaves
// x is an input (no gradient): a module owns parameters only.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto x = tl::input<"x", tl::shape<4>, float>;
constexpr auto w = tl::param<"w", tl::shape<>, float>;

auto build() { return nn::parameters(w, x); }
