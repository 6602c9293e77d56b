// EXPECT: tapeless: the operands of an elementwise op have shapes that do not broadcast
// Extents 2 and 3 neither match nor are 1.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::input<"a", tl::shape<2>>;
constexpr auto b = tl::input<"b", tl::shape<3>>;

auto build() { return a + b; }
