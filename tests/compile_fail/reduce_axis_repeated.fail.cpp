// EXPECT: tapeless::reduce: a reduction axis is named twice
// CONTEXT: reduction_axes_repeated<1, 1>
// Each axis is reduced once.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::mean<1, 1>(x); }
