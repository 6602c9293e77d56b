#pragma once
// The tensor plan, computed at compile time from the graph: which nodes live in memory and
// which are fused into a loop, the execution units, and how each contribution to an adjoint
// is written (assigned by the first unit that reaches it, accumulated by the others).
//
// A node is *fused* (lives in registers inside one loop) when it is elementwise, has one
// consumer, is not the root, and that consumer is elementwise or a reduction. Every other op
// node is a *unit*: a loop or a kernel that writes its own buffer (*stored*), or a view of its
// operand's memory (*alias*), as the view op's `result_layout` allows. Everything the plan
// knows of an op comes from typed properties in its descriptor, never from its name.
#include <array>
#include <cstddef>

#include "../../core/kinds.hpp"
#include "../../graph/analysis.hpp"
#include "kernel_api.hpp"

namespace tapeless::engine::tensor {

enum class role : unsigned char {
  leaf,    ///< bound data (the caller's memory)
  number,  ///< a constant or a literal
  fused,   ///< computed inside the loop of the unit that consumes it; no memory
  stored,  ///< a unit with its own buffer
  alias,   ///< a view of its operand's memory
};

template <std::size_t N>
struct tensor_plan {
  std::array<role, N> roles{};
  std::array<std::size_t, N> unit{};  ///< for a fused node, the unit whose loop computes it
  std::array<layout_class, N> layout{};  ///< how the value lies in memory
  std::array<bool, N> needed{};       ///< an adjoint flows through this node
  std::array<bool, N> adjoint_buffer{};
  /// A view whose adjoint is its operand's adjoint seen through it: its consumer writes the
  /// operand's adjoint directly, and the view has no reverse step (Gᵀ into W for x Wᵀ).
  std::array<bool, N> adjoint_alias{};
  std::array<std::array<write, graph::max_arity>, N> edge{};  ///< per operand edge
  std::array<bool, N> zero_first{};   ///< adjoint zeroed before its first contribution (broadcast)
  std::array<bool, N> unreached{};  ///< a wrt leaf no contribution reaches (below a detach): zeroed each pass
  std::array<std::size_t, N> first_unit{};  ///< the unit that makes the first contribution
  std::array<bool, N> in_place{};     ///< an elementwise unit that overwrites its operand's buffer
  std::size_t value_buffers = 0;      ///< stored nodes plus their ops' extra buffers
  std::size_t adjoint_buffers = 0;

