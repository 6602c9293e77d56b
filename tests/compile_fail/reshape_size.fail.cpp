// EXPECT: tapeless::reshape: the new shape holds a different number of elements
// CONTEXT: reshape_sizes_differ<12, 10>
// 12 elements cannot fill (5, 2).
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<4, 3>>;

auto build() { return tl::reshape<5, 2>(x); }
