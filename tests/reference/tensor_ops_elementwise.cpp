// Elementwise tensor ops against LibTorch: binary ops with broadcasting, unary ops, comparisons and where.
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

TEMPLATE_TEST_CASE("tensor elementwise binary ops with broadcasting against LibTorch", "[reference][tensor]", float,
                   double) {
  using T = TestType;
  for (std::uint64_t seed : seeds) {
    SECTION("(3,1) op (1,4)") {
      constexpr auto a_add = tt::param_of<"a_add", T, 3, 1>;
      constexpr auto b_add = tt::param_of<"b_add", T, 1, 4>;
      constexpr auto a_sub = tt::param_of<"a_sub", T, 3, 1>;
      constexpr auto b_sub = tt::param_of<"b_sub", T, 1, 4>;
      constexpr auto a_mul = tt::param_of<"a_mul", T, 3, 1>;
      constexpr auto b_mul = tt::param_of<"b_mul", T, 1, 4>;
      constexpr auto a_max = tt::param_of<"a_max", T, 3, 1>;
      constexpr auto b_max = tt::param_of<"b_max", T, 1, 4>;
      constexpr auto a_min = tt::param_of<"a_min", T, 3, 1>;
      constexpr auto b_min = tt::param_of<"b_min", T, 1, 4>;
      tt::check_tensors_at_random(tt::stack(a_add + b_add, a_sub - b_sub, a_mul * b_mul, tl::max(a_max, b_max),
                                            tl::min(a_min, b_min)),
                                  seed, lo, hi, a_add, b_add, a_sub, b_sub, a_mul, b_mul, a_max, b_max, a_min, b_min);
      constexpr auto a_div = tt::param_of<"a_div", T, 3, 1>;
      constexpr auto b_div = tt::param_of<"b_div", T, 1, 4>;
      constexpr auto a_pow = tt::param_of<"a_pow", T, 3, 1>;
      constexpr auto b_pow = tt::param_of<"b_pow", T, 1, 4>;
      tt::check_tensors_at_random(tt::stack(a_div / b_div, tl::pow(a_pow, b_pow)), seed, plo, phi, a_div, b_div, a_pow,
                                  b_pow);
    }
    SECTION("(2,3,4) op (4) and (4) op (2,3,4)") {
      constexpr auto x_add = tt::param_of<"x_add", T, 2, 3, 4>;
      constexpr auto v_add = tt::param_of<"v_add", T, 4>;
      constexpr auto x_sub = tt::param_of<"x_sub", T, 2, 3, 4>;
      constexpr auto v_sub = tt::param_of<"v_sub", T, 4>;
      constexpr auto x_mul = tt::param_of<"x_mul", T, 2, 3, 4>;
      constexpr auto v_mul = tt::param_of<"v_mul", T, 4>;
      constexpr auto x_max = tt::param_of<"x_max", T, 2, 3, 4>;
      constexpr auto v_max = tt::param_of<"v_max", T, 4>;
      constexpr auto x_min = tt::param_of<"x_min", T, 2, 3, 4>;
      constexpr auto v_min = tt::param_of<"v_min", T, 4>;
      tt::check_tensors_at_random(tt::stack(x_add + v_add, v_sub - x_sub, x_mul * v_mul, tl::max(v_max, x_max),
                                            tl::min(x_min, v_min)),
                                  seed, lo, hi, x_add, v_add, x_sub, v_sub, x_mul, v_mul, x_max, v_max, x_min, v_min);
      constexpr auto x_div = tt::param_of<"x_div", T, 2, 3, 4>;
      constexpr auto v_div = tt::param_of<"v_div", T, 4>;
      constexpr auto x_rdiv = tt::param_of<"x_rdiv", T, 2, 3, 4>;
      constexpr auto v_rdiv = tt::param_of<"v_rdiv", T, 4>;
      constexpr auto x_pow = tt::param_of<"x_pow", T, 2, 3, 4>;
      constexpr auto v_pow = tt::param_of<"v_pow", T, 4>;
      constexpr auto x_rpow = tt::param_of<"x_rpow", T, 2, 3, 4>;
      constexpr auto v_rpow = tt::param_of<"v_rpow", T, 4>;
      tt::check_tensors_at_random(
          tt::stack(x_div / v_div, v_rdiv / x_rdiv, tl::pow(x_pow, v_pow), tl::pow(v_rpow, x_rpow)), seed, plo, phi,
          x_div, v_div, x_rdiv, v_rdiv, x_pow, v_pow, x_rpow, v_rpow);
    }
    SECTION("scalar leaf op tensor, tensor op scalar leaf") {
      constexpr auto s_add = tt::param_of<"s_add", T>;
      constexpr auto m_add = tt::param_of<"m_add", T, 3, 4>;
      constexpr auto s_sub = tt::param_of<"s_sub", T>;
      constexpr auto m_sub = tt::param_of<"m_sub", T, 3, 4>;
      constexpr auto s_mul = tt::param_of<"s_mul", T>;
      constexpr auto m_mul = tt::param_of<"m_mul", T, 3, 4>;
      constexpr auto s_max = tt::param_of<"s_max", T>;
      constexpr auto m_max = tt::param_of<"m_max", T, 3, 4>;
      constexpr auto s_min = tt::param_of<"s_min", T>;
      constexpr auto m_min = tt::param_of<"m_min", T, 3, 4>;
      tt::check_tensors_at_random(tt::stack(s_add + m_add, m_sub - s_sub, s_mul * m_mul, tl::max(s_max, m_max),
                                            tl::min(m_min, s_min)),
                                  seed, lo, hi, s_add, m_add, s_sub, m_sub, s_mul, m_mul, s_max, m_max, s_min, m_min);
      constexpr auto s_div = tt::param_of<"s_div", T>;
      constexpr auto m_div = tt::param_of<"m_div", T, 3, 4>;
      constexpr auto s_pow = tt::param_of<"s_pow", T>;
      constexpr auto m_pow = tt::param_of<"m_pow", T, 3, 4>;
      constexpr auto s_rpow = tt::param_of<"s_rpow", T>;
      constexpr auto m_rpow = tt::param_of<"m_rpow", T, 3, 4>;
      tt::check_tensors_at_random(tt::stack(s_div / m_div, tl::pow(m_pow, s_pow), tl::pow(s_rpow, m_rpow)), seed, plo,
                                  phi, s_div, m_div, s_pow, m_pow, s_rpow, m_rpow);
    }
    SECTION("numbers and literals op tensor") {
      constexpr auto m_add = tt::param_of<"m_add", T, 3, 4>;
      constexpr auto m_sub = tt::param_of<"m_sub", T, 3, 4>;
      constexpr auto m_mul = tt::param_of<"m_mul", T, 3, 4>;
      constexpr auto m_pow3 = tt::param_of<"m_pow3", T, 3, 4>;
      constexpr auto m_exp2 = tt::param_of<"m_exp2", T, 3, 4>;
      constexpr auto m_max = tt::param_of<"m_max", T, 3, 4>;
      constexpr auto m_min = tt::param_of<"m_min", T, 3, 4>;
      constexpr auto m_lit = tt::param_of<"m_lit", T, 3, 4>;
      tt::check_tensors_at_random(tt::stack(m_add + 3, 1.5 - m_sub, m_mul * -0.25, tl::pow(m_pow3, 3),
                                            tl::pow(2.0, m_exp2), tl::max(m_max, 0.5), tl::min(0.0, m_min),
                                            m_lit * tl::lit<2.0> + m_lit),
                                  seed, lo, hi, m_add, m_sub, m_mul, m_pow3, m_exp2, m_max, m_min, m_lit);
      constexpr auto m_div = tt::param_of<"m_div", T, 3, 4>;
      constexpr auto m_pow = tt::param_of<"m_pow", T, 3, 4>;
      tt::check_tensors_at_random(tt::stack(2.0 / m_div, tl::pow(m_pow, 1.5)), seed, plo, phi, m_div, m_pow);
    }
    SECTION("param op input") {
      constexpr auto m = tt::param_of<"m", T, 3, 4>;
      constexpr auto u = tt::input_of<"u", T, 3, 4>;
      constexpr auto m_div = tt::param_of<"m_div", T, 3, 4>;
      tt::check_tensors_at_random(tt::stack(m * u + u, u / (m_div * m_div + 0.5)), seed, lo, hi, m, u, m_div);
    }
  }
}

