// Tensor reductions against LibTorch, ties (amax/amin, max/min, relu at 0) and the functional API.
// Together, tensor_ops_*.cpp check every tensor op against LibTorch, value and gradients, in
// float and double: elementwise ops with broadcasting in either operand ((3,1) op (1,4),
// (2,3,4) op (4), a scalar leaf or a number op a tensor), comparisons and where, reductions over
// every axis set with and without keepdims, matmul (2-D, batched, with transposed operands),
// transpose, reshape, broadcast_to, slice and concatenate. Ties follow PyTorch: amax/amin share
// the gradient evenly among equal elements, max/min give 1/2 to each operand, relu'(0) = 0.
//
// A compiled step costs about a second of compile time whatever its size, so the checks are
// stacked: tt::stack(e1, e2, ...) flattens and concatenates several expressions into one graph.
// Each part has leaves of its own (named after the op), so a gradient that disagrees names the op.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <tapeless/tapeless.hpp>

#include "tensor_checks.hpp"

namespace tl = tapeless;
namespace tt = tapeless::testing;

namespace {
// Data ranges: general (both signs), and positive (log, sqrt, division, pow).
constexpr double lo = -2.0, hi = 2.0;
constexpr double plo = 0.4, phi = 2.0;
constexpr std::uint64_t seeds[] = {1, 2};
}  // namespace

TEMPLATE_TEST_CASE("tensor reductions over axes, with and without keepdims, against LibTorch", "[reference][tensor]",
                   float, double) {
  using T = TestType;
  constexpr auto x_sum = tt::param_of<"x_sum", T, 2, 3, 4>;
  constexpr auto x_mean = tt::param_of<"x_mean", T, 2, 3, 4>;
  constexpr auto x_amax = tt::param_of<"x_amax", T, 2, 3, 4>;
  constexpr auto x_amin = tt::param_of<"x_amin", T, 2, 3, 4>;
  constexpr auto m_sum = tt::param_of<"m_sum", T, 3, 5>;
  constexpr auto m_mean = tt::param_of<"m_mean", T, 3, 5>;
  constexpr auto m_amax = tt::param_of<"m_amax", T, 3, 5>;
  constexpr auto m_amin = tt::param_of<"m_amin", T, 3, 5>;
  constexpr auto v = tt::param_of<"v", T, 5>;
  constexpr auto m = tt::param_of<"m", T, 3, 5>;
  for (std::uint64_t seed : {7u, 8u}) {
    // Over every axis, as the root (the reverse pass sums a full sum or mean at the root).
    tt::check_tensors_at_random(tl::sum(x_sum), seed, lo, hi, x_sum);
    tt::check_tensors_at_random(tl::mean(x_mean), seed, lo, hi, x_mean);
    tt::check_tensors_at_random(tl::amax(x_amax), seed, lo, hi, x_amax);
    tt::check_tensors_at_random(tl::amin(x_amin), seed, lo, hi, x_amin);
    // Over some axes.
    tt::check_tensors_at_random(tt::stack(tl::sum<0>(x_sum), tl::sum<1>(x_sum, tl::keepdims), tl::sum<2>(x_sum),
                                          tl::sum<0, 2>(x_sum), tl::sum<0, 1, 2>(x_sum, tl::keepdims),
                                          tl::sum<1>(m_sum), tl::sum(v)),
                                seed, lo, hi, x_sum, m_sum, v);
    tt::check_tensors_at_random(tt::stack(tl::mean<1>(x_mean), tl::mean<0, 2>(x_mean, tl::keepdims),
                                          tl::mean<2>(x_mean, tl::keepdims), tl::mean<0>(m_mean, tl::keepdims),
                                          tl::mean(m_mean)),
                                seed, lo, hi, x_mean, m_mean);
    tt::check_tensors_at_random(tt::stack(tl::amax<0>(x_amax), tl::amax<2>(x_amax, tl::keepdims), tl::amax<1, 2>(x_amax),
                                          tl::amax<1>(m_amax, tl::keepdims), tl::amax(v)),
                                seed, lo, hi, x_amax, m_amax, v);
    tt::check_tensors_at_random(tt::stack(tl::amin<1>(x_amin), tl::amin<0, 1>(x_amin, tl::keepdims), tl::amin<0>(m_amin),
                                          tl::amin(m_amin, tl::keepdims)),
                                seed, lo, hi, x_amin, m_amin);
    // Reductions over fused elementwise operands and under broadcasting consumers (softmax).
    tt::check_tensors_at_random(tt::stack(tl::sum<1>(tl::exp(m_sum) * v), m_amax - tl::amax<1>(m_amax, tl::keepdims),
                                          tl::exp(m - tl::amax<1>(m, tl::keepdims)) /
                                              tl::sum<1>(tl::exp(m - tl::amax<1>(m, tl::keepdims)), tl::keepdims),
                                          tl::mean(tl::square(m_mean - tl::mean<0>(m_mean, tl::keepdims)))),
                                seed, lo, hi, m_sum, v, m_amax, m, m_mean);
  }
}

