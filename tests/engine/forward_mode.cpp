// Forward mode and second order on tensor graphs (the tensor plan on dual numbers): for every
// kind of op, J v against reverse mode through the identity <J v, u> = <v, J^T u>, and against
// central differences; H v against central differences of the gradient; the dense Hessian and
// the Jacobian (both sweep directions) against them; directions of the wrong extents.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <tapeless/tapeless.hpp>

#include "support/tensor_oracle.hpp"

namespace tl = tapeless;
namespace tt = tl::testing;

namespace {

std::vector<double> flat(const auto& x) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(x)>>) return {static_cast<double>(x)};
  else return std::vector<double>(x.begin(), x.end());
}

double dot(const auto& a, const auto& b) {
  double s = 0;
  auto i = b.begin();
  for (const auto& x : a) s += static_cast<double>(x) * static_cast<double>(*i++);
  return s;
}

/// For f over leaves a and b (a differentiated), checks at random points:
/// <J v, u> = <v, J^T u> with J^T u from a compiled step seeded with u, and J v against a
/// central difference of <f, u> along v.
template <class E, class A, class B, std::size_t RA, std::size_t RB>
void check_jvp(const E& f, const A& a, const B& b, const tt::index_t<RA>& sa, const tt::index_t<RB>& sb,
               const std::string& what, double lo = -1.5, double hi = 1.5) {
  INFO(what);
  std::mt19937_64 engine(7);
  const auto va = tt::random_tensor<double, RA>(engine, sa, lo, hi);
  const auto vb = tt::random_tensor<double, RB>(engine, sb, lo, hi);
  const auto v = tt::random_tensor<double, RA>(engine, sa, -1, 1);
  auto step = tl::jvp(f, tl::wrt(a));
  const auto r = step(a = va, b = vb, tl::along(v));
  const auto out = flat(r.value());
  const auto jv = flat(r.tangent());
  // Values agree with the ordinary step.
  auto plain = tl::compile(f);
  const auto pv = plain(a = va, b = vb);
  const auto want = flat(pv.value());
  REQUIRE(out.size() == want.size());
  for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == Approx(want[i]).epsilon(1e-14).margin(1e-300));
  // Reverse mode with seed u.
  auto reverse = tl::compile(f, tl::wrt(a));
  std::vector<double> seed(out.size());
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = std::cos(0.7 * static_cast<double>(i) + 0.3);
  xt::xtensor<double, RA> jtu;
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(r.value())>>) {
    seed[0] = 1;
    jtu = reverse(a = va, b = vb).grad(a);
  } else {
    const auto& shape = r.value().shape();
    std::remove_cvref_t<decltype(r.value())> s = std::remove_cvref_t<decltype(r.value())>::from_shape(shape);
    std::copy(seed.begin(), seed.end(), s.begin());
    jtu = reverse(a = va, b = vb, tl::seed(s)).grad(a);
  }
  const double lhs = dot(jv, seed), rhs = dot(v, jtu);
  INFO("<J v, u> = " << lhs << ", <v, J^T u> = " << rhs);
  CHECK(std::abs(lhs - rhs) <= 1e-11 * (1 + std::abs(lhs)));
  // Central difference of <f(a + t v), u> at t = 0.
  const auto along = [&](double t) {
    xt::xtensor<double, RA> at = va + t * v;
    auto s = tl::compile(f);
    const auto y = s(a = at, b = vb);
    return dot(flat(y.value()), seed);
  };
  const double h = 1e-6;
  const double fd = (along(h) - along(-h)) / (2 * h);
  INFO("central difference " << fd);
  CHECK(std::abs(lhs - fd) <= 1e-6 * (1 + std::abs(fd)));
}

}  // namespace

