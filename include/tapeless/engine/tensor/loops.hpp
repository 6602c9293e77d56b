#pragma once
// Loop units: one loop per elementwise region (its fused members evaluated per element, in
// registers) and per reduction (with its fused operand tree), forward and reverse. The
// reverse loop recomputes fused members per element rather than storing them.
#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <utility>

#include "../../detail/dual.hpp"
#include "../../ops/reduce.hpp"
#include "loop_plan.hpp"
#include "state.hpp"

namespace tapeless::engine::tensor {

template <class Root, class S, class... Wrt>
class loop_units : public tensor_state<Root, S, Wrt...> {
  using base = tensor_state<Root, S, Wrt...>;

 public:
  using typename base::T;
  using base::G;
  using base::N;
  using base::P;
  using base::root;
  using base::rank_of;
  using base::static_count;
  using base::static_extent;
  template <std::size_t I>
  using node_t = typename base::template node_t<I>;
  template <std::size_t U>
  using loop = loop_info<base, U>;

  /// A full sum or mean at the root whose gradient is taken: its adjoint (the seed) is known
  /// before the pass, so its value is summed in the same loop as the reverse pass, reading each
  /// element once.
  static constexpr bool root_fused_with_backward = [] {
    const graph::node_descriptor* d = G.nodes[root].descriptor;
    return P.needed[root] && d->kind == node_kind::op && d->category == op_class::reduction && d->rank == 0 && d->sums;
  }();

 protected:
  using base::adj_;
  using base::aux_;
  using base::val_;

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
      s.in[K] = this->val_[x].data;
      if constexpr (info::R > 0) s.in_stride[K] = aligned_strides(this->val_[x], base::rank_of(x), it, info::declared_R);
      if constexpr (base::P.has_adjoint(x)) {
        if (with_adjoints) {
          s.adj[K] = this->adj_[x].data;
          if constexpr (info::R > 0)
            s.adj_stride[K] = aligned_strides(this->adj_[x], base::rank_of(x), it, info::declared_R);
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
    std::array<std::ptrdiff_t, n> step;       // adjoints written with a run-time stride
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
    if constexpr (Reverse && base::P.in_place[U]) {
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
      v[info::local(M)] = ::tapeless::detail::apply_forward<op, T>(v[info::local(base::G.nodes[M].operands[K])]...);
    }(std::make_index_sequence<base::G.nodes[M].arity>{});
  }

  template <std::size_t U>
  void loop_forward() {
    using info = loop<U>;
    const extents_t& it = this->val_[U].ext;
    constexpr std::size_t R = info::R;
    // With a static iteration space the trip counts are constants: the compiler unrolls and
    // vectorises the short rows of small networks.
    constexpr std::size_t static_total = base::static_count(U);
    constexpr std::size_t static_n = R == 0 ? 1 : base::static_extent(U, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t rows = static_total > 0 ? static_total / static_n
                                              : R == 0 ? 1 : element_count(it, R) / std::max<std::size_t>(n, 1);
    streams<U> s;
    setup_inputs<U>(s, it, false);
    T* out = this->val_[U].data;
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
    constexpr std::size_t R = loop<U>::declared_R;
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
    const extents_t& it = this->val_[info::top].ext;
    constexpr std::size_t static_total = base::static_count(info::top);
    constexpr std::size_t static_n = R == 0 ? 1 : base::static_extent(info::top, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t total = static_total > 0 ? static_total : element_count(it, R);
    const std::size_t rows = n == 0 ? 0 : total / n;
    layout<T>& out = this->val_[U];
    const std::size_t out_n = element_count(out.ext, base::rank_of(U));
    const T identity = op::kind == ops::reduce_kind::max   ? -::tapeless::detail::infinity<T>()
                       : op::kind == ops::reduce_kind::min ? ::tapeless::detail::infinity<T>()
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
      // Ties share the gradient: count the elements equal to each result. On dual numbers the
      // result's derivative is the mean of the tied elements' derivatives, the same split, so
      // that forward and reverse mode are each other's transpose.
      T* count = this->aux_[U];
      std::fill(count, count + out_n, T(0));
      constexpr bool tangents = ::tapeless::detail::is_dual_v<T>;
      if constexpr (tangents)
        for (std::size_t i = 0; i < out_n; ++i) out.data[i].d = 0;
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
          const bool tie = v[info::local(info::top)] == out.data[o];
          count[o] += tie ? T(1) : T(0);
          if constexpr (tangents)
            if (tie) out.data[o].d += v[info::local(info::top)].d;
        }
      }
      if constexpr (tangents)
        for (std::size_t i = 0; i < out_n; ++i)
          if (count[i].v > 0) out.data[i].d /= count[i].v;
    }
  }