TEMPLATE_TEST_CASE("ties: amax/amin share the gradient evenly, max/min give 1/2, relu'(0) = 0, as LibTorch",
                   "[reference][tensor]", float, double) {
  using T = TestType;
  constexpr auto x = tt::param_of<"x", T, 2, 3>;
  constexpr auto y = tt::param_of<"y", T, 2, 3>;
  constexpr auto r = tt::param_of<"r", T, 3>;
  std::mt19937_64 engine(9);
  const xt::xtensor<T, 2> tied{{1, 3, 3}, {2, 2, 2}};
  const xt::xtensor<T, 2> other{{1, 0, 3}, {-1, 2, 5}};
  const xt::xtensor<T, 2> zeros{{0, -1, 0}, {2, 0, 0}};
  const xt::xtensor<T, 1> row{0.5, -1, 2};
  const auto evenly = tt::check_tensors_against_torch(tl::amax(x), std::tuple{tied}, engine, x);
  CHECK(evenly.gradients.at("x").data == std::vector<double>{0, 0.5, 0.5, 0, 0, 0});
  tt::check_tensors_against_torch(tt::stack(tl::amax<1>(x), tl::amin<1>(x, tl::keepdims), tl::amin<0>(x)),
                                  std::tuple{tied}, engine, x);
  tt::check_tensors_against_torch(tt::stack(tl::amin(x), tl::amax<0>(x)), std::tuple{other}, engine, x);
  // Ties made by broadcasting: every row of the broadcast is the same, so amax over rows ties.
  tt::check_tensors_against_torch(tt::stack(tl::amax<0>(tl::broadcast_to<4, 3>(r)),
                                            tl::amin(tl::broadcast_to<2, 3>(r) * x)),
                                  std::tuple{row, tied}, engine, r, x);
  // max and min at ties give each operand half; max(x, x) gives x the whole gradient.
  const auto halves = tt::check_tensors_against_torch(tl::sum(tl::max(x, y)), std::tuple{tied, other}, engine, x, y);
  CHECK(halves.gradients.at("x").data == std::vector<double>{0.5, 1, 0.5, 1, 0.5, 0});
  tt::check_tensors_against_torch(tt::stack(tl::min(x, y), tl::max(x, x), tl::max(y, r)), std::tuple{tied, other, row},
                                  engine, x, y, r);
  // relu'(0) = 0, abs'(0) = 0, and where(x > 0) sends x = 0 to its second operand.
  const auto relu = tt::check_tensors_against_torch(tl::sum(tl::relu(x)), std::tuple{zeros}, engine, x);
  CHECK(relu.gradients.at("x").data == std::vector<double>{0, 0, 0, 1, 0, 0});
  tt::check_tensors_against_torch(tt::stack(tl::abs(x), tl::max(x, 0.0), tl::where(x > 0, x, 0.5 * x)),
                                  std::tuple{zeros}, engine, x);
}

TEMPLATE_TEST_CASE("the functional API on tensor graphs agrees with LibTorch", "[reference][tensor]", float, double) {
  using T = TestType;
  constexpr auto w = tt::param_of<"w", T, 3, 2>;
  constexpr auto b = tt::param_of<"b", T, 2>;
  constexpr auto x = tt::input_of<"x", T, 4, 3>;
  constexpr auto loss = tl::mean(tl::square(tl::relu(tl::matmul(x, w) + b) - 0.5));
  std::mt19937_64 engine(14);
  const auto data = tt::random_data(engine, lo, hi, w, b, x);
  const auto torch = tt::check_tensors_against_torch(loss, data, engine, w, b, x);
  const auto& [W, B, X] = data;
  const auto r = tl::value_and_grad(loss, w, b).at(w = W, b = B, x = X);
  tt::check_tensor_close<T>(r.value, torch.value, "value_and_grad: value");
  tt::check_tensor_close<T>(r.grad[w], torch.gradients.at("w"), "value_and_grad: d/dw");
  tt::check_tensor_close<T>(r.grad[b], torch.gradients.at("b"), "value_and_grad: d/db");
  tt::check_tensor_close<T>(tl::value(loss, w = W, b = B, x = X), torch.value, "value");
  tt::check_tensor_close<T>(tl::grad(loss, w).at(w = W, b = B, x = X), torch.gradients.at("w"), "grad: d/dw");
}
