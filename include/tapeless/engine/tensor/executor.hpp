#pragma once
// The tensor evaluator. It runs the units of the plan: one loop per elementwise region (its
// fused members evaluated per element, in registers), one loop per reduction (with its fused
// operand tree), BLAS for matmul, and views without copies. The reverse pass runs the same
// units backwards; a loop recomputes its fused members per element rather than storing them.
// All memory lives in one arena, laid out when the extents are first known; a step with the
// same extents allocates nothing.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "../../core/tensor_view.hpp"
#include "../../ops/reduce.hpp"
#include "../bindings.hpp"
#include "../program.hpp"
#include "../scalar_executor.hpp"
#include "blas.hpp"
#include "layout.hpp"
#include "plan.hpp"

namespace tapeless::engine::tensor {

/// Whether any node of E has a non-scalar shape (the tensor evaluator runs such graphs).
template <class E>
inline constexpr bool is_tensor_graph_v = [] {
  for (const graph::node_record& r : graph::graph_v<E>.nodes)
    if (r.descriptor->rank > 0) return true;
  return false;
}();

template <class Root, class... Wrt>
class executor {
 public:
  using T = typename Root::value_type;
  static constexpr const auto& G = graph::graph_v<Root>;
  static constexpr std::size_t N = graph::node_count_v<Root>;
  static constexpr std::size_t root = N - 1;
  static constexpr tensor_plan<N> P = make_plan(G, adjoint_plan_v<Root, Wrt...>.needed);

  template <std::size_t I>
  using node_t = graph::node_type_t<Root, I>;

  static constexpr std::size_t rank_of(std::size_t i) { return G.nodes[i].descriptor->rank; }
  static constexpr std::size_t static_extent(std::size_t i, std::size_t d) { return G.nodes[i].descriptor->extents[d]; }
  static_assert([] {
    for (std::size_t i = 0; i < N; ++i)
      if (G.nodes[i].descriptor->rank > max_rank) return false;
    return true;
  }(), "tapeless: a node of the expression has rank above 4 (broadcast_to or reshape); tensors have rank 0 to 4");

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
      for (std::size_t d = 0; d < rank_of(i); ++d)
        if (static_extent(i, d) == dynamic) return false;
    return true;
  }();

  /// A full sum or mean at the root whose gradient is taken: its adjoint (the seed) is known
  /// before the pass, so its value is summed in the same loop as the reverse pass, reading each
  /// element once.
  static constexpr bool root_fused_with_backward = [] {
    const graph::node_descriptor* d = G.nodes[root].descriptor;
    return P.needed[root] && d->kind == node_kind::op && d->category == op_class::reduction && d->rank == 0 &&
           (d->name == "sum" || d->name == "mean");
  }();

