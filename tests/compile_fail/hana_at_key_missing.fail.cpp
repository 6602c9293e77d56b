// EXPECT: tapeless: hana::at_key: no entry for this key
// Gradients were taken with respect to a and b only; c has none.
#include <boost/hana/at_key.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::scalar<"a">;
constexpr auto b = tl::scalar<"b">;

double gradient_of_c() {
  const auto g = tl::grad(a * b, a, b).at(a = 0.5, b = 2.0);
  return boost::hana::at_key(g, tl::key<"c">);
}
