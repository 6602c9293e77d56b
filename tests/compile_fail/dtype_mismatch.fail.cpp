// EXPECT: tapeless::add \(a \+ b\): the operands have different dtypes \(float32 and float64\)
// a is float32, b and c are float64: reported once, where a meets b.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::param<"a", tl::shape<>, float>;
constexpr auto b = tl::param<"b">;
constexpr auto c = tl::param<"c">;

double slope() { return tl::grad((a + b) * c, b).at(a = 1.0f, b = 2.0, c = 3.0); }
