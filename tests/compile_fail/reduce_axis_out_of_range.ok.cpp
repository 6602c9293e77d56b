// The corrected twin of reduce_axis_out_of_range.fail.cpp.
// A matrix has axes 0 and 1.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::sum<1>(x); }