TEST_CASE("J v of every kind of tensor op is the transpose of its reverse mode", "[engine][forward_mode]") {
  constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
  constexpr auto b = tl::input<"b", tl::shape<3, 4>>;
  constexpr auto m = tl::input<"m", tl::shape<4, 5>>;
  constexpr auto r = tl::input<"r", tl::shape<4>>;
  constexpr auto idx = tl::input<"i", tl::shape<5>>;
  const tt::index_t<2> s34{3, 4};
  // Elementwise, fused.
  check_jvp(tl::exp(a) * tl::sin(b) + tl::tanh(a * b), a, b, s34, s34, "exp, sin, tanh, mul, add");
  check_jvp(tl::log(tl::softplus(a)) / (1 + tl::square(b)), a, b, s34, s34, "log, softplus, div, square");
  check_jvp(tl::sqrt(tl::abs(a) + 0.5) - tl::sigmoid(a) * tl::relu(b), a, b, s34, s34, "sqrt, abs, sigmoid, relu");
  check_jvp(tl::pow(tl::abs(a) + 1, b) + tl::gelu(a), a, b, s34, s34, "pow, gelu");
  check_jvp(tl::where(a > b, a * a, -a) + tl::max(a, b), a, b, s34, s34, "where, compare, max");
  check_jvp(a * r, a, r, s34, tt::index_t<1>{4}, "broadcast of a row");
  // Reductions.
  check_jvp(tl::sum<1>(tl::exp(a)), a, b, s34, s34, "sum over an axis");
  check_jvp(tl::mean(a * b), a, b, s34, s34, "mean");
  check_jvp(tl::amax<0>(a * b), a, b, s34, s34, "amax");
  // Views.
  check_jvp(tl::transpose(a) * 2, a, b, s34, s34, "transpose");
  check_jvp(tl::reshape<2, 6>(a * b), a, b, s34, s34, "reshape");
  check_jvp(tl::slice<1, 3>(a, tl::axis<1>) * 3, a, b, s34, s34, "slice");
  check_jvp(tl::flip<0>(a) - b, a, b, s34, s34, "flip");
  // Kernels.
  check_jvp(tl::matmul(tl::tanh(a), m), a, m, s34, tt::index_t<2>{4, 5}, "matmul");
  check_jvp(tl::matmul(a, r), a, r, s34, tt::index_t<1>{4}, "matrix-vector matmul");
  check_jvp(tl::concatenate<1>(a, tl::exp(b)), a, b, s34, s34, "concatenate");
  {
    INFO("take");
    std::mt19937_64 engine(3);
    const auto va = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    const auto v = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    const xt::xtensor<double, 1> which{3, 0, 3, 1, 2};
    const auto f = tl::take<1>(a, idx) * tl::take<1>(a, idx);
    auto step = tl::jvp(f, tl::wrt(a));
    const auto res = step(a = va, idx = which, tl::along(v));
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t k = 0; k < 5; ++k) {
        const auto c = static_cast<std::size_t>(which(k));
        CHECK(res.tangent()(i, k) == Approx(2 * va(i, c) * v(i, c)).epsilon(1e-14));
      }
  }
}

TEST_CASE("J v of amax with ties splits the direction as the gradient does", "[engine][forward_mode]") {
  constexpr auto a = tl::param<"a", tl::shape<2, 3>>;
  const xt::xtensor<double, 2> va{{1, 5, 5}, {2, 2, 2}};
  const xt::xtensor<double, 2> v{{0.5, 1, 3}, {1, 2, 6}};
  auto step = tl::jvp(tl::amax<1>(a), tl::wrt(a));
  const auto r = step(a = va, tl::along(v));
  CHECK(r.value()(0) == 5);
  CHECK(r.tangent()(0) == Approx(2.0));
  CHECK(r.tangent()(1) == Approx(3.0));
}

