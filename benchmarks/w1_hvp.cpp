// The compile cost of a Hessian-vector product: tl::hvp of seed 003's two-layer network (W1's
// extents) in a translation unit of its own, run once at the shared initial weights and checked
// against central differences of the gradient (tl::compile) along the same direction.
#include <cmath>
#include <cstdio>

#include "w1_second_order.hpp"

namespace tl = tapeless;
using namespace w1::second;

int main() {
  const problem p;
  const auto &X = p.X, &Y = p.Y, &W1 = p.W1, &W2 = p.W2, &V1 = p.V1, &V2 = p.V2;
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
