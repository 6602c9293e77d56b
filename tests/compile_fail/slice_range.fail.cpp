// EXPECT: tapeless::slice: the range \[begin, end\) does not fit the extent along the axis
// CONTEXT: slice_range_invalid<0, 32, 80, 1, 64>
// A batch of 64 has no row 79.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::slice<32, 80>(x); }
