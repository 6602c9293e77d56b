// matmul and the shape ops (transpose, reshape, broadcast_to, slice, concatenate) against LibTorch.
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

TEMPLATE_TEST_CASE("matmul, 2-D and batched, with transposed operands, against LibTorch", "[reference][tensor]",
                   float, double) {
  using T = TestType;
  constexpr auto a = tt::param_of<"a", T, 2, 3>;
  constexpr auto b = tt::param_of<"b", T, 3, 4>;
  constexpr auto c = tt::param_of<"c", T, 4, 3>;
  constexpr auto q = tt::param_of<"q", T, 3, 3>;
  constexpr auto x = tt::input_of<"x", T, 5, 3>;
  constexpr auto ba = tt::param_of<"ba", T, 2, 2, 3>;
  constexpr auto bb = tt::param_of<"bb", T, 2, 3, 4>;
  constexpr auto bc = tt::param_of<"bc", T, 2, 4, 3>;
  for (std::uint64_t seed : {10u, 11u}) {
    // As the root, and then several products in one graph.
    tt::check_tensors_at_random(tl::matmul(a, b), seed, lo, hi, a, b);
    tt::check_tensors_at_random(tl::matmul(ba, bb), seed, lo, hi, ba, bb);
    tt::check_tensors_at_random(tt::stack(tl::matmul(b, c), tl::matmul(a, tl::transpose(c)),
                                          tl::matmul(tl::transpose(b), tl::transpose(a))),
                                seed, lo, hi, a, b, c);
    tt::check_tensors_at_random(tt::stack(tl::matmul(tl::transpose(c), tl::transpose(b)), tl::matmul(q, q),
                                          tl::matmul(q, tl::transpose(q)), tl::matmul(x, q)),
                                seed, lo, hi, b, c, q, x);
    tt::check_tensors_at_random(tl::sum(tl::matmul(tl::relu(tl::matmul(x, b)), c)), seed, lo, hi, x, b, c);
    tt::check_tensors_at_random(tl::matmul(tl::tanh(a) + 1.0, b * b), seed, lo, hi, a, b);
    tt::check_tensors_at_random(tt::stack(tl::matmul(ba, tl::transpose(bc)), tl::matmul(tl::transpose(bb), tl::transpose(ba)),
                                          tl::sum<0>(tl::matmul(tl::exp(ba), bb))),
                                seed, lo, hi, ba, bb, bc);
  }
}

TEMPLATE_TEST_CASE("matmul with torch.matmul's vectors and broadcast batches, against LibTorch", "[reference][tensor]",
                   float, double) {
  using T = TestType;
  constexpr auto u = tt::param_of<"u", T, 3>;
  constexpr auto v = tt::param_of<"v", T, 4>;
  constexpr auto a = tt::param_of<"a", T, 2, 3>;
  constexpr auto b = tt::param_of<"b", T, 3, 4>;
  constexpr auto ba = tt::param_of<"ba", T, 2, 2, 3>;
  constexpr auto bb = tt::param_of<"bb", T, 2, 3, 4>;
  constexpr auto q4 = tt::param_of<"q4", T, 2, 1, 2, 3>;
  constexpr auto r3 = tt::param_of<"r3", T, 3, 3, 4>;
  for (std::uint64_t seed : {14u, 15u}) {
    // Vector · vector (a scalar), as the root and inside a graph.
    tt::check_tensors_at_random(tl::matmul(u, u), seed, lo, hi, u);
    tt::check_tensors_at_random(
        tt::stack(tl::matmul(u, b), tl::matmul(a, u), tl::matmul(b, v) * u,
                  tl::matmul(tl::transpose(b), u), tl::matmul(v, tl::transpose(b)), tl::matmul(ba, u),
                  tl::matmul(u, bb), tl::matmul(tl::slice<0, 3>(v), tl::slice<0, 3, 1>(v)) * u),
        seed, lo, hi, u, v, a, b, ba, bb);
    // Batches that broadcast: a matrix against a batch (its gradient summed over the batch), a
    // batch axis of 1 against several, and more batch axes on one side.
    tt::check_tensors_at_random(
        tt::stack(tl::matmul(ba, b), tl::matmul(a, bb), tl::matmul(q4, r3), tl::matmul(q4, b),
                  tl::sum<0>(tl::matmul(tl::tanh(ba), tl::transpose(a) * 2.0))),
        seed, lo, hi, ba, b, a, bb, q4, r3);
  }
}

