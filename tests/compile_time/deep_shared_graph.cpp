// Compile time of a deep graph with heavy sharing: each layer uses the previous one twice and the
// one before once, so the expression written as a tree grows like the Fibonacci numbers while the
// graph grows by three nodes per layer. Every entry point must cost time linear in the nodes;
// a template that walks the expression's type as a tree (a fixed `const E&` parameter beside
// deduced ones is enough, with GCC) makes this file take minutes instead of seconds, and its
// test times out.
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;

namespace {

constexpr auto x = tl::param<"x">;
constexpr auto w = tl::param<"w">;
constexpr auto b = tl::param<"b">;
constexpr auto c = tl::input<"c">;

// h0 = x, h1 = w c + b, h(k+1) = sin(h(k)) h(k-1) + h(k): 6 nodes, then 3 per layer. Variable
// templates, so that each layer is evaluated once.
template <int K>
constexpr auto layer = tl::sin(layer<K - 1>) * layer<K - 2> + layer<K - 1>;
template <>
constexpr auto layer<0> = x;
template <>
constexpr auto layer<1> = w * c + b;

constexpr auto root = tl::tanh(layer<32>);
static_assert(tl::graph::node_count_v<decltype(root)> == 100, "the deep graph has 100 unique nodes");

}  // namespace

// Every entry point over the deep graph, instantiated (not run).
double deep_shared_graph(double xv, double wv, double bv, double cv) {
  double sum = tl::value(root, x = xv, w = wv, b = bv, c = cv);
  sum += tl::grad(root, x).at(x = xv, w = wv, b = bv, c = cv);
  sum += tl::value_and_grad(root, x, w, b).at(x = xv, w = wv, b = bv, c = cv).value;
  sum += tl::derivative(root, w).at(x = xv, w = wv, b = bv, c = cv);
  auto step = tl::compile(root, tl::wrt(x, w, b));
  sum += step(x = xv, w = wv, b = bv, c = cv).grad(b);
  sum += tl::jvp(root, tl::wrt(x, w), 1.0, 0.5).at(x = xv, w = wv, b = bv, c = cv).tangent;
  sum += tl::hvp(root, tl::wrt(x, w, b), 1.0, 0.5, -0.25).at(x = xv, w = wv, b = bv, c = cv).hvp[1];
  sum += tl::hessian(root, x).at(x = xv, w = wv, b = bv, c = cv);
  return sum;
}
