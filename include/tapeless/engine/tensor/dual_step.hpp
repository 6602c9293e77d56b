#pragma once
// Forward mode and forward over reverse on tensor graphs. The tensor engine runs its plan on
// dual numbers (a value and its derivative along a direction): every op's rules are written
// once for any number type, views see dual memory as they see plain memory, and products run
// on BLAS over value and derivative planes (blas.hpp). A leaf that only products read is bound
// in place as two planes (the binding's memory, and the direction's or none); every other
// leaf is packed into a dual buffer owned by the step (value from the binding, derivative from
// the direction, zero for leaves outside the direction). Then:
//   forward only    -> the value and the directional derivative J v (one sweep);
//   forward+reverse -> the value, the gradient and its directional derivative H v.
// No tape, and once laid out no heap allocation per step.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "../../core/tensor_view.hpp"
#include "../../detail/dual.hpp"
#include "executor.hpp"

namespace tapeless {

/// Directions (tangents) for the wrt leaves, in the order of tl::wrt: `tl::along(v1, v2)`.
/// It refers to its arguments: pass it straight to a step.
template <class... V>
struct along_list {
  std::tuple<const V&...> items;
};

template <class... V>
[[nodiscard]] constexpr along_list<V...> along(const V&... v) {
  return {{v...}};
}

template <class T>
inline constexpr bool is_along_v = false;
template <class... V>
inline constexpr bool is_along_v<along_list<V...>> = true;

}  // namespace tapeless

namespace tapeless::engine::tensor {

/// One direction's data at run time: a number, or contiguous elements with extents.
template <class T>
struct direction_data {
  const T* data = nullptr;
  T number{};
  extents_t ext{};
  std::size_t rank = 0;
};

/// The data of direction V for a leaf of dtype T (a number, an xtensor container, tl::view).
template <class T, class V>
direction_data<T> direction_of(const V& v) {
  direction_data<T> d;
  if constexpr (std::is_arithmetic_v<V>) {
    d.number = static_cast<T>(v);
  } else if constexpr (requires { v.extents; v.data; }) {
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(*v.data)>, T>,
                  "tapeless: a direction has another dtype than the expression");
    d.data = v.data;
    d.rank = v.extents.size();
    for (std::size_t k = 0; k < d.rank && k < max_rank; ++k) d.ext[k] = v.extents[k];
  } else {
    static_assert(std::is_same_v<typename V::value_type, T>,
                  "tapeless: a direction has another dtype than the expression");
    static_assert(V::static_layout == xt::layout_type::row_major,
                  "tapeless: a direction must be a row-major container (xt::xtensor, xt::xarray)");
    d.data = v.data();
    d.rank = v.shape().size();
    for (std::size_t k = 0; k < d.rank && k < max_rank; ++k) d.ext[k] = static_cast<std::size_t>(v.shape()[k]);
  }
  return d;
}

template <class T, class... V>
std::array<direction_data<T>, sizeof...(V)> directions_of(const along_list<V...>& a) {
  return std::apply([](const auto&... v) { return std::array<direction_data<T>, sizeof...(V)>{direction_of<T>(v)...}; },
                    a.items);
}

/// Dual data bound to a tensor leaf: packed dual numbers, or (data null) value and derivative
/// planes read in place (a null derivative plane is zero).
template <class D, std::size_t R>
struct dual_data {
  const D* data = nullptr;
  std::array<std::size_t, R> extents{};
  const decltype(D::v)* value_plane = nullptr;
  const decltype(D::v)* derivative_plane = nullptr;
};

/// The plan of E run on dual numbers: forward only (Reverse false: J v) or forward and reverse
/// with gradients for Wrt... (H v).
template <class E, bool Reverse, class... Wrt>
class dual_step {
 public:
  using T = typename E::value_type;
  using D = ::tapeless::detail::dual<T>;
  using executor_type = std::conditional_t<Reverse, executor<E, D, Wrt...>, executor<E, D>>;
  static constexpr std::size_t N = graph::node_count_v<E>;
  static constexpr std::size_t root = N - 1;
  static constexpr const auto& G = graph::graph_v<E>;
  static constexpr std::size_t W = sizeof...(Wrt);
  static constexpr std::array<std::size_t, W> ids = wrt_ids_v<E, Wrt...>;

  /// Packs the leaves with the directions and runs the plan; the reverse pass starts from
  /// `seed` (the root's adjoint, contiguous; null: a scalar root, seed 1).
  template <class Expr, class Bindings>
  void run(const Expr& e, const Bindings& b, const std::array<direction_data<T>, W>& dir, const D* seed = nullptr) {
    pack_all(b, dir, std::make_index_sequence<N>{});
    x_.forward(e, packed{this});
    if constexpr (Reverse) x_.backward(seed);
  }

  const executor_type& state() const { return x_; }

  /// Copies the value (Part 0) or derivative (Part 1) of a layout of rank R into `out`.
  template <int Part, std::size_t R, class Out>
  static void unpack(const layout<D>& l, Out& out) {
    if constexpr (R == 0) {
      out = Part == 0 ? l.data->v : l.data->d;
    } else {
      std::array<std::size_t, R> shape{};
      for (std::size_t k = 0; k < R; ++k) shape[k] = l.ext[k];
      if (!std::equal(shape.begin(), shape.end(), out.shape().begin())) out.resize(shape);
      T* o = out.data();
      const strides_t dense = contiguous_strides(l.ext, R);
      for_each_pair(R, l.ext, l.stride, dense,
                    [&](std::ptrdiff_t from, std::ptrdiff_t to) { o[to] = Part == 0 ? l.data[from].v : l.data[from].d; });
    }
  }

