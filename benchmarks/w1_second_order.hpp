#pragma once
// W1's network in float64 for the forward-mode and second-order lines (w1_second_order.cpp) and
// their compile-cost translation unit (w1_hvp.cpp): the leaves, the loss, and the shared data
// with the direction (V1, V2) as xtensor matrices.
#include <algorithm>
#include <tapeless/tapeless.hpp>
#include <vector>
#include <xtensor/xtensor.hpp>

#include "w1_common.hpp"

namespace w1::second {

namespace tl = tapeless;

inline constexpr auto x = tl::input<"x", tl::shape<N, D_in>>;
inline constexpr auto y = tl::input<"y", tl::shape<N, D_out>>;
inline constexpr auto w1p = tl::param<"w1", tl::shape<D_in, H>>;
inline constexpr auto w2p = tl::param<"w2", tl::shape<H, D_out>>;
inline constexpr auto loss = tl::sum(tl::square(tl::matmul(tl::relu(tl::matmul(x, w1p)), w2p) - y));

inline xt::xtensor<double, 2> matrix(const std::vector<double>& v, std::size_t rows, std::size_t cols) {
  xt::xtensor<double, 2> m = xt::xtensor<double, 2>::from_shape({rows, cols});
  std::copy(v.begin(), v.end(), m.begin());
  return m;
}

/// The data at the initial weights and the direction of the products.
struct problem {
  const data<double>& d = shared_data<double>();
  xt::xtensor<double, 2> X = matrix(d.x, N, D_in), Y = matrix(d.y, N, D_out);
  xt::xtensor<double, 2> W1 = matrix(d.w1, D_in, H), W2 = matrix(d.w2, H, D_out);
  xt::xtensor<double, 2> V1 = matrix(direction(D_in * H, 5), D_in, H);
  xt::xtensor<double, 2> V2 = matrix(direction(H * D_out, 6), H, D_out);
};

}  // namespace w1::second
