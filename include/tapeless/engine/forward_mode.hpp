#pragma once
// Forward mode and second order on tensor graphs, compiled once like tl::compile:
//   auto j = tl::jvp(f, tl::wrt(w1, w2));  j(x = X, w1 = W1, w2 = W2, tl::along(v1, v2))
//       -> .value(), .tangent()            (J v in one forward sweep)
//   auto h = tl::hvp(loss, tl::wrt(w1, w2)); h(bindings..., tl::along(v1, v2))
//       -> .value(), .grad(w), .hvp(w)     (forward over reverse)
//   tl::jacobian(f, w).at(bindings...)     -> J with shape f.shape ++ w.shape
//   tl::hessian(loss, tl::wrt(a, b)).at(bindings...) -> dense H over the flattened leaves
// Given the directions up front (`tl::jvp(f, tl::wrt(w), v)`), a step holds references to them
// and is called with the bindings alone.
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <xtensor/xtensor.hpp>

#include "../core/expression.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "result.hpp"
#include "tensor/compiled.hpp"
#include "tensor/dual_step.hpp"

namespace tapeless {

template <class... V>
inline constexpr bool is_call_option_v<along_list<V...>> = true;
template <class T, std::size_t W>
inline constexpr bool is_call_option_v<std::array<engine::tensor::direction_data<T>, W>> = true;

namespace detail {

template <class A>
inline constexpr std::size_t directions_in = 0;
template <class... V>
inline constexpr std::size_t directions_in<along_list<V...>> = sizeof...(V);
template <class T, std::size_t W>
inline constexpr std::size_t directions_in<std::array<engine::tensor::direction_data<T>, W>> = W;

/// Whether a step's arguments hold exactly one set of directions (tl::along, or direction data
/// made at run time), with W directions.
template <std::size_t W, class... A>
inline constexpr bool one_direction_per_leaf =
    (std::size_t{is_call_option_v<A>} + ... + 0) == 1 && (directions_in<A> + ... + 0) == W;

/// The call's directions as run-time data.
template <class T, class A>
constexpr auto directions_argument(const A& a) {
  if constexpr (is_along_v<A>) return std::tuple{engine::tensor::directions_of<T>(a)};
  else if constexpr (is_call_option_v<A>) return std::tuple<const A&>{a};
  else return std::tuple<>{};
}
template <class T, class... A>
constexpr auto directions_of_call(const A&... args) {
  return std::get<0>(std::tuple_cat(directions_argument<T>(args)...));
}

}  // namespace detail

namespace engine::tensor {

/// The checks of a step that runs along directions, in the name of Api.
template <engine::detail::entry Api, std::size_t W, class... A>
constexpr bool accepts_directions() {
  constexpr bool ok = ::tapeless::detail::one_direction_per_leaf<W, A...>;
  if constexpr (Api == engine::detail::entry::hvp)
    static_assert(ok, "tapeless::hvp: pass the bindings and one tl::along(v...) with a direction per wrt leaf, in the "
                      "order of tl::wrt(...)");
  else
    static_assert(ok, "tapeless::jvp: pass the bindings and one tl::along(v...) with a direction per wrt leaf, in the "
                      "order of tl::wrt(...)");
  return ok;
}

/// What the J v and H v policies share: the plan on dual numbers, its buffer counts, and the
/// check and run along the call's directions.
template <class E, bool Reverse, class... Wrt>
class dual_policy {
 public:
  using value_type = typename E::value_type;
  using dual_type = dual_step<E, Reverse, Wrt...>;
  static constexpr std::size_t value_buffers = dual_type::executor_type::P.value_buffers;
  static constexpr std::size_t adjoint_buffers = dual_type::executor_type::P.adjoint_buffers;

  template <engine::detail::entry Api, class... A>
  static constexpr bool accepts() {
    return accepts_directions<Api, sizeof...(Wrt), A...>();
  }

  [[nodiscard]] std::size_t workspace_elements() const { return s_.state().workspace_elements(); }

 protected:
  /// Packs the leaves with the call's directions and runs the plan.
  template <class Expr, class Bindings, class... A>
  void sweep(const Expr& expr, const Bindings& b, const A&... args) {
    s_.run(expr, b, ::tapeless::detail::directions_of_call<value_type>(args...));
  }

  dual_type s_;
};

/// J v of a tensor graph along directions of its wrt leaves: one forward sweep on dual numbers.
template <class E, class... Wrt>
class jvp_policy : public dual_policy<E, false, Wrt...> {
  using base = dual_policy<E, false, Wrt...>;