TEST_CASE("H v of a tensor loss against central differences of its gradient", "[engine][forward_mode]") {
  constexpr auto x = tl::input<"x", tl::shape<5, 3>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<3, 4>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<4, 2>>;
  const auto loss = tl::mean(tl::square(tl::matmul(tl::tanh(tl::matmul(x, w1)), w2))) + tl::sum(tl::exp(w1 * 0.3));
  std::mt19937_64 engine(11);
  const auto X = tt::random_tensor<double, 2>(engine, {5, 3}, -1, 1);
  const auto W1 = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  const auto W2 = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
  const auto V1 = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  const auto V2 = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
  auto h = tl::hvp(loss, tl::wrt(w1, w2));
  const auto r = h(x = X, w1 = W1, w2 = W2, tl::along(V1, V2));
  auto g = tl::compile(loss, tl::wrt(w1, w2));
  const auto plain = g(x = X, w1 = W1, w2 = W2);
  CHECK(r.value() == Approx(plain.value()).epsilon(1e-14));
  tt::check_value<double>(r.grad(w1), plain.grad(w1), "gradient w1");
  tt::check_value<double>(r.grad(w2), plain.grad(w2), "gradient w2");
  // d/dt grad(w + t v) at t = 0.
  const double e = 1e-6;
  xt::xtensor<double, 2> p1 = W1 + e * V1, p2 = W2 + e * V2, m1 = W1 - e * V1, m2 = W2 - e * V2;
  auto gp = tl::compile(loss, tl::wrt(w1, w2));
  auto gm = tl::compile(loss, tl::wrt(w1, w2));
  const auto rp = gp(x = X, w1 = p1, w2 = p2);
  const auto rm = gm(x = X, w1 = m1, w2 = m2);
  const xt::xtensor<double, 2> fd1 = (rp.grad(w1) - rm.grad(w1)) / (2 * e);
  const xt::xtensor<double, 2> fd2 = (rp.grad(w2) - rm.grad(w2)) / (2 * e);
  tt::check_all_close(r.hvp(w1), fd1, 1e-6, 1e-7, "H v, block w1");
  tt::check_all_close(r.hvp(w2), fd2, 1e-6, 1e-7, "H v, block w2");
  // Directions held by the step.
  auto held = tl::hvp(loss, tl::wrt(w1, w2), V1, V2);
  const auto again = held(x = X, w1 = W1, w2 = W2);
  tt::check_value<double>(again.hvp(w1), r.hvp(w1), "held directions");
}

TEST_CASE("the Hessian of a tensor loss is dense, symmetric and matches closed forms", "[engine][forward_mode]") {
  constexpr auto x = tl::param<"x", tl::shape<3>>;
  constexpr auto y = tl::param<"y", tl::shape<2>>;
  // f = sum(x^3) + sum(x)·sum(y^2): H_xx = diag(6x), H_xy = 2 y_j, H_yy = 2 sum(x) I.
  const auto f = tl::sum(x * x * x) + tl::sum(x) * tl::sum(y * y);
  const xt::xtensor<double, 1> X{0.5, -1.0, 2.0}, Y{1.5, -0.25};
  auto hf = tl::hessian(f, tl::wrt(x, y));
  const auto h = hf(x = X, y = Y);
  REQUIRE(h.shape()[0] == 5);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(h(i, j) == Approx(i == j ? 6 * X(i) : 0.0).margin(1e-14));
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 2; ++j) {
      CHECK(h(i, 3 + j) == Approx(2 * Y(j)));
      CHECK(h(3 + j, i) == Approx(2 * Y(j)));
    }
  CHECK(h(3, 3) == Approx(2 * 1.5));
  CHECK(h(4, 4) == Approx(2 * 1.5));
  CHECK(h(3, 4) == Approx(0.0).margin(1e-14));
  // One leaf: shape x.shape ++ x.shape.
  auto hx = tl::hessian(f, x);
  const auto hxx = hx(x = X, y = Y);
  STATIC_REQUIRE(std::remove_cvref_t<decltype(hxx)>::rank == 2);
  CHECK(hxx(2, 2) == Approx(12.0));
}

TEST_CASE("the Jacobian of a tensor graph, by rows and by columns", "[engine][forward_mode]") {
  constexpr auto w = tl::param<"w", tl::shape<3, 4>>;
  constexpr auto v = tl::input<"v", tl::shape<4>>;
  std::mt19937_64 engine(5);
  const auto W = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
  const auto V = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
  // Three outputs, twelve inputs: three reverse sweeps. J[i, (i', k)] = (1 - h_i²) δ_ii' v_k.
  auto jf = tl::jacobian(tl::tanh(tl::matmul(w, v)), w);
  const auto j = jf(w = W, v = V);
  REQUIRE(j.dimension() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    double z = 0;
    for (std::size_t k = 0; k < 4; ++k) z += W(i, k) * V(k);
    const double d = 1 - std::tanh(z) * std::tanh(z);
    for (std::size_t i2 = 0; i2 < 3; ++i2)
      for (std::size_t k = 0; k < 4; ++k) CHECK(j(i, i2, k) == Approx(i == i2 ? d * V(k) : 0.0).margin(1e-15));
  }
  // Twelve outputs, four inputs: four forward sweeps. d(exp(w) * v)[i, k] / dv[k'] = exp(w_ik) δ_kk'.
  constexpr auto p = tl::param<"p", tl::shape<4>>;
  auto jp = tl::jacobian(tl::exp(w) * p, p);
  const auto jj = jp(w = W, p = V);
  REQUIRE(jj.dimension() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < 4; ++k)
      for (std::size_t k2 = 0; k2 < 4; ++k2) CHECK(jj(i, k, k2) == Approx(k == k2 ? std::exp(W(i, k)) : 0.0).margin(1e-15));
}