  template <std::size_t U, std::size_t M>
  static void pull(const T* v, T* a, adjoint_row<U>& s, std::size_t j, std::size_t l) {
    using info = loop<U>;
    using op = typename node_t<M>::op;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (pull_edge<U, M, K>(v, a, s, j, l, [&] {
         return static_cast<T>(
             op::template vjp<K>(a[info::local(M)], v[info::local(M)], v[info::local(base::G.nodes[M].operands[K])]...));
       }),
       ...);
    }(std::make_index_sequence<base::G.nodes[M].arity>{});
  }

  template <std::size_t U, std::size_t M, std::size_t K, class F>
  static void pull_edge(const T*, T* a, adjoint_row<U>& s, std::size_t j, std::size_t l, F&& contribution) {
    using info = loop<U>;
    constexpr write mode = base::P.edge[M][K];
    if constexpr (mode != write::none) {
      constexpr std::size_t x = base::G.nodes[M].operands[K];
      const T c = contribution();
      if constexpr (base::P.roles[x] == role::fused) {
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
    } else if constexpr (kind == 2) {
      // Possibly stride 0 (broadcast): the plan accumulates into an adjoint zeroed first.
      s.ptr[K][static_cast<std::ptrdiff_t>(j) * s.step[K]] += c;
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
    const extents_t& it = this->val_[info::top].ext;
    constexpr std::size_t static_total = base::static_count(info::top);
    constexpr std::size_t static_n = R == 0 ? 1 : base::static_extent(info::top, R - 1);
    const std::size_t n = static_total > 0 ? static_n : R == 0 ? 1 : it[R - 1];
    const std::size_t total = static_total > 0 ? static_total : element_count(it, R);
    const std::size_t rows = n == 0 ? 0 : total / n;
    streams<U> s;
    setup_inputs<U>(s, it, true);
    // The adjoint arriving at the loop's top node, per element.
    const layout<T>& g = this->adj_[U];
    strides_t gs{};
    T scale = T(1);
    if constexpr (reduction) {
      gs = reduced_strides<U>(g);
      using op = typename node_t<U>::op;
      if constexpr (op::kind == ops::reduce_kind::mean) {
        const std::size_t out_n = element_count(this->val_[U].ext, base::rank_of(U));
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
    constexpr bool short_rows = R > 0 && base::static_extent(info::top, R - 1) != dynamic && base::static_extent(info::top, R - 1) < lanes;
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
      for (std::size_t k = 0; k < info::input_count; ++k) {
        ar.ptr[k] = s.adj[k] + s.adj_off[k];
        if constexpr (R > 0) ar.step[k] = s.adj_stride[k][R - 1];
      }
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
            top_adjoint = (v[info::local(info::top)] == this->val_[U].data[go] ? top_adjoint : T(0)) / this->aux_[U][go];
          if constexpr (base::P.roles[info::top] == role::fused) {
            a[info::local(info::top)] = top_adjoint;
          } else {
            constexpr std::size_t k = info::local(info::top);
            if constexpr (base::P.edge[U][0] != write::none) deliver<U, k, base::P.edge[U][0]>(ar, top_adjoint, j, l);
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
      this->val_[U].data[0] = sum_lanes(value_lane) * scale;
    }
  }
};

}  // namespace tapeless::engine::tensor
