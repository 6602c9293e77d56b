// EXPECT: tapeless::concatenate: operands differ in rank or in an extent other than the concatenation axis
// CONTEXT: concatenate_shapes_differ<1, tapeless::shape<64, 3>, tapeless::shape<32, 5> ?>
// Joined along axis 1, both need 64 rows.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::input<"a", tl::shape<64, 3>>;
constexpr auto b = tl::input<"b", tl::shape<32, 5>>;
constexpr auto c = tl::input<"c", tl::shape<64, 5>>;

auto build() { return tl::concatenate<1>(a, b); }