 public:
  using typename base::dual_type;
  using typename base::value_type;
  using output_type = owned_tensor_t<value_type, E>;
  static constexpr engine::detail::entry api = engine::detail::entry::jvp;

  template <class Expr, class Bindings, class... A>
  void run(const Expr& expr, const Bindings& b, const A&... args) {
    this->sweep(expr, b, args...);
    const auto& l = this->s_.state().value_layout(dual_type::root);
    dual_type::template unpack<0, E::shape_type::rank>(l, value_);
    dual_type::template unpack<1, E::shape_type::rank>(l, tangent_);
  }

  class result {
   public:
    explicit result(const jvp_policy& p) : p_(&p) {}
    /// The value of the expression (owned by the step; valid until its next call).
    [[nodiscard]] const output_type& value() const { return p_->value_; }
    /// The directional derivative J v, of the expression's shape.
    [[nodiscard]] const output_type& tangent() const { return p_->tangent_; }

   private:
    const jvp_policy* p_;
  };

 private:
  output_type value_{}, tangent_{};
};

/// The value, the gradient and H v of a scalar tensor graph: forward over reverse.
template <class E, class... Wrt>
class hvp_policy : public dual_policy<E, true, Wrt...> {
  using base = dual_policy<E, true, Wrt...>;

 public:
  using typename base::dual_type;
  using typename base::value_type;
  static constexpr engine::detail::entry api = engine::detail::entry::hvp;
  template <class Leaf>
  static constexpr std::size_t wrt_index = gradients<value_type, Wrt...>::template index_of<Leaf>;

  template <class Expr, class Bindings, class... A>
  void run(const Expr& expr, const Bindings& b, const A&... args) {
    this->sweep(expr, b, args...);
    const auto& s = this->s_;
    value_ = s.state().value_layout(dual_type::root).data->v;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((dual_type::template unpack<0, Wrt::shape_type::rank>(s.state().adjoint_layout(dual_type::ids[K]),
                                                             std::get<K>(grad_)),
        dual_type::template unpack<1, Wrt::shape_type::rank>(s.state().adjoint_layout(dual_type::ids[K]),
                                                             std::get<K>(hvp_))),
       ...);
    }(std::index_sequence_for<Wrt...>{});
  }

  class result {
   public:
    explicit result(const hvp_policy& p) : p_(&p) {}
    [[nodiscard]] value_type value() const { return p_->value_; }
    /// The gradient with respect to `leaf` (owned by the step; valid until its next call).
    template <class Leaf>
    [[nodiscard]] const auto& grad(const Leaf&) const {
      static_assert(wrt_index<Leaf> < sizeof...(Wrt), "tapeless::hvp: this leaf is not in tl::wrt(...)");
      return std::get<(wrt_index<Leaf> < sizeof...(Wrt) ? wrt_index<Leaf> : 0)>(p_->grad_);
    }
    /// The Hessian-vector product's block of `leaf`: sum over k of d²f / (d leaf d w_k) v_k.
    template <class Leaf>
    [[nodiscard]] const auto& hvp(const Leaf&) const {
      static_assert(wrt_index<Leaf> < sizeof...(Wrt), "tapeless::hvp: this leaf is not in tl::wrt(...)");
      return std::get<(wrt_index<Leaf> < sizeof...(Wrt) ? wrt_index<Leaf> : 0)>(p_->hvp_);
    }

   private:
    const hvp_policy* p_;
  };

  /// The H v blocks of the last call, in wrt order.
  const auto& hvp_blocks() const { return hvp_; }

 private:
  value_type value_{};
  std::tuple<owned_tensor_t<value_type, Wrt>...> grad_{}, hvp_{};
};

}  // namespace engine::tensor

/// A J v step of a tensor graph: `step(bindings..., tl::along(v...))` gives .value(), .tangent().
template <class E, class... Wrt>
using jvp_step = step<E, engine::tensor::jvp_policy<E, Wrt...>>;

/// An H v step of a scalar tensor graph: `step(bindings..., tl::along(v...))` gives .value(),
/// .grad(w), .hvp(w).
template <class E, class... Wrt>
using hvp_step = step<E, engine::tensor::hvp_policy<E, Wrt...>>;

