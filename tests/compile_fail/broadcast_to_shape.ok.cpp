// The corrected twin of broadcast_to_shape.fail.cpp.
// 3 cannot be repeated into 10.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

[[maybe_unused]] constexpr auto b = tl::param<"b", tl::shape<3>>;
constexpr auto c = tl::param<"c", tl::shape<10>>;

auto build() { return tl::broadcast_to<64, 10>(c); }
