// EXPECT: tapeless::matmul: inner extents differ
// CONTEXT: matmul_inner_extents_differ<1000, 100>
// x is (64, 1000) and w2 is (100, 10): x w2 has no meaning.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<64, 1000>>;
constexpr auto w1 = tl::param<"w1", tl::shape<1000, 100>>;
constexpr auto w2 = tl::param<"w2", tl::shape<100, 10>>;

auto build() { return tl::matmul(x, w2); }
