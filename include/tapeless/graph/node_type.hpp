#pragma once
// Recovering the type of node I of a graph, by descending from the root through the consumer
// that the walk recorded. Only code emission needs types; the algorithms work on ids.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "analysis.hpp"

namespace tapeless::graph {

template <class Root, std::size_t I, bool IsRoot = (I + 1 == node_count_v<Root>)>
struct node_at {
  using type = Root;
};

template <class Root, std::size_t I>
struct node_at<Root, I, false> {
  using type = typename node_at<Root, graph_v<Root>.nodes[I].consumer>::type::template operand_type<graph_v<Root>.nodes[I].slot>;
};

/// The expression type of node I in the graph of Root.
template <class Root, std::size_t I>
using node_type_t = typename node_at<Root, I>::type;

/// The operand slots leading from the root down to node I, as an index_sequence.
template <class Root, std::size_t I>
struct path_to {
  static constexpr std::size_t depth = [] {
    std::size_t d = 0;
    for (std::size_t n = I; graph_v<Root>.nodes[n].consumer != npos; n = graph_v<Root>.nodes[n].consumer) ++d;
    return d;
  }();
  static constexpr std::array<std::size_t, depth> slots = [] {
    std::array<std::size_t, depth> s{};
    std::size_t d = depth;
    for (std::size_t n = I; graph_v<Root>.nodes[n].consumer != npos; n = graph_v<Root>.nodes[n].consumer)
      s[--d] = graph_v<Root>.nodes[n].slot;
    return s;
  }();
  template <std::size_t... D>
  static auto make(std::index_sequence<D...>) -> std::index_sequence<slots[D]...>;
  using type = decltype(make(std::make_index_sequence<depth>{}));
};

}  // namespace tapeless::graph