TEST_CASE("a direction of the wrong extents names the leaf", "[engine][forward_mode]") {
  constexpr auto a = tl::param<"a", tl::shape<tl::dynamic, 3>>;
  const xt::xtensor<double, 2> va = xt::ones<double>({2, 3});
  const xt::xtensor<double, 2> v = xt::ones<double>({3, 3});
  auto step = tl::jvp(tl::exp(a), tl::wrt(a));
  CHECK_THROWS_WITH(step(a = va, tl::along(v)),
                    "tapeless: the direction for leaf \"a\" has extents [3, 3], but the leaf is bound to extents [2, 3]");
}

TEST_CASE("tl::derivative of a tensor graph", "[engine][forward_mode]") {
  constexpr auto s = tl::scalar<"s">;
  constexpr auto a = tl::param<"a", tl::shape<2, 3>>;
  const xt::xtensor<double, 2> A{{0.5, -1, 2}, {0.25, 1.5, -0.75}};
  const auto f = tl::sum(tl::exp(s * a));
  // d/ds = sum(a exp(s a)), one forward sweep.
  const double ds = tl::derivative(f, s).at(s = 0.3, a = A);
  double want = 0;
  for (double v : A) want += v * std::exp(0.3 * v);
  CHECK(ds == Approx(want).epsilon(1e-14));
  // d/da = s exp(s a), of a's shape.
  const auto da = tl::derivative(f, a).at(s = 0.3, a = A);
  REQUIRE(da.dimension() == 2);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(da(i, j) == Approx(0.3 * std::exp(0.3 * A(i, j))).epsilon(1e-14));
}

TEST_CASE("J v uses each op's own JVP rule: ties of max split, detach stops the direction", "[engine][forward_mode]") {
  constexpr auto a = tl::param<"a", tl::shape<3>>;
  constexpr auto b = tl::param<"b", tl::shape<3>>;
  const xt::xtensor<double, 1> va{1, 2, 3}, vb{1, 5, 0}, da{1, 1, 1}, db{3, 3, 3};
  auto m = tl::jvp(tl::max(a, b), tl::wrt(a, b));
  const auto r = m(a = va, b = vb, tl::along(da, db));
  CHECK(r.tangent()(0) == 2.0);  // tie: (1 + 3) / 2, as the gradient gives 1/2 to each
  CHECK(r.tangent()(1) == 3.0);
  CHECK(r.tangent()(2) == 1.0);
  auto d = tl::jvp(tl::detach(a) * a, tl::wrt(a));
  const auto s = d(a = va, tl::along(da));
  for (std::size_t i = 0; i < 3; ++i) CHECK(s.tangent()(i) == va(i));
}

