// EXPECT: tapeless: the operands of an elementwise op have shapes that do not broadcast
// CONTEXT: shapes_do_not_broadcast<tapeless::ops::add, tapeless::shape<64, 10>, tapeless::shape<64> ?>
// A bias of 64 against (64, 10): trailing extents 10 and 64 differ.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto h = tl::input<"h", tl::shape<64, 10>>;
constexpr auto b = tl::param<"b", tl::shape<64>>;
constexpr auto c = tl::param<"c", tl::shape<10>>;

auto build() { return h + b; }
