// EXPECT: tapeless::bind: `leaf = value` makes a binding and assigns nothing
// `x = 2.0;` as a statement looks like an assignment but only makes a binding, which is
// discarded: x is still unbound below. The warning is the one error under -Werror.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto x = tl::scalar<"x">;

double square_at_two() {
  x = 2.0;
  return tl::value(tl::square(x), x = 2.0);
}
