// Bind a named container, which outlives the evaluation; tl::view(...) is itself a view and may
// be a temporary, as long as the data it points to lives on.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<3>>;
constexpr auto w = tl::param<"w", tl::shape<3>>;

double weighted_sum(const xt::xtensor<double, 1>& weights) {
  auto step = tl::compile(tl::sum(x * w), tl::wrt(w));
  const xt::xtensor<double, 1> inputs{1.0, 2.0, 3.0};
  const auto data = tl::bind(x = inputs, w = tl::view(weights.data(), 3));
  return step(data).value();
}
