#pragma once
// The state of a compiled tensor step: the graph and its plan (compile time), and the memory
// of every node (run time): where its value and adjoint live, with which extents and strides.
// Run-time shapes are inferred here from each op's own shape rule, and the arena is laid out.
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "../../core/extents.hpp"
#include "../../core/tensor_view.hpp"
#include "../program.hpp"
#include "layout.hpp"
#include "plan.hpp"

namespace tapeless::engine::tensor {

/// S is the number type the step computes in: the graph's dtype, or dual numbers over it
/// (forward mode and Hessian-vector products).
template <class Root, class S, class... Wrt>
class tensor_state {
 public:
  using T = S;
  static constexpr const auto& G = graph::graph_v<Root>;
  static constexpr std::size_t N = graph::node_count_v<Root>;
  static constexpr std::size_t root = N - 1;
  static constexpr tensor_plan<N> P = make_plan(G, adjoint_plan_v<Root, Wrt...>.needed);

  template <std::size_t I>
  using node_t = graph::node_type_t<Root, I>;
  template <std::size_t I>
  using op_t = typename node_t<I>::op;

  static constexpr std::size_t rank_of(std::size_t i) { return G.nodes[i].descriptor->rank; }
  static constexpr std::size_t static_extent(std::size_t i, std::size_t d) { return G.nodes[i].descriptor->extents[d]; }
  static_assert([] {
    for (std::size_t i = 0; i < N; ++i)
      if (G.nodes[i].descriptor->rank > max_rank) return false;
    return true;
  }(), "tapeless: a node of the expression has rank above 4 (broadcast_to or reshape); tensors have rank 0 to 4");

  /// The declared extents of node i.
  static constexpr extents declared(std::size_t i) {
    extents e;
    e.rank = rank_of(i);
    for (std::size_t d = 0; d < e.rank; ++d) e.at[d] = static_extent(i, d);
    return e;
  }

  /// The number of elements of node i's static shape, or 0 when an extent is dynamic.
  static constexpr std::size_t static_count(std::size_t i) {
    std::size_t c = 1;
    for (std::size_t d = 0; d < rank_of(i); ++d) {
      if (static_extent(i, d) == dynamic) return 0;
      c *= static_extent(i, d);
    }
    return c;
  }

  static constexpr bool all_static = [] {
    for (std::size_t i = 0; i < N; ++i)
      if (!declared(i).known()) return false;
    return true;
  }();

  const layout<T>& value_layout(std::size_t i) const { return val_[i]; }
  const layout<T>& adjoint_layout(std::size_t i) const { return adj_[i]; }
  std::size_t rank(std::size_t i) const { return rank_of(i); }
  std::size_t workspace_elements() const { return arena_.size(); }

 protected:
  /// Node i's run-time extents.
  extents bound(std::size_t i) const {
    extents e;
    e.rank = rank_of(i);
    for (std::size_t d = 0; d < e.rank; ++d) e.at[d] = val_[i].ext[d];
    return e;
  }

  std::string describe(std::size_t i) const {
    const graph::node_descriptor* d = G.nodes[i].descriptor;
    std::string s = d->kind == node_kind::op ? std::string("the result of ") + std::string(d->name)
                                             : std::string("leaf \"") + std::string(d->name) + "\"";
    return s + " with extents " + extents_text(val_[i].ext, d->rank);
  }

  [[noreturn]] void fail(std::size_t i, const std::string& what) const {
    throw shape_error("tapeless::" + std::string(G.nodes[i].descriptor->name) + ": " + what);
  }

  // ------------------------------------------------------------------------------------------
  // Run-time shapes (graphs with a dynamic extent), from each op's rule.
  std::array<extents_t, N> all_extents() const {
    std::array<extents_t, N> e{};
    for (std::size_t i = 0; i < N; ++i) e[i] = val_[i].ext;
    return e;
  }

  template <std::size_t... I>
  void infer_shapes(std::index_sequence<I...>) {
    (infer_shape<I>(), ...);
  }

  template <std::size_t I>
  void infer_shape() {
    constexpr const graph::node_record& r = G.nodes[I];
    if constexpr (r.descriptor->kind == node_kind::op) {
      using op = op_t<I>;
      std::array<extents, r.arity> in{};
      for (std::size_t k = 0; k < r.arity; ++k) in[k] = bound(r.operands[k]);
      shape_outcome s;
      if constexpr (r.descriptor->category == op_class::elementwise) {
        // Broadcasting needs to know which extents of 1 were declared (only those broadcast).
        std::array<extents, r.arity> decl{};
        for (std::size_t k = 0; k < r.arity; ++k) decl[k] = declared(r.operands[k]);
        s = op::bound_extents(in, decl, declared(I));
      } else {
        s = op::infer(in);
      }
      if (!s.ok()) {
        std::string operands;
        for (std::size_t k = 0; k < r.arity; ++k) operands += (k ? ", " : "") + describe(r.operands[k]);
        fail(I, std::string(s.error) + " (" + operands + ")");
      }
      for (std::size_t d = 0; d < rank_of(I); ++d) val_[I].ext[d] = s.out[d];
    }
  }

  // ------------------------------------------------------------------------------------------
  // Memory: one arena, every stored value, extra buffer and adjoint at its own offset.
  template <std::size_t V>
  layout<T> seen_through(const layout<T>& operand) const {
    return op_t<V>::see(operand, rank_of(G.nodes[V].operands[0]), val_[V].ext);
  }

  void lay_out() {
    std::size_t total = 0;
    std::array<std::size_t, N> value_at{}, aux_at{}, adjoint_at{};
    const auto take = [&](std::size_t n) {
      const std::size_t at = total;
      total += (n + 7) / 8 * 8;
      return at;
    };
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t n = element_count(val_[i].ext, rank_of(i));
      if (P.roles[i] == role::stored && !P.in_place[i]) value_at[i] = take(n);
      if (P.roles[i] == role::stored && G.nodes[i].descriptor->aux_buffers > 0)
        aux_at[i] = take(n * G.nodes[i].descriptor->aux_buffers);
      if (P.adjoint_buffer[i]) adjoint_at[i] = take(n);
    }
    arena_.reserve(total);
    T* base = arena_.data();
    for (std::size_t i = 0; i < N; ++i) {
      if (P.roles[i] == role::stored) {
        // An in-place unit writes over its operand, which was laid out before it.
        val_[i].data = P.in_place[i] ? val_[G.nodes[i].operands[0]].data : base + value_at[i];
        val_[i].stride = contiguous_strides(val_[i].ext, rank_of(i));
        if (G.nodes[i].descriptor->aux_buffers > 0) aux_[i] = base + aux_at[i];
      }
      if (P.adjoint_buffer[i]) {
        adj_[i].data = base + adjoint_at[i];
        adj_[i].ext = val_[i].ext;
        adj_[i].stride = contiguous_strides(val_[i].ext, rank_of(i));
      }
    }
    lay_out_adjoint_aliases(std::make_index_sequence<N>{});
    laid_out_ = true;
  }

  template <std::size_t... I>
  void lay_out_adjoint_aliases(std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (P.adjoint_alias[I]) adj_[I] = seen_through<I>(adj_[G.nodes[I].operands[0]]);
        }(),
        ...);
  }

  std::array<layout<T>, N> val_{};
  std::array<layout<T>, N> adj_{};
  std::array<T*, N> aux_{};
  std::array<T, N> numbers_{};
  arena<T> arena_;
  bool laid_out_ = false;
  std::array<extents_t, N> laid_out_extents_{};
};

}  // namespace tapeless::engine::tensor
