// Products by shape: with run-time extents every product goes to BLAS, which runs one output
// column or row as a matrix-vector product, one output element as a dot product and an inner
// extent of 1 as a rank-1 update (the reverse pass of a matrix-vector product writes one).
// Every orientation, float and double: values against a triple loop, gradients of
// sum(matmul(a, b) * w) against central differences.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace {

template <std::size_t R>
using dyn_shape = std::conditional_t<R == 1, tl::shape<tl::dynamic>, tl::shape<tl::dynamic, tl::dynamic>>;

/// op(A) as matmul reads it (a vector on the left is a row): element (i, q).
template <std::size_t R>
double lhs(const xt::xtensor<double, R>& a, bool t, std::size_t i, std::size_t q) {
  if constexpr (R == 1) return a(q);
  else return t ? a(q, i) : a(i, q);
}
/// op(B) (a vector on the right is a column): element (q, j).
template <std::size_t R>
double rhs(const xt::xtensor<double, R>& b, bool t, std::size_t q, std::size_t j) {
  if constexpr (R == 1) return b(q);
  else return t ? b(j, q) : b(q, j);
}

/// y = make(a, b) over params a (rank RA, extents sa) and b (rank RB, extents sb) with
/// run-time extents; ta / tb: whether make transposes a / b.
template <class T, std::size_t RA, std::size_t RB, class Make>
void check_product(const std::string& what, Make make, const tt::index_t<RA>& sa, const tt::index_t<RB>& sb, bool ta,
                   bool tb, std::uint64_t seed) {
  INFO(what << " (" << (std::is_same_v<T, float> ? "float" : "double") << ")");
  constexpr auto a = tl::param<"a", dyn_shape<RA>, T>;
  constexpr auto b = tl::param<"b", dyn_shape<RB>, T>;
  const auto y = make(a, b);
  constexpr std::size_t RY = std::remove_cvref_t<decltype(y)>::shape_type::rank;
  static_assert(RY == (RA > 1 ? 1 : 0) + (RB > 1 ? 1 : 0));
  const std::size_t m = RA == 1 ? 1 : (ta ? sa[1] : sa[0]);
  const std::size_t k = RA == 1 ? sa[0] : (ta ? sa[0] : sa[1]);
  const std::size_t n = RB == 1 ? 1 : (tb ? sb[0] : sb[1]);

  std::mt19937_64 engine(seed);
  auto A = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, RA>(engine, sa, -1, 1)));
  auto B = tt::convert<double>(tt::convert<T>(tt::random_tensor<double, RB>(engine, sb, -1, 1)));
  std::vector<double> W(m * n);
  for (std::size_t i = 0; i < W.size(); ++i) W[i] = std::cos(0.37 * static_cast<double>(i) + 0.1);
  if (RY == 0) W[0] = 1;  // the loss is the product itself
  const auto product = [&] {
    std::vector<double> c(m * n, 0.0);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j)
        for (std::size_t q = 0; q < k; ++q) c[i * n + j] += lhs<RA>(A, ta, i, q) * rhs<RB>(B, tb, q, j);
    return c;
  };
  const auto oracle = [&] {
    const auto c = product();
    double s = 0;
    for (std::size_t i = 0; i < c.size(); ++i) s += c[i] * W[i];
    return s;
  };
  const auto At = tt::convert<T>(A);
  const auto Bt = tt::convert<T>(B);
  const auto c = product();
  const auto check_gradients = [&](const auto& r) {
    tt::check_gradient<T>(r.grad(a), tt::numeric_gradient(A, oracle), "d/da against finite differences");
    tt::check_gradient<T>(r.grad(b), tt::numeric_gradient(B, oracle), "d/db against finite differences");
  };
  if constexpr (RY == 0) {
    auto step = tl::compile(y, tl::wrt(a, b));
    const auto r = step(a = At, b = Bt);
    tt::check_value<T>(r.value(), c[0], "dot product against a loop");
    check_gradients(r);
  } else {
    constexpr auto w = tl::input<"w", tl::shape<tl::dynamic>, T>;
    xt::xtensor<T, 1> Wt = xt::xtensor<T, 1>::from_shape({m * n});
    for (std::size_t i = 0; i < W.size(); ++i) Wt(i) = static_cast<T>(W[i]);
    xt::xtensor<double, 1> expected = xt::xtensor<double, 1>::from_shape({m * n});
    std::copy(c.begin(), c.end(), expected.begin());
    const auto flat = tl::reshape<tl::dynamic>(y);
    tt::check_value<T>(tl::value(flat, a = At, b = Bt), expected, "value against a triple loop");
    auto step = tl::compile(tl::sum(flat * w), tl::wrt(a, b));
    const auto r = step(a = At, b = Bt, w = Wt);
    tt::check_value<T>(r.value(), oracle(), "loss against a triple loop");
    check_gradients(r);
  }
}

template <class T>
void check_every_orientation() {
  const auto mm = [](const auto& a, const auto& b) { return tl::matmul(a, b); };
  const auto mt = [](const auto& a, const auto& b) { return tl::matmul(a, tl::transpose(b)); };
  const auto tm = [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), b); };
  const auto tt2 = [](const auto& a, const auto& b) { return tl::matmul(tl::transpose(a), tl::transpose(b)); };
  check_product<T, 2, 2>("(M, N) x (N, 1): one output column", mm, {7, 5}, {5, 1}, false, false, 1);
  check_product<T, 2, 1>("(M, N) x (N): matrix-vector", mm, {7, 5}, {5}, false, false, 2);
  check_product<T, 2, 1>("(N, M)^T x (N)", tm, {5, 7}, {5}, true, false, 3);
  check_product<T, 2, 2>("(M, N) x (1, N)^T", mt, {6, 4}, {1, 4}, false, true, 4);
  check_product<T, 1, 2>("(N) x (N, M): vector-matrix", mm, {5}, {5, 6}, false, false, 5);
  check_product<T, 2, 2>("(1, N) x (N, M): one output row", mm, {1, 5}, {5, 6}, false, false, 6);
  check_product<T, 1, 2>("(N) x (M, N)^T", mt, {5}, {6, 5}, false, true, 7);
  check_product<T, 2, 2>("(N, 1)^T x (N, M)^T", tt2, {5, 1}, {6, 5}, true, true, 8);
  check_product<T, 1, 1>("(N) x (N): dot product", mm, {9}, {9}, false, false, 9);
  check_product<T, 2, 2>("(1, N) x (N, 1): one output element", mm, {1, 9}, {9, 1}, false, false, 10);
  check_product<T, 2, 2>("(M, 1) x (1, P): inner extent 1", mm, {6, 1}, {1, 4}, false, false, 11);
  check_product<T, 2, 2>("(1, M)^T x (P, 1)^T: inner extent 1, transposed", tt2, {1, 6}, {4, 1}, true, true, 12);
  check_product<T, 2, 2>("(M, K) x (K, P): gemm", mm, {6, 5}, {5, 4}, false, false, 13);
}

}  // namespace

TEST_CASE("products by shape: matrix-vector, vector-matrix, dot and rank-1 products", "[ops][tensor][matmul]") {
  check_every_orientation<double>();
  check_every_orientation<float>();
}
