#pragma once
// Compile-time graph algorithms as constexpr code over arrays of node ids: the unique nodes in
// topological order, operand ids, fan-out, and a consumer through which each node's type can be
// recovered. One iterative walk (no recursion over types), so cost grows about linearly with
// the number of unique nodes.
#include <array>
#include <cstddef>
#include <limits>
#include <vector>

#include "descriptor.hpp"

namespace tapeless::graph {

inline constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
/// Most operands a node may have.
inline constexpr std::size_t max_arity = 4;

struct node_record {
  const node_descriptor* descriptor = nullptr;
  std::size_t arity = 0;
  std::array<std::size_t, max_arity> operands{};  ///< ids of the operand nodes
  std::size_t consumer = npos;  ///< a node that uses this one (npos for the root)
  std::size_t slot = 0;         ///< which operand of `consumer` this node is
  std::size_t fan_out = 0;      ///< number of operand edges that use this node
};

struct walk_result {
  std::vector<node_record> nodes;  ///< unique nodes; operands come before their consumers
  bool name_conflict = false;      ///< two different leaves share one name
};

/// Whether two descriptors are one node type. The hash is compared first: it differs for
/// different types except by astronomically rare collision, so the address comparison (which
/// some compiler flags, e.g. -fno-delete-null-pointer-checks, cannot evaluate at compile time for
/// two distinct objects) is made only between equal descriptors.
constexpr bool same_node(const node_descriptor* a, const node_descriptor* b) {
  return a->hash == b->hash && a == b;
}

namespace detail {

// Open-addressing map from descriptor to node id; positional descriptors never enter it.
struct identity_table {
  std::vector<std::size_t> slots = std::vector<std::size_t>(64, npos);

  constexpr std::size_t find(const std::vector<node_record>& nodes, const node_descriptor* d) const {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = d->hash & mask;; i = (i + 1) & mask) {
      if (slots[i] == npos) return npos;
      if (same_node(nodes[slots[i]].descriptor, d)) return slots[i];
    }
  }
  constexpr void insert(const std::vector<node_record>& nodes, std::size_t id) {
    if (2 * (id + 1) > slots.size()) {
      std::vector<std::size_t> old = std::move(slots);
      slots = std::vector<std::size_t>(2 * old.size(), npos);
      for (std::size_t s : old)
        if (s != npos) place(nodes, s);
    }
    place(nodes, id);
  }
  constexpr void place(const std::vector<node_record>& nodes, std::size_t id) {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = nodes[id].descriptor->hash & mask;
    while (slots[i] != npos) i = (i + 1) & mask;
    slots[i] = id;
  }
};

}  // namespace detail

/// Depth-first walk from the root: every unique node once, in post-order (a topological order).
constexpr walk_result walk(const node_descriptor* root) {
  struct frame {
    const node_descriptor* descriptor;
    std::size_t next = 0;
    std::array<std::size_t, max_arity> ids{};
  };
  walk_result out;
  detail::identity_table table;
  std::vector<std::size_t> leaves;
  std::vector<frame> stack;
  stack.push_back({root});
  while (!stack.empty()) {
    frame& top = stack.back();
    if (top.next < top.descriptor->arity) {
      const node_descriptor* operand = top.descriptor->operands[top.next];
      if (!operand->positional) {
        const std::size_t id = table.find(out.nodes, operand);
        if (id != npos) {
          top.ids[top.next++] = id;
          continue;
        }
      }
      stack.push_back({operand});
      continue;
    }
    const std::size_t id = out.nodes.size();
    node_record record{top.descriptor, top.descriptor->arity, top.ids};
    for (std::size_t k = 0; k < record.arity; ++k) {
      node_record& used = out.nodes[record.operands[k]];
      ++used.fan_out;
      if (used.consumer == npos) {
        used.consumer = id;
        used.slot = k;
      }
    }
    const node_kind kind = top.descriptor->kind;
    if (kind == node_kind::input || kind == node_kind::param) {
      for (std::size_t other : leaves)
        if (out.nodes[other].descriptor->name == top.descriptor->name) out.name_conflict = true;
      leaves.push_back(id);
    }
    const bool positional = top.descriptor->positional;
    out.nodes.push_back(record);
    if (!positional) table.insert(out.nodes, id);
    stack.pop_back();
    if (!stack.empty()) {
      frame& parent = stack.back();
      parent.ids[parent.next++] = id;
    }
  }
  return out;
}

