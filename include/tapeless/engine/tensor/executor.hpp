#pragma once
// The tensor evaluator: binds the leaves, infers run-time shapes and lays out the arena when
// they change, then runs the plan's units in order (loops, views, kernels), and the reverse
// pass runs them backwards. All memory lives in one arena; a step with the same extents
// allocates nothing.
#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "../bindings.hpp"
#include "../program.hpp"
#include "../scalar_executor.hpp"
#include "units.hpp"

namespace tapeless::engine::tensor {

/// Whether any node of E has a non-scalar shape (the tensor evaluator runs such graphs).
template <class E>
inline constexpr bool is_tensor_graph_v = [] {
  for (const graph::node_record& r : graph::graph_v<E>.nodes)
    if (r.descriptor->rank > 0) return true;
  return false;
}();

template <class Root, class S, class... Wrt>
class executor : public kernel_units<Root, S, Wrt...> {
  using base = kernel_units<Root, S, Wrt...>;

 public:
  using typename base::T;
  using base::all_static;
  using base::G;
  using base::N;
  using base::P;
  using base::rank_of;
  using base::root;
  using base::root_fused_with_backward;
  using base::static_extent;
  template <std::size_t I>
  using node_t = typename base::template node_t<I>;

  executor() {
    if constexpr (all_static) {
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t d = 0; d < rank_of(i); ++d) val_[i].ext[d] = static_extent(i, d);
      this->lay_out();
    }
  }
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;
  executor(executor&&) = default;
  executor& operator=(executor&&) = default;

  /// Binds the leaves, checks run-time extents, lays out memory if they changed, and runs the
  /// forward units.
  template <class Expr, class Bindings>
  void forward(const Expr& e, const Bindings& b) {
    bind_leaves(b, std::make_index_sequence<N>{});
    load_numbers(e);
    if constexpr (!all_static) {
      // Compared with the extents the workspace was laid out for (a leaf's adjoint has its
      // leaf's extents, so a leaf whose extents changed alone needs a new layout too).
      this->infer_shapes(std::make_index_sequence<N>{});
      if (!this->laid_out_ || this->all_extents() != this->laid_out_extents_) {
        this->lay_out();
        this->laid_out_extents_ = this->all_extents();
      }
    }
    run_forward(std::make_index_sequence<N>{});
  }

  /// Runs the reverse pass. `seed` is the adjoint of the root (nullptr: a scalar root, seed 1).
  void backward(const T* seed) {
    static_assert(sizeof...(Wrt) > 0);
    layout<T>& r = adj_[root];
    const std::size_t n = element_count(val_[root].ext, rank_of(root));
    if constexpr (rank_of(root) == 0) *r.data = seed ? *seed : T(1);
    else if (seed) std::copy(seed, seed + n, r.data);
    else std::fill(r.data, r.data + n, T(1));
    zero_unreached(std::make_index_sequence<N>{});
    run_backward(std::make_index_sequence<N>{});
  }

 private:
  using base::adj_;
  using base::numbers_;
  using base::val_;

