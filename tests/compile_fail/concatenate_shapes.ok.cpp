// The corrected twin of concatenate_shapes.fail.cpp.
// Joined along axis 1, both need 64 rows.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::input<"a", tl::shape<64, 3>>;
[[maybe_unused]] constexpr auto b = tl::input<"b", tl::shape<32, 5>>;
constexpr auto c = tl::input<"c", tl::shape<64, 5>>;

auto build() { return tl::concatenate<1>(a, c); }