/// The analysed graph of one expression type, with N unique nodes; the root is node N - 1.
template <std::size_t N>
struct graph_table {
  std::array<node_record, N> nodes{};
  bool name_conflict = false;

  static constexpr std::size_t size() noexcept { return N; }
  static constexpr std::size_t root() noexcept { return N - 1; }

  /// The id of the (non-positional) node with this descriptor, or npos.
  constexpr std::size_t find(const node_descriptor* d) const {
    for (std::size_t i = 0; i < N; ++i)
      if (same_node(nodes[i].descriptor, d)) return i;
    return npos;
  }

  /// Number of nodes of the given kind.
  constexpr std::size_t count(node_kind kind) const {
    std::size_t n = 0;
    for (const node_record& r : nodes) n += r.descriptor->kind == kind;
    return n;
  }
};

template <class E>
inline constexpr std::size_t node_count_v = walk(descriptor_v<E>).nodes.size();

/// The graph of expression type E, computed once per type at compile time.
template <class E>
inline constexpr graph_table<node_count_v<E>> graph_v = [] {
  const walk_result w = walk(descriptor_v<E>);
  graph_table<node_count_v<E>> g;
  for (std::size_t i = 0; i < g.size(); ++i) g.nodes[i] = w.nodes[i];
  g.name_conflict = w.name_conflict;
  return g;
}();

/// Which nodes need an adjoint for gradients with respect to the nodes `wrt`, and, for each
/// operand edge, whether it brings the first contribution to its operand's adjoint in the
/// reverse pass (assigned, not accumulated, so no buffer is zeroed first).
template <std::size_t N>
struct adjoint_plan {
  std::array<bool, N> needed{};
  std::array<std::array<bool, max_arity>, N> first{};
  bool complete = true;  ///< every wrt node was found
};

template <std::size_t N, std::size_t W>
constexpr adjoint_plan<N> plan_adjoints(const graph_table<N>& g, const std::array<std::size_t, W>& wrt) {
  adjoint_plan<N> plan;
  for (std::size_t w : wrt) {
    if (w >= N) plan.complete = false;
    else plan.needed[w] = true;
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (g.nodes[i].descriptor->stops_gradient) continue;  // detach: a constant for the reverse pass
    for (std::size_t k = 0; k < g.nodes[i].arity; ++k)
      if (plan.needed[g.nodes[i].operands[k]]) plan.needed[i] = true;
  }
  // A node needs an adjoint only if the root's adjoint reaches it: below a detach, nodes that
  // lead to a wrt leaf get none (the wrt leaves themselves keep theirs, which stays zero).
  std::array<bool, N> reaches{};
  if (N > 0) reaches[N - 1] = true;
  for (std::size_t i = N; i-- > 0;) {
    if (!reaches[i] || !plan.needed[i] || g.nodes[i].descriptor->stops_gradient) continue;
    for (std::size_t k = 0; k < g.nodes[i].arity; ++k) reaches[g.nodes[i].operands[k]] = true;
  }
  for (std::size_t i = 0; i < N; ++i) {
    bool is_wrt = false;
    for (std::size_t w : wrt) is_wrt = is_wrt || w == i;
    if (!reaches[i] && !is_wrt) plan.needed[i] = false;
  }
  std::array<bool, N> reached{};
  for (std::size_t i = N; i-- > 0;) {
    if (!plan.needed[i]) continue;
    for (std::size_t k = 0; k < g.nodes[i].arity; ++k) {
      const std::size_t c = g.nodes[i].operands[k];
      if (plan.needed[c] && !reached[c]) {
        plan.first[i][k] = true;
        reached[c] = true;
      }
    }
  }
  return plan;
}

}  // namespace tapeless::graph
