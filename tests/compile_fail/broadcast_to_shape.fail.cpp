// EXPECT: tapeless::broadcast_to: the operand's shape does not broadcast to the target shape
// CONTEXT: cannot_broadcast_to<tapeless::shape<64, 10>, tapeless::shape<3> ?>
// 3 cannot be repeated into 10.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto b = tl::param<"b", tl::shape<3>>;
constexpr auto c = tl::param<"c", tl::shape<10>>;

auto build() { return tl::broadcast_to<64, 10>(b); }