TEST_CASE("H v and J v through BLAS products on dual numbers, every orientation", "[engine][forward_mode]") {
  // A dynamic batch keeps the products off the inline kernel: every one runs BLAS on value and
  // derivative planes, forward (x w1, transposed w2) and reverse (transposed operands).
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 30>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<30, 20>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<7, 20>>;
  const auto loss = tl::sum(tl::square(tl::matmul(tl::tanh(tl::matmul(x, w1)), tl::transpose(w2))));
  std::mt19937_64 engine(21);
  const auto X = tt::random_tensor<double, 2>(engine, {9, 30}, -1, 1);
  const auto W1 = tt::random_tensor<double, 2>(engine, {30, 20}, -0.5, 0.5);
  const auto W2 = tt::random_tensor<double, 2>(engine, {7, 20}, -0.5, 0.5);
  const auto V1 = tt::random_tensor<double, 2>(engine, {30, 20}, -1, 1);
  const auto V2 = tt::random_tensor<double, 2>(engine, {7, 20}, -1, 1);
  auto h = tl::hvp(loss, tl::wrt(w1, w2));
  const auto r = h(x = X, w1 = W1, w2 = W2, tl::along(V1, V2));
  const double e = 1e-6;
  const xt::xtensor<double, 2> p1 = W1 + e * V1, p2 = W2 + e * V2, m1 = W1 - e * V1, m2 = W2 - e * V2;
  auto g = tl::compile(loss, tl::wrt(w1, w2));
  const xt::xtensor<double, 2> gp1 = g(x = X, w1 = p1, w2 = p2).grad(w1);
  const xt::xtensor<double, 2> gp2 = g(x = X, w1 = p1, w2 = p2).grad(w2);
  const xt::xtensor<double, 2> gm1 = g(x = X, w1 = m1, w2 = m2).grad(w1);
  const xt::xtensor<double, 2> gm2 = g(x = X, w1 = m1, w2 = m2).grad(w2);
  tt::check_all_close(r.hvp(w1), xt::eval((gp1 - gm1) / (2 * e)), 1e-6, 1e-7, "H v, block w1");
  tt::check_all_close(r.hvp(w2), xt::eval((gp2 - gm2) / (2 * e)), 1e-6, 1e-7, "H v, block w2");
  const xt::xtensor<double, 2> g1 = g(x = X, w1 = W1, w2 = W2).grad(w1);
  tt::check_value<double>(r.grad(w1), g1, "gradient on dual numbers");
  // J v = <grad, v>.
  auto j = tl::jvp(loss, tl::wrt(w1, w2));
  const double jv = j(x = X, w1 = W1, w2 = W2, tl::along(V1, V2)).tangent();
  const auto plain = g(x = X, w1 = W1, w2 = W2);
  double want = 0;
  for (std::size_t i = 0; i < V1.size(); ++i) want += V1.data()[i] * plain.grad(w1).data()[i];
  for (std::size_t i = 0; i < V2.size(); ++i) want += V2.data()[i] * plain.grad(w2).data()[i];
  CHECK(jv == Approx(want).epsilon(1e-12));
}

namespace {

/// H v and J v of `loss` along (da, db) for the wrt leaves a and b (other leaves bound by
/// `fixed`): H v against central differences of the reverse-mode gradient, the gradient on dual
/// numbers against the plain one, and J v against <grad, v>.
template <class L, class A, class B, class VA, class VB, class... Fixed>
void check_second_order(const std::string& what, const L& loss, const A& a, const B& b, const VA& pa, const VB& pb,
                        const VA& da, const VB& db, const Fixed&... fixed) {
  INFO(what);
  auto h = tl::hvp(loss, tl::wrt(a, b));
  const auto r = h(a = pa, b = pb, fixed..., tl::along(da, db));
  auto g = tl::compile(loss, tl::wrt(a, b));
  const double e = 1e-6;
  const VA ap = pa + e * da, am = pa - e * da;
  const VB bp = pb + e * db, bm = pb - e * db;
  const VA gap = g(a = ap, b = bp, fixed...).grad(a);
  const VB gbp = g(a = ap, b = bp, fixed...).grad(b);
  const VA gam = g(a = am, b = bm, fixed...).grad(a);
  const VB gbm = g(a = am, b = bm, fixed...).grad(b);
  tt::check_all_close(r.hvp(a), xt::eval((gap - gam) / (2 * e)), 1e-6, 1e-7, what + ": H v, first block");
  tt::check_all_close(r.hvp(b), xt::eval((gbp - gbm) / (2 * e)), 1e-6, 1e-7, what + ": H v, second block");
  const VA ga = g(a = pa, b = pb, fixed...).grad(a);
  const VB gb = g(a = pa, b = pb, fixed...).grad(b);
  tt::check_value<double>(r.grad(a), ga, what + ": gradient on dual numbers");
  tt::check_value<double>(r.grad(b), gb, what + ": gradient on dual numbers");
  auto j = tl::jvp(loss, tl::wrt(a, b));
  const double jv = j(a = pa, b = pb, fixed..., tl::along(da, db)).tangent();
  CHECK(jv == Approx(dot(da, ga) + dot(db, gb)).epsilon(1e-12));
}

}  // namespace