/// A step with its directions given up front: called with the bindings alone.
template <class Step, class... V>
class directed_step {
 public:
  directed_step(Step s, const V&... v) : step_(std::move(s)), v_(&v...) {}
  template <class... B>
  auto at(const B&... data) {
    return std::apply([&](const V*... v) { return step_(data..., along(*v...)); }, v_);
  }
  template <class... B>
  auto operator()(const B&... data) {
    return at(data...);
  }

 private:
  Step step_;
  std::tuple<const V*...> v_;
};

namespace detail {
template <class T, class Leaf>
std::size_t bound_count(const Leaf&, const T& v) {
  if constexpr (Leaf::shape_type::rank == 0) return 1;
  else {
    std::size_t n = 1;
    for (std::size_t e : v.extents) n *= e;
    return n;
  }
}
}  // namespace detail

/// The Jacobian of a tensor graph with respect to one leaf, of shape f.shape ++ w.shape: by
/// reverse sweeps over the output's elements or forward sweeps over the leaf's, whichever are
/// fewer.
template <class E, class Leaf>
class jacobian_function {
 public:
  using T = typename E::value_type;
  static constexpr std::size_t out_rank = E::shape_type::rank, in_rank = Leaf::shape_type::rank;

  explicit jacobian_function(const E& e) : reverse_(e), forward_(e) {}

  template <class... B>
  [[nodiscard]] xt::xtensor<T, out_rank + in_rank> at(const B&... data) {
    const auto b = detail::as_bindings(data...);
    xt::xtensor<T, out_rank + in_rank> j;
    if constexpr (engine::detail::check_bindings<engine::detail::entry::jacobian, E, std::remove_cvref_t<decltype(b)>>()) {
      const auto& w = b.template get<Leaf>();
      const std::size_t n_in = detail::bound_count(Leaf{}, w);
      // One forward sweep along zero gives the output's extents.
      std::array<engine::tensor::direction_data<T>, 1> dir{};
      unit_.assign(n_in, T(0));
      set_direction(dir[0], w);
      forward_.template run<engine::detail::entry::jacobian>(b, dir);
      [[maybe_unused]] const auto& out = forward_.last().value();
      std::array<std::size_t, out_rank + in_rank> shape{};
      std::size_t n_out = 1;
      if constexpr (out_rank > 0)
        for (std::size_t d = 0; d < out_rank; ++d) n_out *= shape[d] = out.shape()[d];
      if constexpr (in_rank > 0)
        for (std::size_t d = 0; d < in_rank; ++d) shape[out_rank + d] = w.extents[d];
      j = xt::xtensor<T, out_rank + in_rank>::from_shape(shape);
      if (n_out <= n_in) {
        std::array<std::size_t, out_rank> out_shape{};
        for (std::size_t d = 0; d < out_rank; ++d) out_shape[d] = shape[d];
        seed_.assign(n_out, T(0));
        for (std::size_t r = 0; r < n_out; ++r) {
          seed_[r] = T(1);
          const auto g = sweep_reverse(b, out_shape);
          if constexpr (in_rank == 0) j.data()[r] = g.grad(Leaf{});
          else std::copy(g.grad(Leaf{}).begin(), g.grad(Leaf{}).end(), j.data() + r * n_in);
          seed_[r] = T(0);
        }
      } else {
        for (std::size_t c = 0; c < n_in; ++c) {
          unit_[c] = T(1);
          set_direction(dir[0], w);
          if constexpr (in_rank == 0) dir[0].number = T(1);
          forward_.template run<engine::detail::entry::jacobian>(b, dir);
          const auto& column = forward_.last().tangent();
          for (std::size_t r = 0; r < n_out; ++r) {
            if constexpr (out_rank == 0) j.data()[r * n_in + c] = column;
            else j.data()[r * n_in + c] = column.data()[r];
          }
          unit_[c] = T(0);
        }
      }
    }
    return j;
  }
  template <class... B>
  [[nodiscard]] auto operator()(const B&... data) {
    return at(data...);
  }

 private:
  template <class V>
  void set_direction(engine::tensor::direction_data<T>& d, const V& w) {
    if constexpr (in_rank > 0) {
      d.data = unit_.data();
      d.rank = in_rank;
      for (std::size_t k = 0; k < in_rank; ++k) d.ext[k] = w.extents[k];
    }
  }

