// EXPECT: tapeless::bind: a tensor leaf takes a row-major container of its own dtype
// A float32 container is not data for a float64 tensor leaf: no silent conversion.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<2, 3>>;

std::size_t bound_size(const xt::xtensor<float, 2>& data) { return std::get<0>(tl::bind(x = data).items).value.size(); }