 private:
  template <class Leaf>
  static constexpr std::size_t node_of = G.find(graph::descriptor_v<Leaf>);

  template <std::size_t J>
  static constexpr bool op_reads_planes() {
    if constexpr (G.nodes[J].descriptor->kind != node_kind::op) return false;
    else if constexpr (requires { graph::node_type_t<E, J>::op::reads_planes; })
      return graph::node_type_t<E, J>::op::reads_planes;
    else return false;
  }
  static constexpr std::array<bool, N> reads_planes = []<std::size_t... J>(std::index_sequence<J...>) {
    return std::array<bool, N>{op_reads_planes<J>()...};
  }(std::make_index_sequence<N>{});

  /// Whether tensor leaf I is bound in place as planes: read, and only by ops whose kernels
  /// read planes (products), so the packing into dual numbers, and the products' splitting
  /// back into planes, are both skipped.
  static constexpr bool bound_as_planes(std::size_t i) {
    if (i == root) return false;
    bool read = false;
    for (std::size_t j = 0; j < N; ++j)
      for (std::size_t k = 0; k < G.nodes[j].arity; ++k)
        if (G.nodes[j].operands[k] == i) {
          if (!reads_planes[j]) return false;
          read = true;
        }
    return read;
  }

  template <class Leaf>
  static constexpr std::size_t wrt_index = [] {
    constexpr bool match[] = {std::is_same_v<Leaf, Wrt>..., false};
    std::size_t i = 0;
    while (i < W && !match[i]) ++i;
    return i;
  }();

  /// The bindings the executor reads: each leaf's packed dual data.
  struct packed {
    const dual_step* s;
    template <class Leaf>
    auto get() const {
      constexpr std::size_t i = node_of<Leaf>;
      if constexpr (Leaf::shape_type::rank == 0) {
        return s->numbers_[i];
      } else {
        dual_data<D, Leaf::shape_type::rank> v{};
        if constexpr (bound_as_planes(i)) {
          v.value_plane = s->planes_[i][0];
          v.derivative_plane = s->planes_[i][1];
        } else {
          v.data = s->buffers_[i].data();
        }
        for (std::size_t k = 0; k < Leaf::shape_type::rank; ++k) v.extents[k] = s->ext_[i][k];
        return v;
      }
    }
  };

  template <class Bindings, std::size_t... I>
  void pack_all(const Bindings& b, const std::array<direction_data<T>, W>& dir, std::index_sequence<I...>) {
    (pack<I>(b, dir), ...);
  }

  template <std::size_t I, class Bindings>
  void pack(const Bindings& b, const std::array<direction_data<T>, W>& dir) {
    constexpr node_kind kind = G.nodes[I].descriptor->kind;
    if constexpr (kind == node_kind::input || kind == node_kind::param) {
      using Leaf = graph::node_type_t<E, I>;
      constexpr std::size_t R = Leaf::shape_type::rank;
      constexpr std::size_t k = wrt_index<Leaf>;
      const auto& v = b.template get<Leaf>();
      if constexpr (R == 0) {
        T t{};
        if constexpr (k < W) {
          if (dir[k].rank != 0) direction_mismatch<Leaf>(dir[k], nullptr);
          t = dir[k].number;
        }
        numbers_[I] = D(static_cast<T>(v), t);
      } else {
        std::size_t n = 1;
        for (std::size_t d = 0; d < R; ++d) {
          ext_[I][d] = v.extents[d];
          n *= v.extents[d];
        }
        const T* t = nullptr;
        if constexpr (k < W) {
          bool same = dir[k].rank == R;
          for (std::size_t d = 0; d < R && same; ++d) same = dir[k].ext[d] == v.extents[d];
          if (!same) direction_mismatch<Leaf>(dir[k], v.extents.data());
          t = dir[k].data;
        }
        if constexpr (bound_as_planes(I)) {
          planes_[I] = {v.data, t};
          return;
        }
        std::vector<D>& buf = buffers_[I];
        if (buf.size() < n) buf.resize(n);
        if (t)
          for (std::size_t j = 0; j < n; ++j) buf[j] = D(v.data[j], t[j]);
        else
          for (std::size_t j = 0; j < n; ++j) buf[j] = D(v.data[j], T(0));
      }
    }
  }

  template <class Leaf>
  [[noreturn]] static void direction_mismatch(const direction_data<T>& d, const std::size_t* bound) {
    constexpr std::size_t R = Leaf::shape_type::rank;
    throw shape_error("tapeless: the direction for leaf \"" + std::string(Leaf::name.view()) + "\" has extents " +
                      ::tapeless::detail::format_extents(d.ext.data(), d.rank) + ", but the leaf is bound to extents " +
                      ::tapeless::detail::format_extents(bound, bound ? R : 0));
  }

  executor_type x_;
  std::array<std::vector<D>, N> buffers_{};
  std::array<std::array<const T*, 2>, N> planes_{};
  std::array<extents_t, N> ext_{};
  std::array<D, N> numbers_{};
};

}  // namespace tapeless::engine::tensor
