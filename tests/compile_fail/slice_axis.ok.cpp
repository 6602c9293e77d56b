// The corrected twin of slice_axis.fail.cpp.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 3>>;

auto build() { return tl::slice<0, 2>(x, tl::axis<1>); }
