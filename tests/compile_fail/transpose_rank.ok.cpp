// The corrected twin of transpose_rank.fail.cpp.
// A vector has one axis; there is nothing to swap.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::input<"v", tl::shape<3>>;

auto build() { return tl::transpose(tl::reshape<3, 1>(v)); }
