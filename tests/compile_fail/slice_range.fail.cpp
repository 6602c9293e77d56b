// EXPECT: tapeless::slice: the range \[begin, end\) does not fit the leading extent
// CONTEXT: slice_out_of_range<32, 80, 64>
// A batch of 64 has no row 79.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::slice<32, 80>(x); }
