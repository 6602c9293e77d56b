// All leaves are float32.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::param<"a", tl::shape<>, float>;
constexpr auto b = tl::param<"b", tl::shape<>, float>;
constexpr auto c = tl::param<"c", tl::shape<>, float>;

float slope() { return tl::grad((a + b) * c, b).at(a = 1.0f, b = 2.0f, c = 3.0f); }
static_assert(tl::grad((a + b) * c, b).at(a = 1.0f, b = 2.0f, c = 3.0f) == 3.0f);
