// Declare the leaf with the dtype of the data it is given.
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

namespace tl = tapeless;

constexpr auto x = tl::input<"x", tl::shape<2, 3>, float>;

std::size_t bound_size(const xt::xtensor<float, 2>& data) { return std::get<0>(tl::bind(x = data).items).value.size(); }
