// EXPECT: tapeless::bind: the data bound to a tensor leaf must outlive the evaluation; bind a named container, not a temporary
// A binding views the caller's data. This tensor is a temporary, destroyed at the end of the
// statement that makes the bindings, so the step below would read freed memory.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<3>>;
constexpr auto w = tl::param<"w", tl::shape<3>>;

double weighted_sum(const xt::xtensor<double, 1>& weights) {
  auto step = tl::compile(tl::sum(x * w), tl::wrt(w));
  const auto data = tl::bind(x = xt::xtensor<double, 1>{1.0, 2.0, 3.0}, w = weights);
  return step(data).value();
}
