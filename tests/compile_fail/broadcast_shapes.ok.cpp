// The corrected twin of broadcast_shapes.fail.cpp.
// A bias of 64 against (64, 10): trailing extents 10 and 64 differ.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto h = tl::input<"h", tl::shape<64, 10>>;
[[maybe_unused]] constexpr auto b = tl::param<"b", tl::shape<64>>;
constexpr auto c = tl::param<"c", tl::shape<10>>;

auto build() { return h + c; }
