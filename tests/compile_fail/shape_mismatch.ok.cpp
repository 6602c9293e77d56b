// Extents 1 and 3 broadcast to 3.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::input<"a", tl::shape<1>>;
constexpr auto b = tl::input<"b", tl::shape<3>>;

auto build() { return a + b; }
static_assert(std::is_same_v<decltype(build())::shape_type, tl::shape<3>>);
