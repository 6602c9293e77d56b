// EXPECT: tapeless::mul \(a \* b\): the operands have different dtypes \(float32 and float64\)
// Two params are named "w", one float32 and one float64. They meet in an op, which reports
// the dtypes; the name check at tl::value stays quiet, so the mistake gives one message.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto w64 = tl::param<"w">;
constexpr auto w32 = tl::param<"w", tl::shape<>, float>;

double evaluate() { return tl::value(w64 * w32, w64 = 1.0, w32 = 2.0f); }
