// matmul, 2-D and batched 3-D, with transposed operands (which reach BLAS as flags): values
// against a triple loop, gradients of sum(matmul(a, b) * w) against central differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace {

// Element (i, j) of the operand as matmul reads it: transposed operands swap the last two axes.
double element(const xt::xtensor<double, 2>& m, bool transposed, std::size_t batch, std::size_t i, std::size_t j) {
  (void)batch;
  return transposed ? m(j, i) : m(i, j);
}
double element(const xt::xtensor<double, 3>& m, bool transposed, std::size_t batch, std::size_t i, std::size_t j) {
  return transposed ? m(batch, j, i) : m(batch, i, j);
}

/// C = op(A) op(B) by a triple loop, per batch; returned flat in row-major order.
template <std::size_t R>
std::vector<double> matmul_oracle(const xt::xtensor<double, R>& a, bool ta, const xt::xtensor<double, R>& b, bool tb,
                                  std::size_t batches, std::size_t m, std::size_t k, std::size_t n) {
  std::vector<double> c(batches * m * n, 0.0);
  for (std::size_t p = 0; p < batches; ++p)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::size_t q = 0; q < k; ++q) s += element(a, ta, p, i, q) * element(b, tb, p, q, j);
        c[(p * m + i) * n + j] = s;
      }
  return c;
}

/// y = make(a, b), a matmul of (maybe transposed) params a of shape SA and b of shape SB, whose
/// product is batches x (m, k) x (k, n).
template <class T, class SA, class SB, class Make>
void check_matmul(const std::string& what, Make make, bool ta, bool tb, std::uint64_t seed) {
  constexpr std::size_t R = SA::rank;
  constexpr auto a = tl::param<"a", SA, T>;
  constexpr auto b = tl::param<"b", SB, T>;
  const auto y = make(a, b);
  using SY = typename std::remove_cvref_t<decltype(y)>::shape_type;
  static_assert(SY::rank == R);
  constexpr auto w = tl::input<"w", SY, T>;
  const std::size_t batches = R == 3 ? SY::extents[0] : 1;
  const std::size_t m = SY::extents[R - 2], n = SY::extents[R - 1];
  const std::size_t k = ta ? SA::extents[R - 2] : SA::extents[R - 1];

  std::mt19937_64 engine(seed);
  auto A = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, R>(engine, SA::extents, -1, 1)));
  auto B = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, R>(engine, SB::extents, -1, 1)));
  const auto W = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, R>(engine, SY::extents, -1, 1)));
  const auto oracle = [&] {
    const auto c = matmul_oracle<R>(A, ta, B, tb, batches, m, k, n);
    double s = 0;
    for (std::size_t i = 0; i < c.size(); ++i) s += c[i] * W.data()[i];
    return s;
  };
  INFO(what << " (" << (std::is_same_v<T, float> ? "float" : "double") << ")");
  xt::xtensor<double, R> expected(W.shape());
  const auto c = matmul_oracle<R>(A, ta, B, tb, batches, m, k, n);
  std::copy(c.begin(), c.end(), expected.begin());
  const auto At = tt::convert<T>(A);
  const auto Bt = tt::convert<T>(B);
  const auto Wt = tt::convert<T>(W);
  tt::check_value<T>(tl::value(y, a = At, b = Bt), expected, "value against a triple loop");

  auto step = tl::compile(tl::sum(y * w), tl::wrt(a, b));
  const auto r = step(a = At, b = Bt, w = Wt);
  tt::check_value<T>(r.value(), oracle(), "loss against a triple loop");
  tt::check_gradient<T>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da against finite differences");
  tt::check_gradient<T>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db against finite differences");
}

}  // namespace

TEST_CASE("matmul of two matrices", "[ops][tensor][matmul]") {
  const auto product = [](const auto& a, const auto& b) { return tl::matmul(a, b); };
  check_matmul<double, tl::shape<3, 4>, tl::shape<4, 5>>("(3,4) x (4,5)", product, false, false, 601);
  check_matmul<float, tl::shape<5, 7>, tl::shape<7, 2>>("(5,7) x (7,2)", product, false, false, 602);
  check_matmul<double, tl::shape<1, 6>, tl::shape<6, 1>>("(1,6) x (6,1)", product, false, false, 603);
}

TEST_CASE("matmul with transposed operands", "[ops][tensor][matmul][transpose]") {
  check_matmul<double, tl::shape<4, 3>, tl::shape<4, 5>>(
      "transpose(a) x b", [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), b); }, true, false,
      611);
  check_matmul<double, tl::shape<3, 4>, tl::shape<5, 4>>(
      "a x transpose(b)", [](const auto& a, const auto& b) { return tl::matmul(a, tl::transpose(b)); }, false, true,
      612);
  check_matmul<double, tl::shape<4, 3>, tl::shape<5, 4>>(
      "transpose(a) x transpose(b)",
      [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), tl::transpose(b)); }, true, true, 613);
  check_matmul<float, tl::shape<4, 3>, tl::shape<5, 4>>(
      "transpose(a) x transpose(b)",
      [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), tl::transpose(b)); }, true, true, 614);
}

TEST_CASE("batched matmul", "[ops][tensor][matmul]") {
  check_matmul<double, tl::shape<2, 3, 4>, tl::shape<2, 4, 5>>(
      "(2,3,4) x (2,4,5)", [](const auto& a, const auto& b) { return tl::matmul(a, b); }, false, false, 621);
  check_matmul<double, tl::shape<3, 4, 2>, tl::shape<3, 5, 4>>(
      "transpose(a) x transpose(b), batch 3",
      [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), tl::transpose(b)); }, true, true, 622);
  check_matmul<double, tl::shape<2, 3, 4>, tl::shape<2, 5, 4>>(
      "a x transpose(b), batch 2", [](const auto& a, const auto& b) { return tl::matmul(a, tl::transpose(b)); }, false,
      true, 623);
}

TEST_CASE("matmul of computed operands, and a transpose of a computed operand", "[ops][tensor][matmul]") {
  // matmul(tanh(a), transpose(b * c)) with c a row broadcast over b: the transposed operand is
  // a stored elementwise result.
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto b = tl::param<"b", tl::shape<5, 4>>;
  constexpr auto c = tl::param<"c", tl::shape<4>>;
  constexpr auto w = tl::input<"w", tl::shape<3, 5>>;
  std::mt19937_64 engine(631);
  auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  auto B = tt::random_tensor<double, 2>(engine, {5, 4}, -1, 1);
  auto C = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
  const auto W = tt::random_tensor<double, 2>(engine, {3, 5}, -1, 1);
  const auto oracle = [&] {
    double s = 0;
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 5; ++j) {
        double dot = 0;
        for (std::size_t q = 0; q < 4; ++q) dot += std::tanh(A(i, q)) * B(j, q) * C(q);
        s += dot * W(i, j);
      }
    return s;
  };
  auto step = tl::compile(tl::sum(tl::matmul(tl::tanh(a), tl::transpose(b * c)) * w), tl::wrt(a, b, c));
  const auto r = step(a = A, b = B, c = C, w = W);
  CHECK(r.value() == Approx(oracle()).epsilon(1e-12));
  tt::check_gradient<double>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da");
  tt::check_gradient<double>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db");
  tt::check_gradient<double>(r.grad(c), tt::numeric_gradient(C, oracle), "d/dc");
}
