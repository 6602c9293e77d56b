// Ops declared outside the library: the engine runs them through the kernels their own
// definitions give (a view that reverses the rows, a kernel op for a running sum along the last
// axis), with values against plain loops and gradients against central differences.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <string_view>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace user {

/// x with its rows in reverse order: a view (negative stride), no copy.
struct reverse_rows {
  static constexpr tl::op_class category = tl::op_class::view;
  static constexpr std::string_view name = "reverse_rows";
  static constexpr tl::shape_outcome infer(const std::array<tl::extents, 1>& in) { return {in[0]}; }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = tl::rule_shape_t<reverse_rows, S>;
  static constexpr bool covers_operand = true;
  static constexpr bool keeps_row_major_order = false;
  static constexpr tl::layout_class result_layout(tl::layout_class operand, std::size_t) {
    return operand == tl::layout_class::contiguous ? tl::layout_class::strided : operand;
  }
  template <class T>
  static tl::engine::tensor::layout<T> see(tl::engine::tensor::layout<T> in, std::size_t,
                                           const tl::engine::tensor::extents_t&) {
    if (in.ext[0] > 0) in.data += static_cast<std::ptrdiff_t>(in.ext[0] - 1) * in.stride[0];
    in.stride[0] = -in.stride[0];
    return in;
  }
};

/// The running sum along the last axis of a matrix: y[i, j] = Σ_{q <= j} x[i, q]. Its
/// adjoint is the running sum of g from the right.
struct running_sum {
  static constexpr tl::op_class category = tl::op_class::kernel;
  static constexpr std::string_view name = "running_sum";
  static constexpr bool backward_reads_output = false;
  static constexpr tl::shape_outcome infer(const std::array<tl::extents, 1>& in) {
    tl::shape_outcome s{in[0]};
    if (in[0].rank != 2) s.error = "the operand must be a matrix";
    return s;
  }
  template <class D>
  using dtype_rule = D;
  template <class S>
  using shape_rule = tl::rule_shape_t<running_sum, S>;

  template <auto Info, class T>
  static void forward_kernel(const tl::engine::tensor::kernel_args<T, 1>& x) {
    const auto& a = *x.in[0];
    auto& y = *x.out;
    for (std::size_t i = 0; i < y.ext[0]; ++i) {
      T acc = 0;
      for (std::size_t j = 0; j < y.ext[1]; ++j) {
        acc += a.data[static_cast<std::ptrdiff_t>(i) * a.stride[0] + static_cast<std::ptrdiff_t>(j) * a.stride[1]];
        y.data[i * y.ext[1] + j] = acc;
      }
    }
  }
  template <auto Info, class T>
  static void backward_kernel(const tl::engine::tensor::kernel_args<T, 1>& x) {
    using tl::engine::tensor::write;
    if constexpr (Info.edge[0] != write::none) {
      const auto& g = *x.grad;
      auto& da = *x.in_grad[0];
      for (std::size_t i = 0; i < g.ext[0]; ++i) {
        T acc = 0;
        for (std::size_t j = g.ext[1]; j-- > 0;) {
          acc += g.data[i * g.ext[1] + j];
          T& d = da.data[static_cast<std::ptrdiff_t>(i) * da.stride[0] + static_cast<std::ptrdiff_t>(j) * da.stride[1]];
          if constexpr (Info.edge[0] == write::assign) d = acc;
          else d += acc;
        }
      }
    }
  }
};

template <tl::expression A>
constexpr auto rev(const A&) {
  return tl::node<reverse_rows, A>{};
}
template <tl::expression A>
constexpr auto cumsum(const A&) {
  return tl::node<running_sum, A>{};
}

}  // namespace user

TEST_CASE("a view op declared by the user: rows reversed", "[engine][tensor][custom]") {
  constexpr auto a = tl::param<"a", tl::shape<4, 3>>;
  constexpr auto w = tl::input<"w", tl::shape<4, 3>>;
  std::mt19937_64 engine(9101);
  auto A = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 3; ++j) total += A(3 - i, j) * A(3 - i, j) * W(i, j);
    return total;
  };
  // Read by a loop (strided), and as the root (copied).
  auto step = tl::compile(tl::sum(tl::square(user::rev(a)) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");

  const xt::xtensor<double, 2> R = tl::value(user::rev(a), a = A);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(R(i, j) == A(3 - i, j));

  // Under a matmul, which needs matrices BLAS can read: the plan copies the view.
  constexpr auto b = tl::param<"b", tl::shape<3, 2>>;
  const auto B = tt::random_tensor<double, 2>(engine, {3, 2}, -1, 1);
  const auto product = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 2; ++j) {
        double c = 0;
        for (std::size_t q = 0; q < 3; ++q) c += A(3 - i, q) * B(q, j);
        total += c * c;
      }
    return total;
  };
  auto mm = tl::compile(tl::sum(tl::square(tl::matmul(user::rev(a), b))), tl::wrt(a));
  const auto rm = mm(a = A, b = B);
  CHECK(rm.value() == Approx(product()).epsilon(1e-12));
  tt::check_gradient<double>(rm.grad(a), tt::numeric_gradient(A, product), "d/da through matmul");
}

TEST_CASE("a kernel op declared by the user: a running sum", "[engine][tensor][custom]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 5>>;
  constexpr auto w = tl::input<"w", tl::shape<3, 5>>;
  std::mt19937_64 engine(9102);
  auto A = tt::random_tensor<double, 2>(engine, {3, 5}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {3, 5}, -1, 1);
  const auto oracle = [&] {
    double total = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      double acc = 0;
      for (std::size_t j = 0; j < 5; ++j) {
        acc += A(i, j);
        total += std::sin(acc) * W(i, j);
      }
    }
    return total;
  };
  // The kernel's result is read by a loop, which fuses sin and the product with w.
  auto step = tl::compile(tl::sum(tl::sin(user::cumsum(a)) * w), tl::wrt(a));
  const auto r = step(a = A, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  // Its operand's adjoint accumulated with another use of the same leaf.
  const auto twice = [&] { return oracle() + [&] {
                                   double s = 0;
                                   for (double v : A) s += v * v;
                                   return s;
                                 }(); };
  auto both = tl::compile(tl::sum(tl::sin(user::cumsum(a)) * w) + tl::sum(tl::square(a)), tl::wrt(a));
  const auto rb = both(a = A, w = W);
  CHECK(rb.value() == Approx(twice()).epsilon(1e-12));
  tt::check_gradient<double>(rb.grad(a), tt::numeric_gradient(A, twice), "d/da, two uses");
}
