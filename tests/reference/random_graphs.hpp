#pragma once
// Checks a range of random expressions (random_expr.hpp) against LibTorch and finite
// differences at several random bindings, and checks that the range as a whole exercises what
// it is meant to: every op, and shared subexpressions.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>

#include <tapeless/tapeless.hpp>

#include "random_expr.hpp"
#include "reference_checks.hpp"

namespace tapeless::testing {

/// The op names of the reference graph: add sub mul div neg square pow exp log sqrt abs sin cos
/// tanh sigmoid relu softplus max min.
inline const std::set<std::string> all_op_names{
    "add", "sub", "mul", "div", "neg", "square", "pow", "exp", "log", "sqrt",
    "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "max", "min"};

/// What a range of random graphs covered.
struct coverage {
  std::set<std::string> ops;
  std::size_t with_shared_op_node = 0;  ///< graphs where some op node has several consumers
  std::size_t graphs = 0;
};

inline void record(coverage& c, const reference::graph& g) {
  std::map<std::size_t, std::size_t> uses;
  for (const reference::graph_node& n : g.nodes) {
    if (n.kind == reference::node_kind::op) c.ops.insert(n.name);
    for (std::size_t k : n.operands) ++uses[k];
  }
  bool shared = false;
  for (const auto& [id, count] : uses) shared = shared || (count > 1 && g.nodes[id].kind == reference::node_kind::op);
  c.with_shared_op_node += shared;
  ++c.graphs;
}

inline constexpr int bindings_per_graph = 3;

template <class T, std::uint64_t Seed>
void check_random_graph(coverage& covered) {
  constexpr auto e = random_expr<T, Seed>();
  constexpr auto a = random::leaf<T, 0>();
  constexpr auto b = random::leaf<T, 1>();
  constexpr auto c = random::leaf<T, 2>();
  constexpr auto d = random::leaf<T, 3>();
  constexpr auto u = random::leaf<T, 4>();
  INFO("random graph " << Seed << " with " << graph::node_count_v<decltype(e)> << " nodes");
  record(covered, describe(e));
  std::mt19937_64 engine(Seed);
  std::uniform_real_distribution<double> uniform(-1.2, 1.2);
  for (int k = 0; k < bindings_per_graph; ++k) {
    std::array<T, 5> at{};
    for (T& v : at) v = static_cast<T>(uniform(engine));
    check_against_reference(e, at, a, b, c, d, u);
  }
}

/// Checks the graphs of seeds First, First + 1, ..., First + Count - 1.
template <class T, std::uint64_t First, std::size_t Count>
void check_random_graphs() {
  coverage covered;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (check_random_graph<T, First + I>(covered), ...);
  }(std::make_index_sequence<Count>{});
  CHECK(covered.graphs == Count);
  CHECK(covered.ops == all_op_names);
  CHECK(2 * covered.with_shared_op_node >= covered.graphs);
}

}  // namespace tapeless::testing