  constexpr bool is_unit(std::size_t i) const { return roles[i] == role::stored || roles[i] == role::alias; }
  constexpr bool contiguous(std::size_t i) const { return layout[i] == layout_class::contiguous; }
  /// Node i has an adjoint in memory: a buffer of its own or a view of its operand's.
  constexpr bool has_adjoint(std::size_t i) const { return adjoint_buffer[i] || adjoint_alias[i]; }
};

namespace detail {

constexpr bool same_extents(const graph::node_descriptor* a, const graph::node_descriptor* b) {
  if (a->rank != b->rank) return false;
  for (std::size_t d = 0; d < a->rank; ++d)
    if (a->extents[d] != b->extents[d]) return false;
  return true;
}

/// Whether every element of `space` reads its own element of `x` (so that x's adjoint can be
/// assigned): the same extents, none of them dynamic where `space`'s is not 1 (a dynamic extent
/// may be bound to 1 and broadcast).
constexpr bool reads_one_to_one(const graph::node_descriptor* x, const graph::node_descriptor* space) {
  if (!same_extents(x, space)) return false;
  for (std::size_t d = 0; d < x->rank; ++d)
    if (x->extents[d] == dynamic) return false;
  return true;
}

constexpr bool is_loop(const graph::node_descriptor* d) {
  return d->category == op_class::elementwise || d->category == op_class::reduction;
}

}  // namespace detail

/// The iteration space of a loop unit: its own shape, or its operand's for a reduction.
template <std::size_t N>
constexpr const graph::node_descriptor* iteration_space(const graph::graph_table<N>& g, std::size_t u) {
  const graph::node_record& r = g.nodes[u];
  return r.descriptor->category == op_class::reduction ? g.nodes[r.operands[0]].descriptor : r.descriptor;
}

template <std::size_t N>
constexpr tensor_plan<N> make_plan(const graph::graph_table<N>& g, const std::array<bool, N>& needed) {
  tensor_plan<N> p;
  p.needed = needed;
  const std::size_t root = N - 1;
  // Roles, in topological order (an operand's role is known before its consumer's).
  for (std::size_t i = 0; i < N; ++i) {
    const graph::node_record& r = g.nodes[i];
    const graph::node_descriptor* d = r.descriptor;
    p.unit[i] = i;
    p.layout[i] = layout_class::contiguous;
    if (d->kind == node_kind::input || d->kind == node_kind::param) {
      p.roles[i] = role::leaf;
      continue;
    }
    if (d->kind != node_kind::op) {
      p.roles[i] = role::number;
      continue;
    }
    p.roles[i] = role::stored;
    if (d->category == op_class::elementwise && i != root && r.fan_out == 1) {
      if (detail::is_loop(g.nodes[r.consumer].descriptor)) p.roles[i] = role::fused;
    } else if (d->category == op_class::view) {
      const layout_class seen = d->view_layout[static_cast<std::size_t>(p.layout[r.operands[0]])];
      if (seen != layout_class::copy) {
        p.roles[i] = role::alias;
        p.layout[i] = seen;
      }
      // The result is read as contiguous memory (r.value()): a root view of other data is a copy.
      if (i == root && seen != layout_class::contiguous) {
        p.roles[i] = role::stored;
        p.layout[i] = layout_class::contiguous;
      }
    }
  }
  // A kernel that reads its operands as matrices gets a copy of a view BLAS cannot read.
  for (std::size_t i = 0; i < N; ++i) {
    if (!g.nodes[i].descriptor->matrix_operands) continue;
    for (std::size_t k = 0; k < g.nodes[i].arity; ++k) {
      const std::size_t o = g.nodes[i].operands[k];
      if (p.roles[o] == role::alias && p.layout[o] == layout_class::strided) {
        p.roles[o] = role::stored;
        p.layout[o] = layout_class::contiguous;
      }
    }
  }
  // Fused nodes belong to the unit their consumer chain reaches.
  for (std::size_t i = N; i-- > 0;)
    if (p.roles[i] == role::fused) p.unit[i] = p.unit[g.nodes[i].consumer];
  // A unary elementwise unit over a stored result that nothing else reads (and whose op's
  // backward does not read it) writes in place (relu over x·w1 in seed 003), provided its VJP
  // needs only its output.
  for (std::size_t i = 0; i < N; ++i) {
    const graph::node_record& r = g.nodes[i];
    const graph::node_descriptor* d = r.descriptor;
    if (p.roles[i] != role::stored || d->category != op_class::elementwise || r.arity != 1) continue;
    if (p.needed[i] && d->vjp_reads_operands) continue;
    const std::size_t o = r.operands[0];
    const graph::node_descriptor* od = g.nodes[o].descriptor;
    const bool overwritable = od->kind == node_kind::op &&
                              (od->category == op_class::elementwise ||
                               (od->category == op_class::kernel && !od->backward_reads_output));
    if (p.roles[o] == role::stored && overwritable && !p.in_place[o] && g.nodes[o].fan_out == 1 &&
        detail::same_extents(od, d) && od->dtype == d->dtype)
      p.in_place[i] = true;
  }
  // Contributions, in the order the reverse pass makes them: units from the last to the
  // first; inside a loop unit, its members from the last to the first, operands in order.
  std::array<bool, N> reached{};
  for (std::size_t u = N; u-- > 0;) {
    if (!p.is_unit(u) || !p.needed[u]) continue;
    const bool loop = detail::is_loop(g.nodes[u].descriptor);
    const graph::node_descriptor* space = iteration_space(g, u);
    for (std::size_t m = u + 1; m-- > 0;) {
      if (m != u && !(p.roles[m] == role::fused && p.unit[m] == u)) continue;
      for (std::size_t k = 0; k < g.nodes[m].arity; ++k) {
        const std::size_t x = g.nodes[m].operands[k];
        if (!p.needed[x] || p.roles[x] == role::number) continue;
        if (p.roles[x] == role::fused) {
          p.edge[m][k] = write::assign;
        } else if (!reached[x]) {
          reached[x] = true;
          p.first_unit[x] = u;
          const bool injective = !loop || detail::reads_one_to_one(g.nodes[x].descriptor, space);
          p.zero_first[x] = !injective;
          p.edge[m][k] = injective ? write::assign : write::accumulate;
        } else {
          p.edge[m][k] = write::accumulate;
        }
      }
    }
  }
  for (std::size_t x = 0; x < N; ++x)
    p.unreached[x] = p.needed[x] && p.roles[x] != role::fused && p.roles[x] != role::number && !reached[x] && x != root;
  // Adjoints seen through a view: the view's only consumer writes straight into its operand's
  // adjoint, which nothing else writes, in a layout that consumer can write.
  for (std::size_t v = 0; v < N; ++v) {
    const graph::node_record& r = g.nodes[v];
    const graph::node_descriptor* d = r.descriptor;
    if (p.roles[v] != role::alias || !p.needed[v] || !d->view_covers_operand || r.fan_out != 1 || v == root) continue;
    const std::size_t s = r.operands[0];
    if (!p.needed[s] || p.roles[s] == role::fused || p.roles[s] == role::number || p.adjoint_alias[s]) continue;
    if (g.nodes[s].fan_out != 1 || p.edge[v][0] != write::assign || p.zero_first[s] || p.unreached[s]) continue;
    const layout_class seen = d->view_layout[static_cast<std::size_t>(layout_class::contiguous)];
    const graph::node_descriptor* consumer = g.nodes[r.consumer].descriptor;
    const bool writable = seen == layout_class::contiguous || (seen == layout_class::matrix && consumer->matrix_operands);
    if (writable) p.adjoint_alias[v] = true;
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (p.roles[i] == role::stored && !p.in_place[i]) ++p.value_buffers;
    if (p.roles[i] == role::stored) p.value_buffers += g.nodes[i].descriptor->aux_buffers;
    if (p.needed[i] && p.roles[i] != role::fused && p.roles[i] != role::number && !p.adjoint_alias[i]) {
      p.adjoint_buffer[i] = true;
      ++p.adjoint_buffers;
    }
  }
  return p;
}

}  // namespace tapeless::engine::tensor
