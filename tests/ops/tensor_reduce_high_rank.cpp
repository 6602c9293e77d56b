// sum, mean, amax, amin on rank-3 and rank-4 tensors, over one axis, two axes and all axes,
// with and without keepdims, in double and float: values against plain loops, gradients against
// central differences.
#include <catch2/catch.hpp>

#include <tapeless/tapeless.hpp>

#include "support/tensor_reduce.hpp"

namespace tl = tapeless;
using tl::testing::check_reduction;
using tl::testing::reduction;

TEST_CASE("reductions of a rank-3 tensor", "[ops][tensor][reduce]") {
  using S = tl::shape<2, 3, 4>;
  check_reduction<double, S>("sum<0, 2>(a)", [](const auto& a) { return tl::sum<0, 2>(a); }, {true, false, true},
                             reduction::sum, false, 301);
  check_reduction<double, S>("mean<1>(a, keepdims)", [](const auto& a) { return tl::mean<1>(a, tl::keepdims); },
                             {false, true, false}, reduction::mean, true, 302);
  check_reduction<double, S>("amax<0, 2>(a, keepdims)", [](const auto& a) { return tl::amax<0, 2>(a, tl::keepdims); },
                             {true, false, true}, reduction::max, true, 303);
  check_reduction<double, S>("amin<2>(a)", [](const auto& a) { return tl::amin<2>(a); }, {false, false, true},
                             reduction::min, false, 304);
  check_reduction<double, S>("sum(a)", [](const auto& a) { return tl::sum(a); }, {true, true, true}, reduction::sum,
                             false, 305);
}

TEST_CASE("reductions of a rank-4 tensor", "[ops][tensor][reduce]") {
  using S = tl::shape<2, 3, 2, 3>;
  check_reduction<double, S>("sum<1, 3>(a)", [](const auto& a) { return tl::sum<1, 3>(a); },
                             {false, true, false, true}, reduction::sum, false, 401);
  check_reduction<double, S>("mean(a)", [](const auto& a) { return tl::mean(a); }, {true, true, true, true},
                             reduction::mean, false, 402);
  check_reduction<double, S>("amax<3>(a)", [](const auto& a) { return tl::amax<3>(a); },
                             {false, false, false, true}, reduction::max, false, 403);
  check_reduction<double, S>("amin<0, 2>(a, keepdims)", [](const auto& a) { return tl::amin<0, 2>(a, tl::keepdims); },
                             {true, false, true, false}, reduction::min, true, 404);
  check_reduction<double, S>("sum<2>(a, keepdims)", [](const auto& a) { return tl::sum<2>(a, tl::keepdims); },
                             {false, false, true, false}, reduction::sum, true, 405);
  check_reduction<double, S>("mean<0, 1>(a)", [](const auto& a) { return tl::mean<0, 1>(a); },
                             {true, true, false, false}, reduction::mean, false, 406);
}

TEST_CASE("reductions in float", "[ops][tensor][reduce][float]") {
  check_reduction<float, tl::shape<2, 3, 4>>("sum<1>(a)", [](const auto& a) { return tl::sum<1>(a); },
                                             {false, true, false}, reduction::sum, false, 501);
  check_reduction<float, tl::shape<3, 4>>("mean<1>(a, keepdims)",
                                          [](const auto& a) { return tl::mean<1>(a, tl::keepdims); }, {false, true},
                                          reduction::mean, true, 502);
  check_reduction<float, tl::shape<2, 3, 2, 3>>("amax<0, 3>(a)", [](const auto& a) { return tl::amax<0, 3>(a); },
                                                {true, false, false, true}, reduction::max, false, 503);
  check_reduction<float, tl::shape<6>>("amin(a)", [](const auto& a) { return tl::amin(a); }, {true}, reduction::min,
                                       false, 504);
}
