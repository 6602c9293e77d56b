// EXPECT: tapeless::compile: call a named step
// The result reads the step's workspace; a temporary step would take it away.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto v = tl::param<"v", tl::shape<3>>;

double run(const double* data) {
  return tl::compile(tl::sum(v * v), tl::wrt(v))(v = tl::view(data, 3)).value();
}
