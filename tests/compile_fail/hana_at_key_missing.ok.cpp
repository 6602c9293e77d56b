// Ask for a leaf the gradients were taken with respect to (by leaf or by name).
#include <boost/hana/at_key.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto a = tl::scalar<"a">;
constexpr auto b = tl::scalar<"b">;

double gradient_of_b() {
  const auto g = tl::grad(a * b, a, b).at(a = 0.5, b = 2.0);
  return boost::hana::at_key(g, tl::key<"b">) + boost::hana::at_key(g, a);
}
