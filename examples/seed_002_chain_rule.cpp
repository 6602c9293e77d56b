// Seed 002: the chain rule over a graph. In k = (i + h) * i the leaf i reaches k along two
// paths, and its gradient is the sum of both: dk/di = (i + h) + i = 2i + h, dk/dh = i.
// At i = 2, h = 3: k = 10, dk/di = 7, dk/dh = 2.
#include <cstdio>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

constexpr auto i = tl::param<"i">;
constexpr auto h = tl::param<"h">;
constexpr auto k = (i + h) * i;

// The graph has four unique nodes (i, h, i + h, k); i is used twice (fan-out 2).
static_assert(tl::graph::node_count_v<decltype(k)> == 4);
// Both gradients are known at compile time.
static_assert(tl::grad(k, i, h).at(i = 2.0, h = 3.0)[i] == 7.0);

int main() {
  const auto r = tl::value_and_grad(k, i, h).at(i = 2.0, h = 3.0);
  std::printf("k = %g\n", r.value);
  std::printf("dk/di = %g\n", r.grad[i]);
  std::printf("dk/dh = %g\n", r.grad[h]);
  return 0;
}