  template <class Bindings, std::size_t R>
  auto sweep_reverse(const Bindings& b, const std::array<std::size_t, R>& out_shape) {
    if constexpr (R == 0) {
      reverse_.template run<engine::detail::entry::jacobian>(b);
    } else {
      tensor_view<T, R> s{seed_.data(), out_shape};
      reverse_.template run<engine::detail::entry::jacobian>(b, seed_gradient<T, R>{s});
    }
    return reverse_.last();
  }

  compiled_tensor<E, Leaf> reverse_;
  jvp_step<E, Leaf> forward_;
  std::vector<T> unit_, seed_;
};

/// The dense Hessian of a scalar tensor graph with respect to Wrt..., flattened in wrt order
/// (row-major within each leaf): one H v per column.
template <class E, class... Wrt>
class tensor_hessian_function {
 public:
  using T = typename E::value_type;
  explicit tensor_hessian_function(const E& e) : step_(e) {}

  template <class... B>
  [[nodiscard]] xt::xtensor<T, 2> at(const B&... data) {
    const auto b = detail::as_bindings(data...);
    xt::xtensor<T, 2> h;
    if constexpr (engine::detail::check_bindings<engine::detail::entry::hessian, E, std::remove_cvref_t<decltype(b)>>()) {
      std::array<std::size_t, sizeof...(Wrt)> count{}, first{};
      std::array<engine::tensor::direction_data<T>, sizeof...(Wrt)> dir{};
      std::size_t n = 0;
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((count[K] = detail::bound_count(Wrt{}, b.template get<Wrt>()), first[K] = n, n += count[K]), ...);
      }(std::index_sequence_for<Wrt...>{});
      units_.assign(n, T(0));
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        (
            [&] {
              if constexpr (Wrt::shape_type::rank > 0) {
                const auto& v = b.template get<Wrt>();
                dir[K].data = units_.data() + first[K];
                dir[K].rank = Wrt::shape_type::rank;
                for (std::size_t d = 0; d < Wrt::shape_type::rank; ++d) dir[K].ext[d] = v.extents[d];
              }
            }(),
            ...);
      }(std::index_sequence_for<Wrt...>{});
      h = xt::xtensor<T, 2>::from_shape({n, n});
      std::size_t c = 0;
      for (std::size_t k = 0; k < sizeof...(Wrt); ++k)
        for (std::size_t e = 0; e < count[k]; ++e, ++c) {
          units_[c] = T(1);
          dir[k].number = T(1);
          step_.template run<engine::detail::entry::hessian>(b, dir);
          units_[c] = T(0);
          dir[k].number = T(0);
          [&]<std::size_t... K>(std::index_sequence<K...>) {
            (
                [&] {
                  const auto& block = std::get<K>(step_.policy().hvp_blocks());
                  if constexpr (Wrt::shape_type::rank == 0) h(first[K], c) = block;
                  else
                    for (std::size_t r = 0; r < count[K]; ++r) h(first[K] + r, c) = block.data()[r];
                }(),
                ...);
          }(std::index_sequence_for<Wrt...>{});
        }
    }
    return h;
  }
  template <class... B>
  [[nodiscard]] auto operator()(const B&... data) {
    return at(data...);
  }

 private:
  hvp_step<E, Wrt...> step_;
  std::vector<T> units_;
};

/// d²f/dx² for one leaf of a tensor graph: shape x.shape ++ x.shape (a number for a scalar x).
template <class E, class Leaf>
class tensor_leaf_hessian_function : tensor_hessian_function<E, Leaf> {
 public:
  using base = tensor_hessian_function<E, Leaf>;
  using T = typename E::value_type;
  static constexpr std::size_t R = Leaf::shape_type::rank;
  explicit tensor_leaf_hessian_function(const E& e) : base(e) {}

  template <class... B>
  [[nodiscard]] auto at(const B&... data) {
    const xt::xtensor<T, 2> h = base::at(data...);
    if constexpr (R == 0) {
      return h.size() > 0 ? h(0, 0) : T(0);
    } else {
      std::array<std::size_t, 2 * R> shape{};
      const auto b = detail::as_bindings(data...);
      const auto& x = b.template get<Leaf>();
      for (std::size_t d = 0; d < R; ++d) shape[d] = shape[R + d] = x.extents[d];
      xt::xtensor<T, 2 * R> out = xt::xtensor<T, 2 * R>::from_shape(shape);
      std::copy(h.begin(), h.end(), out.begin());
      return out;
    }
  }
  template <class... B>
  [[nodiscard]] auto operator()(const B&... data) {
    return at(data...);
  }
};

}  // namespace tapeless