TEMPLATE_TEST_CASE("tensor elementwise unary ops against LibTorch", "[reference][tensor]", float, double) {
  using T = TestType;
  constexpr auto x_neg = tt::param_of<"x_neg", T, 2, 3>;
  constexpr auto x_square = tt::param_of<"x_square", T, 2, 3>;
  constexpr auto x_exp = tt::param_of<"x_exp", T, 2, 3>;
  constexpr auto x_abs = tt::param_of<"x_abs", T, 2, 3>;
  constexpr auto x_sin = tt::param_of<"x_sin", T, 2, 3>;
  constexpr auto x_cos = tt::param_of<"x_cos", T, 2, 3>;
  constexpr auto x_tanh = tt::param_of<"x_tanh", T, 2, 3>;
  constexpr auto x_sigmoid = tt::param_of<"x_sigmoid", T, 2, 3>;
  constexpr auto x_relu = tt::param_of<"x_relu", T, 2, 3>;
  constexpr auto x_softplus = tt::param_of<"x_softplus", T, 2, 3>;
  constexpr auto x_log = tt::param_of<"x_log", T, 2, 3>;
  constexpr auto x_sqrt = tt::param_of<"x_sqrt", T, 2, 3>;
  constexpr auto x = tt::param_of<"x", T, 2, 3>;
  for (std::uint64_t seed : seeds) {
    tt::check_tensors_at_random(tt::stack(-x_neg, tl::square(x_square), tl::exp(x_exp), tl::abs(x_abs), tl::sin(x_sin),
                                          tl::cos(x_cos), tl::tanh(x_tanh), tl::sigmoid(x_sigmoid), tl::relu(x_relu),
                                          tl::softplus(x_softplus)),
                                seed, lo, hi, x_neg, x_square, x_exp, x_abs, x_sin, x_cos, x_tanh, x_sigmoid, x_relu,
                                x_softplus);
    tt::check_tensors_at_random(tt::stack(tl::log(x_log), tl::sqrt(x_sqrt)), seed, plo, phi, x_log, x_sqrt);
    // A chain of unary ops as the root: one fused region forward and backward.
    tt::check_tensors_at_random(tl::sigmoid(tl::tanh(tl::sin(x)) * tl::exp(x)), seed, lo, hi, x);
  }
}