  executor() {
    if constexpr (all_static) {
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t d = 0; d < rank_of(i); ++d) val_[i].ext[d] = static_extent(i, d);
      lay_out();
    }
  }
  executor(const executor&) = delete;
  executor& operator=(const executor&) = delete;
  executor(executor&&) = default;
  executor& operator=(executor&&) = default;

  /// Binds the leaves, checks run-time extents, lays out memory if they changed, and runs the
  /// forward units.
  template <class Bindings>
  void forward(const Root& e, const Bindings& b) {
    bind_leaves(b, std::make_index_sequence<N>{});
    load_numbers(e);
    if constexpr (!all_static) {
      // Compared with the extents the workspace was laid out for (a leaf's adjoint has its
      // leaf's extents, so a leaf whose extents changed alone needs a new layout too).
      infer_shapes(std::make_index_sequence<N>{});
      if (!laid_out_ || extents() != laid_out_extents_) {
        lay_out();
        laid_out_extents_ = extents();
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

  const layout<T>& value_layout(std::size_t i) const { return val_[i]; }
  const layout<T>& adjoint_layout(std::size_t i) const { return adj_[i]; }
  std::size_t rank(std::size_t i) const { return rank_of(i); }
  std::size_t workspace_elements() const { return arena_.size(); }

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
  template <std::size_t... Out, class... Path>
  void load_constants_from(const Root& e, program<load_constant<Out, Path>...>) {
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
  // Run-time shapes (graphs with a dynamic extent)
  std::array<extents_t, N> extents() const {
    std::array<extents_t, N> e{};
    for (std::size_t i = 0; i < N; ++i) e[i] = val_[i].ext;
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

  template <std::size_t... I>
  void infer_shapes(std::index_sequence<I...>) {
    (infer_shape<I>(), ...);
  }

  template <std::size_t I>
  void infer_shape() {
    constexpr const graph::node_record& r = G.nodes[I];
    constexpr const graph::node_descriptor* d = r.descriptor;
    if constexpr (d->kind == node_kind::op) {
      constexpr std::size_t R = d->rank;
      extents_t& e = val_[I].ext;
      if constexpr (d->category == op_class::elementwise) {
        for (std::size_t a = 0; a < R; ++a) e[a] = 1;
        // Only an extent of 1 in the operand's type is broadcast (the plan sums its adjoint over
        // that axis); a dynamic extent bound to 1 is not, and must equal the other operands'.
        std::array<bool, max_rank> set{};
        for (std::size_t k = 0; k < r.arity; ++k) {
          const std::size_t o = r.operands[k];
          const std::size_t ro = rank_of(o);
          for (std::size_t a = R - ro; a < R; ++a) {
            const std::size_t x = val_[o].ext[a - (R - ro)];
            if (static_extent(o, a - (R - ro)) == 1) continue;
            if (!set[a]) {
              e[a] = x;
              set[a] = true;
            } else if (e[a] != x)
              fail(I, "operands do not broadcast: " + describe(r.operands[0]) + " and " + describe(o) +
                          "; a dynamic extent must be bound to the same size in every operand");
          }
        }
        for (std::size_t a = 0; a < R; ++a)
          if (static_extent(I, a) != dynamic && e[a] != static_extent(I, a)) {
            if (e[a] == 1) e[a] = static_extent(I, a);  // broadcast_to a larger static extent
            else fail(I, "the operand " + describe(r.operands[0]) + " does not fit the result's extents");
          }
      } else if constexpr (d->category == op_class::reduction) {
        using op = typename node_t<I>::op;
        const std::size_t o = r.operands[0];
        std::size_t j = 0;
        for (std::size_t a = 0; a < rank_of(o); ++a) {
          if (!op::reduces(a)) e[j++] = val_[o].ext[a];
          else if (op::keep_dims) e[j++] = 1;
        }
      } else if constexpr (d->category == op_class::matmul) {
        const std::size_t a = r.operands[0], b = r.operands[1];
        const extents_t& ea = val_[a].ext;
        const extents_t& eb = val_[b].ext;
        if (ea[R - 1] != eb[R - 2] || (R == 3 && ea[0] != eb[0]))
          fail(I, "extents differ at run time: " + describe(a) + ", " + describe(b));
        if constexpr (R == 3) e[0] = ea[0];
        e[R - 2] = ea[R - 2];
        e[R - 1] = eb[R - 1];
      } else if constexpr (d->category == op_class::view) {
        using op = typename node_t<I>::op;
        const std::size_t o = r.operands[0];
        const extents_t& eo = val_[o].ext;
        if constexpr (d->name == "transpose") {
          e = eo;
          std::swap(e[op::axis0], e[op::axis1]);
        } else if constexpr (d->name == "slice") {
          e = eo;
          if (op::end > eo[0])
            fail(I, "rows [" + std::to_string(op::begin) + ", " + std::to_string(op::end) + ") do not fit " + describe(o));
          e[0] = op::end - op::begin;
        } else {  // reshape
          const std::size_t size = element_count(eo, rank_of(o));
          std::size_t known = 1, hole = R;
          for (std::size_t a = 0; a < R; ++a) {
            if (static_extent(I, a) == dynamic) hole = a;
            else known *= static_extent(I, a);
            e[a] = static_extent(I, a);
          }
          if (hole < R) {
            if (known == 0 || size % known != 0)
              fail(I, describe(o) + " cannot be reshaped to " +
                          ::tapeless::detail::format_extents(d->extents, R));
            e[hole] = size / known;
          } else if (known != size) {
            fail(I, describe(o) + " holds " + std::to_string(size) + " elements, the new shape " +
                        ::tapeless::detail::format_extents(d->extents, R) + " holds " + std::to_string(known));
          }
        }
      } else {  // concat
        using op = typename node_t<I>::op;
        e = val_[r.operands[0]].ext;
        for (std::size_t k = 1; k < r.arity; ++k) {
          const extents_t& ek = val_[r.operands[k]].ext;
          for (std::size_t a = 0; a < R; ++a) {
            if (a == op::axis) continue;
            if (ek[a] != e[a]) fail(I, "operands differ outside the axis: " + describe(r.operands[0]) + ", " + describe(r.operands[k]));
          }
          e[op::axis] += ek[op::axis];
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Memory: one arena, every stored value, tie count and adjoint at its own offset.
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
      if (P.roles[i] == role::stored && has_tie_count(i)) aux_at[i] = take(n);
      if (P.adjoint_buffer[i]) adjoint_at[i] = take(n);
    }
    arena_.reserve(total);
    T* base = arena_.data();
    for (std::size_t i = 0; i < N; ++i) {
      if (P.roles[i] == role::stored) {
        // An in-place unit writes over its operand, which was laid out before it.
        val_[i].data = P.in_place[i] ? val_[G.nodes[i].operands[0]].data : base + value_at[i];
        val_[i].stride = contiguous_strides(val_[i].ext, rank_of(i));
        if (has_tie_count(i)) aux_[i] = base + aux_at[i];
      }
      if (P.adjoint_buffer[i]) {
        adj_[i].data = base + adjoint_at[i];
        adj_[i].ext = val_[i].ext;
        adj_[i].stride = contiguous_strides(val_[i].ext, rank_of(i));
      }
    }
    laid_out_ = true;
  }

  static constexpr bool has_tie_count(std::size_t i) {
    const graph::node_descriptor* d = G.nodes[i].descriptor;
    return d->kind == node_kind::op && d->category == op_class::reduction && (d->name == "amax" || d->name == "amin");
  }

  // ------------------------------------------------------------------------------------------
  // Forward units
  template <std::size_t... I>
  void run_forward(std::index_sequence<I...>) {
    (forward_node<I>(), ...);
  }

  template <std::size_t I>
  void forward_node() {
    constexpr const graph::node_descriptor* d = G.nodes[I].descriptor;
    if constexpr (I == root && root_fused_with_backward && sizeof...(Wrt) > 0) {
      // summed by the reverse pass (backward() is always called after forward() here)
    } else if constexpr (P.roles[I] == role::stored || P.roles[I] == role::alias) {
      if constexpr (d->category == op_class::elementwise) loop_forward<I>();
      else if constexpr (d->category == op_class::reduction) reduce_forward<I>();
      else if constexpr (d->category == op_class::matmul) matmul_forward<I>();
      else if constexpr (d->category == op_class::view) view_forward<I>();
      else concat_forward<I>();
    }
  }

  // Loop units: the members (fused nodes of the unit, and the unit itself when elementwise)
  // and the inputs (values from memory) of one loop.
  template <std::size_t U>
  struct loop {
    static constexpr bool reduction = G.nodes[U].descriptor->category == op_class::reduction;
    /// The node whose per-element value the loop produces (a reduction's operand).
    static constexpr std::size_t top = reduction ? G.nodes[U].operands[0] : U;
    static constexpr bool member(std::size_t i) {
      return (!reduction && i == U) || (P.roles[i] == role::fused && P.unit[i] == U);
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
        for (std::size_t k = 0; k < G.nodes[m].arity; ++k)
          if (G.nodes[m].operands[k] == x) return true;
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
    static constexpr const graph::node_descriptor* space = iteration_space(G, U);
    static constexpr std::size_t R = space->rank;
    /// How input k is read along the innermost axis: 0 not at all (one value per row),
    /// 1 contiguously, 2 with a run-time stride.
    static constexpr int value_stride_kind(std::size_t k) {
      const std::size_t x = inputs[k];
      const std::size_t r = rank_of(x);
      if (r == 0 || R == 0) return 0;
      if (static_extent(x, r - 1) == 1) return 0;
      return P.contiguous[x] ? 1 : 2;
    }
    static constexpr int adjoint_stride_kind(std::size_t k) {
      const std::size_t x = inputs[k];
      const std::size_t r = rank_of(x);
      if (r == 0 || R == 0) return 0;
      return static_extent(x, r - 1) == 1 ? 0 : 1;
    }
    /// Whether the first contribution to input k's adjoint in this loop is an assignment.
    static constexpr bool assigns(std::size_t k) {
      const std::size_t x = inputs[k];
      return P.first_unit[x] == U && !P.zero_first[x];
    }
    static constexpr bool gets_adjoint(std::size_t k) {
      const std::size_t x = inputs[k];
      for (std::size_t m : members)
        for (std::size_t j = 0; j < G.nodes[m].arity; ++j)
          if (G.nodes[m].operands[j] == x && P.edge[m][j] != write::none) return true;
      if (reduction && x == top && P.edge[U][0] != write::none) return true;
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
  static constexpr std::size_t lanes = 64 / sizeof(T);

  /// The sum of per-lane partial sums, halving (log depth, vectorisable).
  static T sum_lanes(T* lane) {
    for (std::size_t w = lanes / 2; w > 0; w /= 2)
      for (std::size_t l = 0; l < w; ++l) lane[l] += lane[l + w];
    return lane[0];
  }

  template <std::size_t U>
  struct streams {
    using info = loop<U>;
    static constexpr std::size_t n_in = info::input_count > 0 ? info::input_count : 1;
    std::array<const T*, n_in> in{};
    std::array<strides_t, n_in> in_stride{};
    std::array<std::ptrdiff_t, n_in> in_off{};
    std::array<T*, n_in> adj{};
    std::array<strides_t, n_in> adj_stride{};
    std::array<std::ptrdiff_t, n_in> adj_off{};
  };

  template <std::size_t U>
  void setup_inputs(streams<U>& s, const extents_t& it, bool with_adjoints) const {
    using info = loop<U>;
    for_each_input<U>([&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      constexpr std::size_t x = info::inputs[K];
      s.in[K] = val_[x].data;
      if constexpr (info::R > 0) s.in_stride[K] = aligned_strides(val_[x], rank_of(x), it, info::R);
      if constexpr (P.adjoint_buffer[x]) {
        if (with_adjoints) {
          s.adj[K] = adj_[x].data;
          if constexpr (info::R > 0) s.adj_stride[K] = aligned_strides(adj_[x], rank_of(x), it, info::R);
        }
      }
    });
  }

  /// Offsets at the start of row `row` (all axes but the last) for each stream.
  template <std::size_t R>
  static void row_offsets(std::size_t row, const extents_t& it, std::size_t count, const strides_t* strides,
                          std::ptrdiff_t* off) {
    for (std::size_t k = 0; k < count; ++k) off[k] = 0;
    for (std::size_t d = R - 1; d-- > 0;) {
      // The outermost axis takes what remains of the row number: no division (none at all for
      // a matrix, whose rows are short in small networks).
      const std::size_t i = d == 0 ? row : row % it[d];
      if (d != 0) row /= it[d];
      for (std::size_t k = 0; k < count; ++k) off[k] += static_cast<std::ptrdiff_t>(i) * strides[k][d];
    }
  }

  /// The inputs of one row, in locals the compiler can keep in registers: the row's start
  /// pointer and inner stride of each input read along the row, the value of each input that is
  /// constant along it.
  template <std::size_t U>
  struct row_view {
    static constexpr std::size_t n = streams<U>::n_in;
    std::array<const T*, n> ptr{};
    std::array<std::ptrdiff_t, n> step{};
    std::array<T, n> value{};
  };

  /// Where one row's contributions go: the row's start in each input's adjoint, and per-lane
  /// partial sums for the adjoints that are constant along the row.
  template <std::size_t U>
  struct adjoint_row {
    static constexpr std::size_t n = streams<U>::n_in;
    std::array<T*, n> ptr;
    std::array<std::array<T, lanes>, n> acc;  // zeroed per row only where used
  };

  /// Calls f(integral_constant<K>) for each input K of loop U.
  template <std::size_t U, class F>
  static void for_each_input(F&& f) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (f(std::integral_constant<std::size_t, K>{}), ...);
    }(std::make_index_sequence<loop<U>::input_count>{});
  }

  template <std::size_t U>
  static row_view<U> load_row(const streams<U>& s) {
    using info = loop<U>;
    row_view<U> r;
    for_each_input<U>([&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      r.ptr[K] = s.in[K] + s.in_off[K];
      if constexpr (info::value_stride_kind(K) == 2) r.step[K] = s.in_stride[K][info::R - 1];
      if constexpr (info::value_stride_kind(K) == 0) r.value[K] = *r.ptr[K];
    });
    return r;
  }

  template <std::size_t U, std::size_t K>
  static T read_input(const row_view<U>& r, std::size_t j) {
    constexpr int kind = loop<U>::value_stride_kind(K);
    if constexpr (kind == 0) return r.value[K];
    else if constexpr (kind == 1) return r.ptr[K][j];
    else return r.ptr[K][static_cast<std::ptrdiff_t>(j) * r.step[K]];
  }

  /// Values of every input and member at element j of the current row.
  /// In the reverse pass (Reverse) an in-place unit reads its own output from the buffer its
  /// operand occupied; its VJP needs nothing else.
  template <std::size_t U, bool Reverse = false>
  static void evaluate(T* v, const row_view<U>& r, std::size_t j) {
    using info = loop<U>;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((v[K] = read_input<U, K>(r, j)), ...);
    }(std::make_index_sequence<info::input_count>{});
    if constexpr (Reverse && P.in_place[U]) {
      v[info::local(U)] = v[0];
    } else {
      [&]<std::size_t... M>(std::index_sequence<M...>) {
        (compute<U, info::members[M]>(v), ...);
      }(std::make_index_sequence<info::member_count>{});
    }
  }

  template <std::size_t U, std::size_t M>
  static void compute(T* v) {
    using info = loop<U>;
    using op = typename node_t<M>::op;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      v[info::local(M)] = static_cast<T>(op::forward(v[info::local(G.nodes[M].operands[K])]...));
    }(std::make_index_sequence<G.nodes[M].arity>{});
  }

  template <std::size_t U>
  void loop_forward() {
    using info = loop<U>;
    const extents_t& it = val_[U].ext;
    constexpr std::size_t R = info::R;
    // With a static iteration space the trip counts are constants: the compiler unrolls and
    // vectorises the short rows of small networks.
    constexpr std::size_t static_total = static_count(U);
    constexpr std::size_t static_n = R == 0 ? 1 : static_extent(U, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t rows = static_total > 0 ? static_total / static_n
                                              : R == 0 ? 1 : element_count(it, R) / std::max<std::size_t>(n, 1);
    streams<U> s;
    setup_inputs<U>(s, it, false);
    T* out = val_[U].data;
    row_view<U> row_value;
    for (std::size_t row = 0; row < rows && n > 0; ++row) {
      if constexpr (R > 1) row_offsets<R>(row, it, info::input_count, s.in_stride.data(), s.in_off.data());
      row_value = load_row<U>(s);
      T* o = out + row * n;
      for (std::size_t j = 0; j < n; ++j) {
        T v[info::locals];
        evaluate<U>(v, row_value, j);
        o[j] = v[info::local(U)];
      }
    }
  }

  // Reductions. The output is read and written over the operand's iteration space with
  // stride 0 along the reduced axes.
  template <std::size_t U>
  strides_t reduced_strides(const layout<T>& out) const {
    using op = typename node_t<U>::op;
    constexpr std::size_t R = loop<U>::R;
    strides_t s{};
    std::size_t j = 0;
    for (std::size_t d = 0; d < R; ++d) {
      if (!op::reduces(d)) s[d] = out.stride[j++];
      else if (op::keep_dims) ++j;
    }
    return s;
  }

  template <std::size_t U>
  static T combine(T acc, T x) {
    using op = typename node_t<U>::op;
    if constexpr (op::kind == ops::reduce_kind::max) return (x > acc || x != x) ? x : acc;
    else if constexpr (op::kind == ops::reduce_kind::min) return (x < acc || x != x) ? x : acc;
    else return acc + x;
  }

  template <std::size_t U>
  void reduce_forward() {
    using info = loop<U>;
    using op = typename node_t<U>::op;
    constexpr std::size_t R = info::R;
    const extents_t& it = val_[info::top].ext;
    constexpr std::size_t static_total = static_count(info::top);
    constexpr std::size_t static_n = R == 0 ? 1 : static_extent(info::top, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t total = static_total > 0 ? static_total : element_count(it, R);
    const std::size_t rows = n == 0 ? 0 : total / n;
    layout<T>& out = val_[U];
    const std::size_t out_n = element_count(out.ext, rank_of(U));
    const T identity = op::kind == ops::reduce_kind::max   ? -std::numeric_limits<T>::infinity()
                       : op::kind == ops::reduce_kind::min ? std::numeric_limits<T>::infinity()
                                                           : T(0);
    std::fill(out.data, out.data + out_n, identity);
    streams<U> s;
    setup_inputs<U>(s, it, false);
    const strides_t os = reduced_strides<U>(out);
    constexpr bool inner_reduced = R == 0 || op::reduces(R - 1);
    row_view<U> row_value;
    for (std::size_t row = 0; row < rows; ++row) {
      std::ptrdiff_t ooff = 0;
      if constexpr (R > 1) {
        row_offsets<R>(row, it, info::input_count, s.in_stride.data(), s.in_off.data());
        row_offsets<R>(row, it, 1, &os, &ooff);
      }
      row_value = load_row<U>(s);
      if constexpr (inner_reduced) {
        T lane[lanes];
        for (std::size_t l = 0; l < lanes; ++l) lane[l] = identity;
        std::size_t j = 0;
        for (; j + lanes <= n; j += lanes)
          for (std::size_t l = 0; l < lanes; ++l) {
            T v[info::locals];
            evaluate<U>(v, row_value, j + l);
            lane[l] = combine<U>(lane[l], v[info::local(info::top)]);
          }
        T acc = out.data[ooff];
        if constexpr (node_t<U>::op::kind == ops::reduce_kind::sum || node_t<U>::op::kind == ops::reduce_kind::mean)
          acc += sum_lanes(lane);
        else
          for (std::size_t l = 0; l < lanes; ++l) acc = combine<U>(acc, lane[l]);
        for (; j < n; ++j) {
          T v[info::locals];
          evaluate<U>(v, row_value, j);
          acc = combine<U>(acc, v[info::local(info::top)]);
        }
        out.data[ooff] = acc;
      } else {
        T* o = out.data + ooff;
        for (std::size_t j = 0; j < n; ++j) {
          T v[info::locals];
          evaluate<U>(v, row_value, j);
          o[j] = combine<U>(o[j], v[info::local(info::top)]);
        }
      }
    }
    if constexpr (op::kind == ops::reduce_kind::mean) {
      const T scale = T(1) / static_cast<T>(out_n == 0 ? 0 : total / out_n);
      for (std::size_t i = 0; i < out_n; ++i) out.data[i] *= scale;
    }
    if constexpr (op::kind == ops::reduce_kind::max || op::kind == ops::reduce_kind::min) {
      // Ties share the gradient: count the elements equal to each result.
      T* count = aux_[U];
      std::fill(count, count + out_n, T(0));
      for (std::size_t row = 0; row < rows; ++row) {
        std::ptrdiff_t ooff = 0;
        if constexpr (R > 1) {
          row_offsets<R>(row, it, info::input_count, s.in_stride.data(), s.in_off.data());
          row_offsets<R>(row, it, 1, &os, &ooff);
        }
        row_value = load_row<U>(s);
        const std::ptrdiff_t step = inner_reduced ? 0 : 1;
        for (std::size_t j = 0; j < n; ++j) {
          T v[info::locals];
          evaluate<U>(v, row_value, j);
          const std::ptrdiff_t o = ooff + static_cast<std::ptrdiff_t>(j) * step;
          count[o] += v[info::local(info::top)] == out.data[o] ? T(1) : T(0);
        }
      }
    }
  }

  // Matrix products through BLAS; an operand whose last two axes are swapped is passed with
  // the transpose flag.
  struct matrix {
    const T* data;
    bool trans;
    std::size_t ld;
  };
  static matrix as_matrix(const layout<T>& l, std::size_t r, std::ptrdiff_t batch_offset) {
    const std::size_t rows = l.ext[r - 2], cols = l.ext[r - 1];
    const std::ptrdiff_t s0 = l.stride[r - 2], s1 = l.stride[r - 1];
    const T* p = l.data + batch_offset;
    if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= static_cast<std::ptrdiff_t>(cols)))
      return {p, false, std::max<std::size_t>({rows == 1 ? cols : static_cast<std::size_t>(s0), cols, 1})};
    if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= static_cast<std::ptrdiff_t>(rows)))
      return {p, true, std::max<std::size_t>({cols == 1 ? rows : static_cast<std::size_t>(s1), rows, 1})};
    throw std::logic_error("tapeless::matmul: an operand's layout is not a matrix BLAS can read");
  }

  template <std::size_t U>
  void matmul_forward() {
    constexpr const graph::node_record& r = G.nodes[U];
    constexpr std::size_t R = rank_of(U);
    const layout<T>& a = val_[r.operands[0]];
    const layout<T>& b = val_[r.operands[1]];
    layout<T>& c = val_[U];
    const std::size_t m = c.ext[R - 2], n = c.ext[R - 1], k = a.ext[R - 1];
    const std::size_t batches = R == 3 ? c.ext[0] : 1;
    for (std::size_t q = 0; q < batches; ++q) {
      const std::ptrdiff_t qa = R == 3 ? static_cast<std::ptrdiff_t>(q) * a.stride[0] : 0;
      const std::ptrdiff_t qb = R == 3 ? static_cast<std::ptrdiff_t>(q) * b.stride[0] : 0;
      const matrix ma = as_matrix(a, R, qa), mb = as_matrix(b, R, qb);
      T* pc = c.data + static_cast<std::ptrdiff_t>(q * m * n);
      if (m == 0 || n == 0) continue;
      if (k == 0) {
        std::fill(pc, pc + m * n, T(0));
        continue;
      }
      gemm_sized<static_extent(U, R - 2), static_extent(U, R - 1), static_extent(r.operands[0], R - 1)>(
          ma.trans, mb.trans, m, n, k, ma.data, ma.ld, mb.data, mb.ld, T(0), pc, n);
    }
  }

  template <std::size_t U>
  void view_forward() {
    constexpr const graph::node_descriptor* d = G.nodes[U].descriptor;
    using op = typename node_t<U>::op;
    constexpr std::size_t o = G.nodes[U].operands[0];
    const layout<T>& src = val_[o];
    layout<T>& dst = val_[U];
    layout<T> seen = src;  // the operand seen through this view
    if constexpr (d->name == "transpose") {
      std::swap(seen.ext[op::axis0], seen.ext[op::axis1]);
      std::swap(seen.stride[op::axis0], seen.stride[op::axis1]);
    } else if constexpr (d->name == "slice") {
      seen.data = src.data + static_cast<std::ptrdiff_t>(op::begin) * src.stride[0];
      seen.ext[0] = op::end - op::begin;
    } else {  // reshape: a contiguous view under the new extents, or a copy in row-major order
      if constexpr (P.roles[U] == role::alias) {
        dst.data = src.data;
        dst.stride = contiguous_strides(dst.ext, rank_of(U));
      } else {
        copy_row_major(src, rank_of(o), dst.data);
      }
      return;
    }
    if constexpr (P.roles[U] == role::alias) {
      dst.data = seen.data;
      dst.ext = seen.ext;
      dst.stride = seen.stride;
    } else {
      copy_row_major(seen, rank_of(U), dst.data);
    }
  }

  static void copy_row_major(const layout<T>& src, std::size_t r, T* dst) {
    const strides_t ds = contiguous_strides(src.ext, r);
    for_each_pair(r, src.ext, ds, src.stride, [&](std::ptrdiff_t od, std::ptrdiff_t os) { dst[od] = src.data[os]; });
  }

  template <std::size_t U>
  void concat_forward() {
    constexpr const graph::node_record& r = G.nodes[U];
    using op = typename node_t<U>::op;
    constexpr std::size_t R = rank_of(U);
    layout<T>& dst = val_[U];
    std::size_t at = 0;
    for (std::size_t k = 0; k < r.arity; ++k) {
      const layout<T>& src = val_[r.operands[k]];
      T* base = dst.data + static_cast<std::ptrdiff_t>(at) * dst.stride[op::axis];
      for_each_pair(R, src.ext, dst.stride, src.stride,
                    [&](std::ptrdiff_t od, std::ptrdiff_t os) { base[od] = src.data[os]; });
      at += src.ext[op::axis];
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reverse units
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
    constexpr const graph::node_descriptor* d = G.nodes[I].descriptor;
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
        if constexpr (d->category == op_class::elementwise || d->category == op_class::reduction) loop_backward<I>();
        else if constexpr (d->category == op_class::matmul) matmul_backward<I>();
        else if constexpr (d->category == op_class::view) {
          if constexpr (!adjoint_written_by_consumer<I>()) view_backward<I>();
        }
        else concat_backward<I>();
      }
    }
  }

  /// Pushes the adjoint of member M (in a[]) to its operands.
  template <std::size_t U, std::size_t M>
  static void pull(const T* v, T* a, adjoint_row<U>& s, std::size_t j, std::size_t l) {
    using info = loop<U>;
    using op = typename node_t<M>::op;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (pull_edge<U, M, K>(v, a, s, j, l, [&] {
         return static_cast<T>(
             op::template vjp<K>(a[info::local(M)], v[info::local(M)], v[info::local(G.nodes[M].operands[K])]...));
       }),
       ...);
    }(std::make_index_sequence<G.nodes[M].arity>{});
  }

  template <std::size_t U, std::size_t M, std::size_t K, class F>
  static void pull_edge(const T*, T* a, adjoint_row<U>& s, std::size_t j, std::size_t l, F&& contribution) {
    using info = loop<U>;
    constexpr write mode = P.edge[M][K];
    if constexpr (mode != write::none) {
      constexpr std::size_t x = G.nodes[M].operands[K];
      const T c = contribution();
      if constexpr (P.roles[x] == role::fused) {
        a[info::local(x)] = c;
      } else {
        constexpr std::size_t k = info::local(x);
        deliver<U, k, mode>(s, c, j, l);
      }
    }
  }

  template <std::size_t U, std::size_t K, write Mode>
  static void deliver(adjoint_row<U>& s, T c, std::size_t j, std::size_t l) {
    constexpr int kind = loop<U>::adjoint_stride_kind(K);
    if constexpr (kind == 0) {
      s.acc[K][l] += c;
    } else {
      T& dst = s.ptr[K][j];
      if constexpr (Mode == write::assign) dst = c;
      else dst += c;
    }
  }

  template <std::size_t U>
  void loop_backward() {
    using info = loop<U>;
    constexpr std::size_t R = info::R;
    constexpr bool reduction = info::reduction;
    const extents_t& it = val_[info::top].ext;
    constexpr std::size_t static_total = static_count(info::top);
    constexpr std::size_t static_n = R == 0 ? 1 : static_extent(info::top, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t total = static_total > 0 ? static_total : element_count(it, R);
    const std::size_t rows = n == 0 ? 0 : total / n;
    streams<U> s;
    setup_inputs<U>(s, it, true);
    // The adjoint arriving at the loop's top node, per element.
    const layout<T>& g = adj_[U];
    strides_t gs{};
    T scale = T(1);
    if constexpr (reduction) {
      gs = reduced_strides<U>(g);
      using op = typename node_t<U>::op;
      if constexpr (op::kind == ops::reduce_kind::mean) {
        const std::size_t out_n = element_count(val_[U].ext, rank_of(U));
        scale = T(1) / static_cast<T>(out_n == 0 ? 0 : total / out_n);
      }
    } else {
      gs = g.stride;
    }
    row_view<U> row_value;
    std::array<std::ptrdiff_t, streams<U>::n_in> adj_off_tmp{};
    constexpr bool with_value = U == root && root_fused_with_backward;
    T value_lane[lanes]{};
    // Rows of a static length under one lane width use lane 0 only: no lanes to clear and sum
    // per row (a [batch, 1] output in a small network has rows of one element).
    constexpr bool short_rows = R > 0 && static_extent(info::top, R - 1) != dynamic && static_extent(info::top, R - 1) < lanes;
    for (std::size_t row = 0; row < rows; ++row) {
      std::ptrdiff_t goff = 0;
      if constexpr (R > 1) {
        row_offsets<R>(row, it, info::input_count, s.in_stride.data(), s.in_off.data());
        row_offsets<R>(row, it, info::input_count, s.adj_stride.data(), adj_off_tmp.data());
        row_offsets<R>(row, it, 1, &gs, &goff);
        for (std::size_t k = 0; k < info::input_count; ++k) s.adj_off[k] = adj_off_tmp[k];
      }
      row_value = load_row<U>(s);
      adjoint_row<U> ar;
      for (std::size_t k = 0; k < info::input_count; ++k) ar.ptr[k] = s.adj[k] + s.adj_off[k];
      for_each_input<U>([&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
        if constexpr (info::adjoint_stride_kind(K) == 0 && info::gets_adjoint(K)) {
          if constexpr (short_rows) ar.acc[K][0] = T(0);
          else ar.acc[K].fill(T(0));
        }
      });
      const std::ptrdiff_t gstep = R == 0 ? 0 : gs[R - 1];
      const auto element = [&](std::size_t j, std::size_t l) {
        T v[info::locals];
        T a[info::locals];
        evaluate<U, true>(v, row_value, j);
        const std::ptrdiff_t go = goff + static_cast<std::ptrdiff_t>(j) * gstep;
        T top_adjoint = g.data[go];
        if constexpr (with_value) value_lane[l] += v[info::local(info::top)];
        if constexpr (reduction) {
          using op = typename node_t<U>::op;
          if constexpr (op::kind == ops::reduce_kind::mean) top_adjoint *= scale;
          if constexpr (op::kind == ops::reduce_kind::max || op::kind == ops::reduce_kind::min)
            top_adjoint = (v[info::local(info::top)] == val_[U].data[go] ? top_adjoint : T(0)) / aux_[U][go];
          if constexpr (P.roles[info::top] == role::fused) {
            a[info::local(info::top)] = top_adjoint;
          } else {
            constexpr std::size_t k = info::local(info::top);
            if constexpr (P.edge[U][0] != write::none) deliver<U, k, P.edge[U][0]>(ar, top_adjoint, j, l);
          }
        } else {
          a[info::local(U)] = top_adjoint;
        }
        [&]<std::size_t... M>(std::index_sequence<M...>) {
          (pull<U, info::members[info::member_count - 1 - M]>(v, a, ar, j, l), ...);
        }(std::make_index_sequence<info::member_count>{});
      };
      std::size_t j = 0;
      if constexpr (!short_rows && (info::accumulates_along_rows || with_value))
        for (; j + lanes <= n; j += lanes)
          for (std::size_t l = 0; l < lanes; ++l) element(j + l, l);
      for (; j < n; ++j) element(j, 0);
      for_each_input<U>([&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
        if constexpr (info::adjoint_stride_kind(K) == 0 && info::gets_adjoint(K)) {
          const T total = short_rows ? ar.acc[K][0] : sum_lanes(ar.acc[K].data());
          if constexpr (info::assigns(K)) *ar.ptr[K] = total;
          else *ar.ptr[K] += total;
        }
      });
    }
    if constexpr (with_value) {
      val_[U].data[0] = sum_lanes(value_lane) * scale;
    }
  }

  /// Whether the right operand of matmul U is a transposed matrix (nn::linear's Wᵀ) whose
  /// adjoint can be written straight into its source's adjoint as (Aᵀ G)ᵀ = Gᵀ A, skipping the
  /// transposed copy: the transpose and its source each feed one consumer, and the source's
  /// adjoint is assigned by that edge alone.
  template <std::size_t U>
  static constexpr bool writes_transposed_operand_adjoint() {
    constexpr std::size_t ib = G.nodes[U].operands[1];
    const graph::node_descriptor* d = G.nodes[ib].descriptor;
    if (rank_of(U) != 2 || d->category != op_class::view || !d->swaps_last_two_axes || d->rank != 2) return false;
    if (G.nodes[ib].fan_out != 1 || G.nodes[U].operands[0] == ib) return false;
    const std::size_t src = G.nodes[ib].operands[0];
    return G.nodes[src].fan_out == 1 && P.edge[U][1] != write::none && P.edge[ib][0] == write::assign &&
           !P.zero_first[src] && P.roles[ib] == role::alias;
  }

  /// Whether view node V's reverse pass was done by its consumer (see above).
  template <std::size_t V>
  static constexpr bool adjoint_written_by_consumer() {
    if constexpr (G.nodes[V].consumer == graph::npos) {
      return false;
    } else {
      constexpr std::size_t c = G.nodes[V].consumer;
      if constexpr (G.nodes[c].descriptor->category == op_class::matmul && G.nodes[c].operands[1] == V)
        return writes_transposed_operand_adjoint<c>();
      else
        return false;
    }
  }

  template <std::size_t U>
  void matmul_backward() {
    constexpr const graph::node_record& r = G.nodes[U];
    constexpr std::size_t R = rank_of(U);
    constexpr std::size_t ia = r.operands[0], ib = r.operands[1];
    const layout<T>& a = val_[ia];
    const layout<T>& b = val_[ib];
    const layout<T>& g = adj_[U];
    const std::size_t m = g.ext[R - 2], n = g.ext[R - 1], k = a.ext[R - 1];
    const std::size_t batches = R == 3 ? g.ext[0] : 1;
    for (std::size_t q = 0; q < batches; ++q) {
      const std::ptrdiff_t qa = R == 3 ? static_cast<std::ptrdiff_t>(q) * a.stride[0] : 0;
      const std::ptrdiff_t qb = R == 3 ? static_cast<std::ptrdiff_t>(q) * b.stride[0] : 0;
      const T* pg = g.data + static_cast<std::ptrdiff_t>(q * m * n);
      if constexpr (P.edge[U][0] != write::none) {
        // dA (m x k) = G (m x n) Bᵀ
        constexpr T beta = P.edge[U][0] == write::assign ? T(0) : T(1);
        T* da = adj_[ia].data + static_cast<std::ptrdiff_t>(q * m * k);
        const matrix mb = as_matrix(b, R, qb);
        if (n == 0) {
          if (beta == T(0)) std::fill(da, da + m * k, T(0));
        } else if (m > 0 && k > 0) {
          gemm_sized<static_extent(U, R - 2), static_extent(ia, R - 1), static_extent(U, R - 1)>(
              false, !mb.trans, m, k, n, pg, n, mb.data, mb.ld, beta, da, k);
        }
      }
      if constexpr (writes_transposed_operand_adjoint<U>()) {
        // B = Sᵀ: dS (n x k) = (Aᵀ G)ᵀ = Gᵀ A, assigned to S's adjoint.
        T* ds = adj_[G.nodes[ib].operands[0]].data;
        const matrix ma = as_matrix(a, R, qa);
        if (m == 0) {
          std::fill(ds, ds + k * n, T(0));
        } else if (k > 0 && n > 0) {
          gemm_sized<static_extent(U, R - 1), static_extent(ia, R - 1), static_extent(U, R - 2)>(
              true, ma.trans, n, k, m, pg, n, ma.data, ma.ld, T(0), ds, k);
        }
      } else if constexpr (P.edge[U][1] != write::none) {
        // dB (k x n) = Aᵀ G (m x n)
        constexpr T beta = P.edge[U][1] == write::assign ? T(0) : T(1);
        T* db = adj_[ib].data + static_cast<std::ptrdiff_t>(q * k * n);
        const matrix ma = as_matrix(a, R, qa);
        if (m == 0) {
          if (beta == T(0)) std::fill(db, db + k * n, T(0));
        } else if (k > 0 && n > 0) {
          gemm_sized<static_extent(ia, R - 1), static_extent(U, R - 1), static_extent(U, R - 2)>(
              !ma.trans, false, k, n, m, ma.data, ma.ld, pg, n, beta, db, n);
        }
      }
    }
  }

  template <std::size_t U>
  void view_backward() {
    constexpr const graph::node_descriptor* d = G.nodes[U].descriptor;
    using op = typename node_t<U>::op;
    constexpr std::size_t o = G.nodes[U].operands[0];
    constexpr write mode = P.edge[U][0];
    if constexpr (mode != write::none) {
      const layout<T>& g = adj_[U];
      layout<T> dst = adj_[o];  // the operand's adjoint, seen through the view
      const std::size_t total = element_count(dst.ext, rank_of(o));
      if constexpr (d->name == "transpose") {
        std::swap(dst.ext[op::axis0], dst.ext[op::axis1]);
        std::swap(dst.stride[op::axis0], dst.stride[op::axis1]);
      } else if constexpr (d->name == "slice") {
        const std::ptrdiff_t row = dst.stride[0];
        if constexpr (mode == write::assign) {
          std::fill(dst.data, dst.data + static_cast<std::ptrdiff_t>(op::begin) * row, T(0));
          std::fill(dst.data + static_cast<std::ptrdiff_t>(op::end) * row, dst.data + total, T(0));
        }
        dst.data += static_cast<std::ptrdiff_t>(op::begin) * row;
        dst.ext[0] = op::end - op::begin;
      } else {  // reshape: the same elements in the same order
        const std::size_t n = element_count(g.ext, rank_of(U));
        for (std::size_t i = 0; i < n; ++i) {
          if constexpr (mode == write::assign) dst.data[i] = g.data[i];
          else dst.data[i] += g.data[i];
        }
        return;
      }
      for_each_pair(rank_of(U), g.ext, dst.stride, g.stride, [&](std::ptrdiff_t od, std::ptrdiff_t og) {
        if constexpr (mode == write::assign) dst.data[od] = g.data[og];
        else dst.data[od] += g.data[og];
      });
    }
  }

  template <std::size_t U>
  void concat_backward() {
    using op = typename node_t<U>::op;
    constexpr std::size_t R = rank_of(U);
    const layout<T>& g = adj_[U];
    std::size_t at = 0;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (
          [&] {
            constexpr std::size_t x = G.nodes[U].operands[K];
            constexpr write mode = P.edge[U][K];
            const extents_t& ex = val_[x].ext;
            if constexpr (mode != write::none) {
              const T* base = g.data + static_cast<std::ptrdiff_t>(at) * g.stride[op::axis];
              T* dst = adj_[x].data;
              for_each_pair(R, ex, adj_[x].stride, g.stride, [&](std::ptrdiff_t od, std::ptrdiff_t og) {
                if constexpr (mode == write::assign) dst[od] = base[og];
                else dst[od] += base[og];
              });
            }
            at += ex[op::axis];
          }(),
          ...);
    }(std::make_index_sequence<G.nodes[U].arity>{});
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
