// EXPECT: tapeless::nn::cross_entropy: the logits must have shape \[batch, classes\]
// CONTEXT: cross_entropy_needs_rank_2<1>
// One example's logits as a vector: cross_entropy wants a batch axis.
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto logits = tl::param<"logits", tl::shape<10>, float>;
constexpr auto target = tl::input<"target", tl::shape<10>, float>;

auto build() { return nn::cross_entropy(logits, target); }
