// The compile cost of a Hessian-vector product: tl::hvp of seed 003's two-layer network (W1's
// extents) in a translation unit of its own, run once at the shared initial weights and checked
// against central differences of the gradient (tl::compile) along the same direction.
#include <cmath>
#include <cstdio>
#include <tapeless/tapeless.hpp>
#include <xtensor/xtensor.hpp>

#include "w1_common.hpp"

namespace tl = tapeless;

namespace {
constexpr auto x = tl::input<"x", tl::shape<w1::N, w1::D_in>>;
constexpr auto y = tl::input<"y", tl::shape<w1::N, w1::D_out>>;
constexpr auto w1p = tl::param<"w1", tl::shape<w1::D_in, w1::H>>;
constexpr auto w2p = tl::param<"w2", tl::shape<w1::H, w1::D_out>>;
constexpr auto loss = tl::sum(tl::square(tl::matmul(tl::relu(tl::matmul(x, w1p)), w2p) - y));

xt::xtensor<double, 2> matrix(const std::vector<double>& v, std::size_t rows, std::size_t cols) {
  xt::xtensor<double, 2> m = xt::xtensor<double, 2>::from_shape({rows, cols});
  std::copy(v.begin(), v.end(), m.begin());
  return m;
}
}  // namespace

int main() {
  const auto& d = w1::shared_data<double>();
  const auto X = matrix(d.x, w1::N, w1::D_in), Y = matrix(d.y, w1::N, w1::D_out);
  const auto W1 = matrix(d.w1, w1::D_in, w1::H), W2 = matrix(d.w2, w1::H, w1::D_out);
  const auto V1 = matrix(w1::direction(w1::D_in * w1::H, 5), w1::D_in, w1::H);
  const auto V2 = matrix(w1::direction(w1::H * w1::D_out, 6), w1::H, w1::D_out);
  auto h = tl::hvp(loss, tl::wrt(w1p, w2p));
  const auto r = h(x = X, y = Y, w1p = W1, w2p = W2, tl::along(V1, V2));
  // <v, H v> against <v, (g(w + e v) - g(w - e v)) / 2e>; the loss is quadratic in w2 and
  // piecewise quadratic in w1, so the differences are exact up to rounding and relu's kinks.
  const double e = 1e-4;
  const xt::xtensor<double, 2> P1 = W1 + e * V1, P2 = W2 + e * V2, M1 = W1 - e * V1, M2 = W2 - e * V2;
  auto g = tl::compile(loss, tl::wrt(w1p, w2p));
  const auto gp = g(x = X, y = Y, w1p = P1, w2p = P2);
  double up = 0;
  for (std::size_t i = 0; i < V1.size(); ++i) up += V1.data()[i] * gp.grad(w1p).data()[i];
  for (std::size_t i = 0; i < V2.size(); ++i) up += V2.data()[i] * gp.grad(w2p).data()[i];
  const auto gm = g(x = X, y = Y, w1p = M1, w2p = M2);
  double down = 0;
  for (std::size_t i = 0; i < V1.size(); ++i) down += V1.data()[i] * gm.grad(w1p).data()[i];
  for (std::size_t i = 0; i < V2.size(); ++i) down += V2.data()[i] * gm.grad(w2p).data()[i];
  double vhv = 0;
  for (std::size_t i = 0; i < V1.size(); ++i) vhv += V1.data()[i] * r.hvp(w1p).data()[i];
  for (std::size_t i = 0; i < V2.size(); ++i) vhv += V2.data()[i] * r.hvp(w2p).data()[i];
  const double fd = (up - down) / (2 * e);
  const double rel = std::fabs(vhv - fd) / std::fabs(fd);
  std::printf("w1_hvp loss=%.12g <v, H v>=%.12g central difference %.12g (relative %.1e)\n", r.value(), vhv, fd, rel);
  return rel < 1e-6 ? 0 : 1;
}