TEMPLATE_TEST_CASE("tensor comparisons and where against LibTorch", "[reference][tensor]", float, double) {
  using T = TestType;
  constexpr auto a = tt::param_of<"a", T, 3, 1>;
  constexpr auto b = tt::param_of<"b", T, 1, 4>;
  constexpr auto m = tt::param_of<"m", T, 3, 4>;
  constexpr auto c = tt::input_of<"c", T, 4>;
  constexpr auto w_ab = tt::param_of<"w_ab", T, 3, 1>;
  constexpr auto w_m = tt::param_of<"w_m", T, 3, 4>;
  constexpr auto w_b = tt::param_of<"w_b", T, 1, 4>;
  for (std::uint64_t seed : {5u, 6u}) {
    // A mask has no gradient: LibTorch gives none, tapeless zeros.
    tt::check_tensors_at_random(tl::lt(a, b), seed, lo, hi, a, b);
    tt::check_tensors_at_random(
        tt::stack(tl::le(a, b) * a, tl::gt(a, b) * b, tl::ge(a, b) * (a + b), tl::eq(m, m) * m, tl::ne(m, c) * m,
                  (m < 0.5) * m + (m >= 0.5) * tl::square(m), (m <= c) * m + (m > c) * 2.0),
        seed, lo, hi, a, b, m, c);
    // where broadcasts its three operands; a or b may be a number.
    tt::check_tensors_at_random(tt::stack(tl::where(a < b, w_ab, b), tl::where(m > 0, w_m, 0.1 * w_m),
                                          tl::where(c > 0, m, w_ab), tl::where(m > c, 1.5, w_b),
                                          tl::where(a > b, w_m * w_m, -1.0)),
                                seed, lo, hi, a, b, m, c, w_ab, w_m, w_b);
  }
}
