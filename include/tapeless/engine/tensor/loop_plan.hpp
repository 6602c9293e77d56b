#pragma once
// The compile-time shape of one loop unit: which nodes it computes per element (its members:
// the fused nodes of the unit, and the unit itself when elementwise), which values it reads
// from memory (its inputs), and how each input and its adjoint are strided along a row.
#include <array>
#include <cstddef>

#include "plan.hpp"

namespace tapeless::engine::tensor {

template <class S, std::size_t U>
struct loop_info {
  static constexpr bool reduction = S::G.nodes[U].descriptor->category == op_class::reduction;
  /// The node whose per-element value the loop produces (a reduction's operand).
  static constexpr std::size_t top = reduction ? S::G.nodes[U].operands[0] : U;
  static constexpr bool member(std::size_t i) {
    return (!reduction && i == U) || (S::P.roles[i] == role::fused && S::P.unit[i] == U);
  }
  static constexpr std::size_t member_count = [] {
    std::size_t n = 0;
    for (std::size_t i = 0; i <= U; ++i) n += member(i);
    return n;
  }();
  static constexpr std::array<std::size_t, member_count> members = [] {
    std::array<std::size_t, member_count> m{};
    std::size_t n = 0;
    for (std::size_t i = 0; i <= U; ++i)
      if (member(i)) m[n++] = i;
    return m;
  }();
  static constexpr bool input(std::size_t x) {
    if (member(x)) return false;
    if (x == top) return true;
    for (std::size_t m : members)
      for (std::size_t k = 0; k < S::G.nodes[m].arity; ++k)
        if (S::G.nodes[m].operands[k] == x) return true;
    return false;
  }
  static constexpr std::size_t input_count = [] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < U; ++i) n += input(i);
    return n;
  }();
  static constexpr std::array<std::size_t, input_count> inputs = [] {
    std::array<std::size_t, input_count> m{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < U; ++i)
      if (input(i)) m[n++] = i;
    return m;
  }();
  static constexpr std::size_t locals = input_count + member_count;
  /// Slot of node i in the per-element value array: inputs first, then members.
  static constexpr std::size_t local(std::size_t i) {
    for (std::size_t k = 0; k < input_count; ++k)
      if (inputs[k] == i) return k;
    for (std::size_t k = 0; k < member_count; ++k)
      if (members[k] == i) return input_count + k;
    return 0;
  }
  static constexpr const graph::node_descriptor* space = iteration_space(S::G, U);
  /// The rank of the iteration space as declared; strides are aligned over it.
  static constexpr std::size_t declared_R = space->rank;
  /// The rank the loop runs: trailing axes of static extent 1 are dropped, so that a (1000, 1)
  /// space runs as one row of 1000 elements, not 1000 rows of one (every operand has extent 1
  /// there, and the result is contiguous).
  static constexpr std::size_t R = [] {
    std::size_t r = declared_R;
    while (r > 1 && space->extents[r - 1] == 1) --r;
    return r;
  }();
  /// The axis of an operand of rank r that runs along the loop's rows (axis R - 1 of the space),
  /// or r when it has none (it is constant along the rows).
  static constexpr std::size_t row_axis(std::size_t r) { return R - 1 + r >= declared_R ? R - 1 + r - declared_R : r; }
  /// How input k is read along the innermost axis: 0 not at all (one value per row),
  /// 1 contiguously, 2 with a run-time stride (also 0: a dynamic extent bound to 1).
  static constexpr int value_stride_kind(std::size_t k) {
    const std::size_t x = inputs[k];
    const std::size_t r = S::rank_of(x);
    if (r == 0 || R == 0 || row_axis(r) == r) return 0;
    const std::size_t e = S::static_extent(x, row_axis(r));
    if (e == 1) return 0;
    if (e == dynamic && space->extents[R - 1] != 1) return 2;
    return S::P.contiguous(x) ? 1 : 2;
  }
  /// How input k's adjoint is written along the innermost axis: 0 summed per row, 1 contiguously,
  /// 2 with a run-time stride (0 where a dynamic extent is bound to 1: accumulated in place).
  static constexpr int adjoint_stride_kind(std::size_t k) {
    const std::size_t x = inputs[k];
    const std::size_t r = S::rank_of(x);
    if (r == 0 || R == 0 || row_axis(r) == r) return 0;
    const std::size_t e = S::static_extent(x, row_axis(r));
    if (e == 1) return 0;
    return e == dynamic && space->extents[R - 1] != 1 ? 2 : 1;
  }
  /// Whether the first contribution to input k's adjoint in this loop is an assignment.
  static constexpr bool assigns(std::size_t k) {
    const std::size_t x = inputs[k];
    return S::P.first_unit[x] == U && !S::P.zero_first[x];
  }
  static constexpr bool gets_adjoint(std::size_t k) {
    const std::size_t x = inputs[k];
    for (std::size_t m : members)
      for (std::size_t j = 0; j < S::G.nodes[m].arity; ++j)
        if (S::G.nodes[m].operands[j] == x && S::P.edge[m][j] != write::none) return true;
    if (reduction && x == top && S::P.edge[U][0] != write::none) return true;
    return false;
  }
  /// Whether some input's adjoint is a sum along each row (it is broadcast along the rows).
  static constexpr bool accumulates_along_rows = [] {
    for (std::size_t k = 0; k < input_count; ++k)
      if (adjoint_stride_kind(k) == 0 && gets_adjoint(k)) return true;
    return false;
  }();
};

/// Streams of one loop over a row: a pointer per input and its offset at the row start.
/// Elements a loop processes side by side when it reduces along its rows.

}  // namespace tapeless::engine::tensor