TEST_CASE("H v and J v with leaves that only products read, bound in place as planes", "[engine][forward_mode]") {
  // Such a leaf is not packed into dual numbers: the products read the binding's memory and
  // the direction's (or none) in place. Shared by two products and on both sides of one, as a
  // vector on either side, broadcast over batches, and through the inline kernel of small
  // static products.
  std::mt19937_64 engine(33);
  SECTION("shared, both sides, vector on the right") {
    constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 6>>;
    constexpr auto w = tl::param<"w", tl::shape<6, 6>>;
    constexpr auto u = tl::param<"u", tl::shape<6>>;
    const auto loss = tl::sum(tl::square(tl::matmul(tl::tanh(tl::matmul(tl::matmul(x, w), w)), u)));
    const auto X = tt::random_tensor<double, 2>(engine, {11, 6}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {6, 6}, -0.6, 0.6);
    const auto U = tt::random_tensor<double, 1>(engine, {6}, -1, 1);
    const auto DW = tt::random_tensor<double, 2>(engine, {6, 6}, -1, 1);
    const auto DU = tt::random_tensor<double, 1>(engine, {6}, -1, 1);
    check_second_order("x w w u", loss, w, u, W, U, DW, DU, x = X);
  }
  SECTION("batches broadcast a matrix; a vector on the left") {
    constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 5, 4>>;
    constexpr auto w = tl::param<"w", tl::shape<4, 3>>;
    constexpr auto v = tl::param<"v", tl::shape<5>>;
    const auto loss = tl::sum(tl::square(tl::matmul(v, tl::tanh(tl::matmul(x, w)))));
    const auto X = tt::random_tensor<double, 3>(engine, {3, 5, 4}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {4, 3}, -0.8, 0.8);
    const auto V = tt::random_tensor<double, 1>(engine, {5}, -1, 1);
    const auto DW = tt::random_tensor<double, 2>(engine, {4, 3}, -1, 1);
    const auto DV = tt::random_tensor<double, 1>(engine, {5}, -1, 1);
    check_second_order("v tanh(x w), batched x", loss, w, v, W, V, DW, DV, x = X);
  }
  SECTION("both operands moving, broadcast batch of extent 1") {
    constexpr auto a = tl::param<"a", tl::shape<tl::dynamic, 3, 4>>;
    constexpr auto w = tl::param<"w", tl::shape<1, 4, 5>>;
    const auto loss = tl::sum(tl::square(tl::tanh(tl::matmul(a, w))));
    const auto A = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
    const auto W = tt::random_tensor<double, 3>(engine, {1, 4, 5}, -0.8, 0.8);
    const auto DA = tt::random_tensor<double, 3>(engine, {2, 3, 4}, -1, 1);
    const auto DW = tt::random_tensor<double, 3>(engine, {1, 4, 5}, -1, 1);
    check_second_order("a w, batched", loss, a, w, A, W, DA, DW);
  }
  SECTION("small static product (inline kernel)") {
    constexpr auto a = tl::param<"a", tl::shape<3, 4>>;
    constexpr auto w = tl::param<"w", tl::shape<4, 2>>;
    const auto loss = tl::sum(tl::exp(tl::matmul(a, w) * 0.3)) + tl::sum(tl::square(tl::matmul(a, w)));
    const auto A = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
    const auto DA = tt::random_tensor<double, 2>(engine, {3, 4}, -1, 1);
    const auto DW = tt::random_tensor<double, 2>(engine, {4, 2}, -1, 1);
    check_second_order("a w, static", loss, a, w, A, W, DA, DW);
  }
  SECTION("a leaf that an elementwise op reads too is packed") {
    constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 4>>;
    constexpr auto w = tl::param<"w", tl::shape<4, 4>>;
    constexpr auto b = tl::param<"b", tl::shape<4>>;
    const auto loss = tl::sum(tl::square(tl::tanh(tl::matmul(x, w) + b))) + tl::sum(tl::exp(w * 0.5));
    const auto X = tt::random_tensor<double, 2>(engine, {7, 4}, -1, 1);
    const auto W = tt::random_tensor<double, 2>(engine, {4, 4}, -0.8, 0.8);
    const auto B = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
    const auto DW = tt::random_tensor<double, 2>(engine, {4, 4}, -1, 1);
    const auto DB = tt::random_tensor<double, 1>(engine, {4}, -1, 1);
    check_second_order("tanh(x w + b), exp(w)", loss, w, b, W, B, DW, DB, x = X);
  }
}