TEMPLATE_TEST_CASE("transpose, reshape, broadcast_to, slice, concatenate against LibTorch", "[reference][tensor]",
                   float, double) {
  using T = TestType;
  constexpr auto x = tt::param_of<"x", T, 2, 3, 4>;
  constexpr auto m = tt::param_of<"m", T, 4, 3>;
  constexpr auto n = tt::param_of<"n", T, 2, 3>;
  constexpr auto v = tt::param_of<"v", T, 3>;
  constexpr auto col = tt::param_of<"col", T, 4, 1>;
  constexpr auto s = tt::param_of<"s", T>;
  for (std::uint64_t seed : {12u, 13u}) {
    SECTION("views as the root: the result is read as contiguous memory") {
      tt::check_tensors_at_random(tl::transpose(m), seed, lo, hi, m);
      tt::check_tensors_at_random(tl::transpose(x), seed, lo, hi, x);
      tt::check_tensors_at_random(tl::slice<0, 2>(tl::transpose(m)), seed, lo, hi, m);
      tt::check_tensors_at_random(tl::reshape<6, 4>(x), seed, lo, hi, x);
      tt::check_tensors_at_random(tl::slice<1, 3>(m), seed, lo, hi, m);
    }
    SECTION("transpose") {
      tt::check_tensors_at_random(
          tt::stack(tl::transpose<0, 1>(x), tl::transpose<2, 0>(x), tl::transpose(m) * tl::transpose(m),
                    tl::exp(tl::transpose(m)) - tl::reshape<3, 1>(v),
                    tl::sum<0>(tl::transpose<0, 2>(x) * tl::transpose<0, 2>(x))),
          seed, lo, hi, x, m, v);
    }
    SECTION("reshape") {
      tt::check_tensors_at_random(
          tt::stack(tl::reshape<24>(x), tl::reshape<3, 4>(m) * tl::transpose(col), tl::reshape<3, 2>(n) + tl::reshape<3, 1>(v),
                    tl::matmul(tl::reshape<6, 4>(x), m), tl::reshape<4, 3>(tl::exp(m) * m),
                    tl::reshape<12>(tl::transpose(m))),
          seed, lo, hi, x, m, col, n, v);
    }
    SECTION("broadcast_to") {
      tt::check_tensors_at_random(tt::stack(tl::broadcast_to<4, 3>(v), tl::broadcast_to<2, 4, 3>(v),
                                            tl::broadcast_to<4, 3>(col), tl::broadcast_to<2, 3>(s),
                                            tl::broadcast_to<4, 3>(v) * m,
                                            tl::sum(tl::broadcast_to<4, 3>(tl::exp(col)) * m)),
                                  seed, lo, hi, v, col, s, m);
    }
    SECTION("slice") {
      tt::check_tensors_at_random(
          tt::stack(tl::slice<0, 1>(x), tl::slice<1, 2>(x) + tl::slice<0, 1>(x), tl::slice<2, 3>(v) * v,
                    tl::slice<0, 2>(tl::exp(m)) * n, tl::matmul(tl::slice<1, 3>(m), tl::transpose(n)),
                    tl::slice<1, 4>(tl::matmul(m, tl::transpose(n)))),
          seed, lo, hi, x, v, m, n);
    }
    SECTION("slice along any axis, with a step") {
      // Every axis of a rank-3 tensor, steps along rows and columns (a strided view that a
      // loop reads, or that matmul gets copied), to_end, slices of slices and of transposes.
      tt::check_tensors_at_random(
          tt::stack(tl::slice<1, 3>(x, tl::axis<1>), tl::slice<0, 4, 3>(x, tl::axis<2>), tl::slice<1, 2>(x, tl::axis<0>),
                    tl::slice<0, 4, 2>(m) * tl::slice<1, 3>(m), tl::slice<0, 3, 2>(m, tl::axis<1>),
                    tl::slice<1, tl::to_end>(m, tl::axis<1>) + tl::slice<0, 2>(m, tl::axis<1>),
                    tl::matmul(tl::slice<0, 3, 2>(m, tl::axis<1>), tl::slice<0, 2, 1>(n, tl::axis<0>)),
                    tl::matmul(tl::slice<1, 4, 2>(m), tl::transpose(tl::slice<0, 3>(n, tl::axis<1>))),
                    tl::slice<0, 2>(tl::slice<1, tl::to_end, 2>(tl::transpose(x), tl::axis<1>), tl::axis<2>),
                    tl::sum<1>(tl::slice<2, 3>(v) * tl::slice<0, 3, 2>(tl::exp(m), tl::axis<1>))),
          seed, lo, hi, x, m, n, v);
    }
    SECTION("flip") {
      // Rows, columns, a batch axis (a matrix view with a negative batch stride under matmul),
      // several axes at once, flips of flips and of views, and a flip as the root.
      tt::check_tensors_at_random(tl::flip<1>(m), seed, lo, hi, m);
      tt::check_tensors_at_random(
          tt::stack(tl::flip<0>(m) * m, tl::flip<1>(tl::exp(m)), tl::flip<0, 2>(x), tl::flip<2, 1, 0>(x) + x,
                    tl::matmul(tl::flip<0>(x), tl::reshape<2, 4, 3>(tl::flip<0>(tl::concatenate<0>(m, m)))),
                    tl::matmul(tl::flip<1>(n), tl::flip<0>(tl::slice<0, 3>(m))),
                    tl::flip<0>(tl::flip<0>(v)) * tl::flip<0>(v), tl::flip<1>(tl::transpose(m)),
                    tl::sum<0>(tl::flip<0>(tl::slice<0, 3, 2>(m)))),
          seed, lo, hi, x, m, n, v);
    }
    SECTION("take") {
      // Rows (with repeats), columns, the last axis of a rank-3 tensor, of a computed operand and
      // of a view: torch.index_select, values and gradients (repeated indices accumulate).
      constexpr auto rows = tt::input_of<"rows", T, 5>;
      constexpr auto cols = tt::input_of<"cols", T, 4>;
      std::mt19937_64 engine(seed);
      std::uniform_real_distribution<double> uniform(lo, hi);
      const auto M = tt::make_data<T, 2>({4, 3}, [&] { return uniform(engine); });
      const auto X = tt::make_data<T, 3>({2, 3, 4}, [&] { return uniform(engine); });
      const xt::xtensor<T, 1> R = {3, 0, 3, 1, 2};
      const xt::xtensor<T, 1> C = {2, 2, 0, 1};
      tt::check_tensors_against_torch(
          tt::stack(tl::take<0>(m, rows), tl::take<1>(m, cols) * tl::take<1>(tl::exp(m), cols), tl::take<2>(x, cols),
                    tl::take<0>(tl::transpose(m), tl::slice<0, 3>(cols)), tl::sum<0>(tl::take<0>(m * m, rows))),
          std::tuple{M, X, R, C}, engine, m, x, rows, cols);
    }
    SECTION("concatenate") {
      // Two and three operands, along every axis, with an operand repeated.
      tt::check_tensors_at_random(tl::concatenate<0>(m, n), seed, lo, hi, m, n);
      tt::check_tensors_at_random(
          tt::stack(tl::concatenate<1>(tl::transpose(n), tl::transpose(m)), tl::concatenate<0>(n, n, tl::exp(n)),
                    tl::concatenate<1>(col, m, col * col), tl::concatenate<2>(x, x), tl::concatenate<0>(v, v * 2.0),
                    tl::sum<0>(tl::concatenate<0>(m, n) * v)),
          seed, lo, hi, m, n, col, x, v);
    }
  }
}
