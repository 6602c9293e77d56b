// A batch of one example: logits [1, 10].
#include <tapeless/nn.hpp>

namespace tl = tapeless;
namespace nn = tapeless::nn;

constexpr auto logits = tl::param<"logits", tl::shape<1, 10>, float>;
constexpr auto target = tl::input<"target", tl::shape<1, 10>, float>;

auto build() { return nn::cross_entropy(logits, target); }
