// Compile-time graph algorithms: unique nodes, topological order, fan-out, adjoint planning.
#include <catch2/catch.hpp>
#include <tapeless/tapeless.hpp>

namespace tl = tapeless;
namespace g = tapeless::graph;

namespace {
constexpr auto i = tl::param<"i">;
constexpr auto h = tl::param<"h">;
constexpr auto x = tl::input<"x">;

template <class E>
constexpr bool topologically_ordered() {
  const auto& graph = g::graph_v<E>;
  for (std::size_t n = 0; n < graph.size(); ++n)
    for (std::size_t k = 0; k < graph.nodes[n].arity; ++k)
      if (graph.nodes[n].operands[k] >= n) return false;
  return true;
}

template <class E>
constexpr std::size_t fan_out_of(const auto& leaf) {
  return g::graph_v<E>.nodes[g::graph_v<E>.find(g::descriptor_v<std::remove_cvref_t<decltype(leaf)>>)].fan_out;
}
}  // namespace

TEST_CASE("a repeated subexpression is one node and its uses are counted", "[graph]") {
  constexpr auto k = (i + h) * i;  // seed 002
  using K = decltype(k);
  STATIC_REQUIRE(g::node_count_v<K> == 4);
  STATIC_REQUIRE(topologically_ordered<K>());
  STATIC_REQUIRE(fan_out_of<K>(i) == 2);
  STATIC_REQUIRE(fan_out_of<K>(h) == 1);
  STATIC_REQUIRE(g::graph_v<K>.nodes[g::graph_v<K>.root()].descriptor->name == "mul");
  STATIC_REQUIRE(g::graph_v<K>.nodes[g::graph_v<K>.root()].fan_out == 0);

  constexpr auto sq = i * i;  // both operand slots point at one node
  STATIC_REQUIRE(g::node_count_v<decltype(sq)> == 2);
  STATIC_REQUIRE(fan_out_of<decltype(sq)>(i) == 2);
}

TEST_CASE("deep sharing stays linear in the number of unique nodes", "[graph]") {
  constexpr auto l1 = tl::sin(i) * i;
  constexpr auto l2 = tl::sin(l1) * l1;
  constexpr auto l3 = tl::sin(l2) * l2;
  constexpr auto l4 = tl::sin(l3) * l3;
  constexpr auto l5 = tl::sin(l4) * l4;
  // As a tree this expression has 2^6 - 1 nodes; as a graph, 11.
  STATIC_REQUIRE(g::node_count_v<decltype(l5)> == 11);
  STATIC_REQUIRE(std::is_empty_v<decltype(l5)>);
  STATIC_REQUIRE(topologically_ordered<decltype(l5)>());
}

TEST_CASE("constants that may differ are never merged; literals with one value are", "[graph]") {
  constexpr auto c = x * 2.0 + x * 3.0;  // two nodes of one type, holding different numbers
  using C = decltype(c);
  STATIC_REQUIRE(std::is_same_v<C::operand_type<0>, C::operand_type<1>>);
  STATIC_REQUIRE(g::node_count_v<C> == 6);  // x, 2, x*2, 3, x*3, sum
  STATIC_REQUIRE(g::graph_v<C>.count(tl::node_kind::constant) == 2);
  STATIC_REQUIRE(tl::value(c, x = 1.0) == 5.0);

  constexpr auto l = x * tl::lit<2.0> + x * tl::lit<2.0>;  // the same literal: one node each
  STATIC_REQUIRE(g::node_count_v<decltype(l)> == 4);         // x, 2, x*2, sum
  STATIC_REQUIRE(tl::value(l, x = 1.5) == 6.0);
  constexpr auto m = x * tl::lit<2.0> + x * tl::lit<3.0>;
  STATIC_REQUIRE(g::node_count_v<decltype(m)> == 6);
  STATIC_REQUIRE(tl::value(m, x = 1.0) == 5.0);
}

TEST_CASE("only nodes between a wrt leaf and the root get an adjoint", "[graph]") {
  constexpr auto e = tl::exp(x) * i + tl::sin(x);
  using E = decltype(e);
  constexpr auto plan = g::plan_adjoints(g::graph_v<E>, std::array{g::graph_v<E>.find(g::descriptor_v<decltype(i)>)});
  constexpr std::size_t needed = [&] {
    std::size_t n = 0;
    for (bool b : plan.needed) n += b;
    return n;
  }();
  STATIC_REQUIRE(plan.complete);
  STATIC_REQUIRE(needed == 3);  // i, exp(x) * i, the sum; not x, exp(x), sin(x)
  STATIC_REQUIRE(!plan.needed[g::graph_v<E>.find(g::descriptor_v<decltype(x)>)]);
}

TEST_CASE("leaves with one name and different types are reported", "[graph]") {
  constexpr auto a = tl::input<"a">;
  constexpr auto a_param = tl::param<"a">;
  constexpr auto a_float = tl::input<"a", tl::shape<>, float>;
  STATIC_REQUIRE(g::graph_v<decltype(a + a_param)>.name_conflict);
  STATIC_REQUIRE(!g::graph_v<decltype(a + a)>.name_conflict);
  STATIC_REQUIRE(g::graph_v<decltype(a_float * tl::input<"a", tl::shape<>, float>)>.name_conflict == false);
  (void)a_float;
}
