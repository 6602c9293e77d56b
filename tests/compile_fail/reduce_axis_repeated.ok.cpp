// The corrected twin of reduce_axis_repeated.fail.cpp.
// Each axis is reduced once.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::mean<0, 1>(x); }