 private:
  /// The adjoints of wrt leaves that only a detached path leads to: zero, as LibTorch's.
  template <std::size_t... I>
  void zero_unreached(std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (P.unreached[I]) {
            layout<T>& a = adj_[I];
            std::fill(a.data, a.data + element_count(val_[I].ext, rank_of(I)), T(0));
          }
        }(),
        ...);
  }

  // ------------------------------------------------------------------------------------------
  // Leaves and numbers
  template <class Bindings, std::size_t... I>
  void bind_leaves(const Bindings& b, std::index_sequence<I...>) {
    (bind_leaf<I>(b), ...);
  }
  template <std::size_t I, class Bindings>
  void bind_leaf(const Bindings& b) {
    if constexpr (P.roles[I] == role::leaf) {
      const auto& v = b.template get<node_t<I>>();
      if constexpr (rank_of(I) == 0) {
        numbers_[I] = static_cast<T>(v);
        val_[I].data = &numbers_[I];
      } else {
        val_[I].data = const_cast<T*>(v.data);
        if constexpr (requires { v.value_plane; }) {
          val_[I].value_plane = v.value_plane;
          val_[I].derivative_plane = v.derivative_plane;
        }
        // The extents were checked against the leaf's shape when the data was bound.
        for (std::size_t d = 0; d < rank_of(I); ++d) val_[I].ext[d] = v.extents[d];
        val_[I].stride = contiguous_strides(val_[I].ext, rank_of(I));
      }
    }
  }

  void load_numbers(const Root& e) {
    // Pointers to numbers_ are set on every step, so a moved executor stays valid.
    load_constants_from(e, constant_program_t<Root>{});
    load_literals(std::make_index_sequence<N>{});
  }
  template <class Expr, std::size_t... Out, class... Path>
  void load_constants_from(const Expr& e, program<load_constant<Out, Path>...>) {
    ((numbers_[Out] = static_cast<T>(follow(e, Path{}).value), val_[Out].data = &numbers_[Out]), ...);
  }
  template <std::size_t... I>
  void load_literals(std::index_sequence<I...>) {
    (load_literal<I>(), ...);
  }
  template <std::size_t I>
  void load_literal() {
    if constexpr (G.nodes[I].descriptor->kind == node_kind::literal) {
      numbers_[I] = static_cast<T>(node_t<I>::value);
      val_[I].data = &numbers_[I];
    }
  }


  // ------------------------------------------------------------------------------------------
  // Forward units, in topological order
  template <std::size_t... I>
  void run_forward(std::index_sequence<I...>) {
    (forward_node<I>(), ...);
  }

  template <std::size_t I>
  void forward_node() {
    constexpr op_class category = G.nodes[I].descriptor->category;
    if constexpr (I == root && root_fused_with_backward && sizeof...(Wrt) > 0) {
      // summed by the reverse pass (backward() is always called after forward() here)
    } else if constexpr (P.is_unit(I)) {
      if constexpr (category == op_class::elementwise) this->template loop_forward<I>();
      else if constexpr (category == op_class::reduction) this->template reduce_forward<I>();
      else if constexpr (category == op_class::view) this->template view_forward<I>();
      else this->template kernel_forward<I>();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reverse units, in reverse topological order
  template <std::size_t... I>
  void run_backward(std::index_sequence<I...>) {
    (backward_node<N - 1 - I>(), ...);
  }


  /// The adjoints that unit U zeroes before accumulating into them (broadcast inputs it
  /// reaches first).
  template <std::size_t U>
  struct zeroed_by {
    static constexpr std::size_t count = [] {
      std::size_t n = 0;
      for (std::size_t x = 0; x < N; ++x) n += P.zero_first[x] && P.first_unit[x] == U;
      return n;
    }();
    static constexpr std::array<std::size_t, count> ids = [] {
      std::array<std::size_t, count> a{};
      std::size_t n = 0;
      for (std::size_t x = 0; x < N; ++x)
        if (P.zero_first[x] && P.first_unit[x] == U) a[n++] = x;
      return a;
    }();
  };

  template <std::size_t U>
  void zero_first_contributions() {
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      (zero_adjoint<zeroed_by<U>::ids[J]>(), ...);
    }(std::make_index_sequence<zeroed_by<U>::count>{});
  }
  template <std::size_t X>
  void zero_adjoint() {
    T* p = adj_[X].data;
    if constexpr (rank_of(X) == 0) *p = T(0);
    else std::fill(p, p + element_count(adj_[X].ext, rank_of(X)), T(0));
  }

  template <std::size_t I>
  void backward_node() {
    constexpr op_class category = G.nodes[I].descriptor->category;
    if constexpr (P.is_unit(I) && P.needed[I]) {
      constexpr bool any_edge = [] {
        for (std::size_t m = 0; m <= I; ++m)
          if (m == I || (P.roles[m] == role::fused && P.unit[m] == I))
            for (std::size_t k = 0; k < G.nodes[m].arity; ++k)
              if (P.edge[m][k] != write::none) return true;
        return false;
      }();
      if constexpr (any_edge) {
        zero_first_contributions<I>();
        if constexpr (category == op_class::elementwise || category == op_class::reduction)
          this->template loop_backward<I>();
        else if constexpr (category == op_class::view) this->template view_backward<I>();
        else this->template kernel_backward<I>();
      }
    }
  }
};

}  // namespace tapeless::engine::tensor
