#pragma once
// The step policy of a tensor graph: it owns the executor (plan and workspace) and gives, per
// call, a result that reads the workspace: r.value(), r.grad(w) as xtensor expressions over the
// workspace (no copy), r.grad_into(w, out) into caller-owned memory.
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <xtensor/xadapt.hpp>

#include "../../core/expression.hpp"
#include "../../core/tensor_view.hpp"
#include "../bindings.hpp"
#include "../checks.hpp"
#include "../result.hpp"
#include "../step.hpp"
#include "executor.hpp"

namespace tapeless {

/// The adjoint of a non-scalar output (PyTorch's backward(gradient)): `step(bindings, tl::seed(g))`.
template <dtype T, std::size_t Rank>
struct seed_gradient {
  tensor_view<T, Rank> view;
};

/// Wraps a container (xtensor, or tl::view(pointer, extents...)) as the seed gradient. The seed
/// views the caller's data: a container is taken only by name (an lvalue).
template <class C>
[[nodiscard]] auto seed(C&& c) {
  static_assert(std::is_lvalue_reference_v<C> || requires { c.extents; c.data; },
                "tapeless::seed: the seed gradient must outlive the step's call; pass a named container, not a "
                "temporary (or tl::view(pointer, extents...) of data that lives on)");
  if constexpr (requires { c.extents; c.data; }) {
    return seed_gradient<std::remove_cvref_t<decltype(*c.data)>, std::tuple_size_v<decltype(c.extents)>>{c};
  } else {
    using T = typename std::remove_cvref_t<C>::value_type;
    constexpr std::size_t rank = std::tuple_size_v<std::remove_cvref_t<decltype(c.shape())>>;
    tensor_view<T, rank> v{c.data(), {}};
    for (std::size_t d = 0; d < rank; ++d) v.extents[d] = static_cast<std::size_t>(c.shape()[d]);
    return seed_gradient<T, rank>{v};
  }
}

template <class T>
inline constexpr bool is_seed_v = false;
template <class T, std::size_t R>
inline constexpr bool is_seed_v<seed_gradient<T, R>> = true;
template <class T, std::size_t R>
inline constexpr bool is_call_option_v<seed_gradient<T, R>> = true;

namespace detail {

/// An xtensor expression over `count` elements of workspace memory, without copying.
template <class T, std::size_t Rank>
auto adapt_layout(const T* data, const engine::tensor::extents_t& ext) {
  std::array<std::size_t, Rank> shape{};
  std::size_t n = 1;
  for (std::size_t d = 0; d < Rank; ++d) {
    shape[d] = ext[d];
    n *= ext[d];
  }
  // A prvalue pointer: the adaptor holds the pointer itself, not a reference to this parameter.
  return xt::adapt(static_cast<const T*>(data), n, xt::no_ownership(), shape);
}

/// Copies n contiguous elements into a caller's container or view, checking its extents.
template <class T, std::size_t Rank, class Out>
void copy_out(std::string_view what, const T* data, const engine::tensor::extents_t& ext, Out&& out) {
  std::size_t actual[Rank > 0 ? Rank : 1]{};
  std::size_t n = 1;
  for (std::size_t d = 0; d < Rank; ++d) n *= ext[d];
  T* dst = nullptr;
  std::size_t out_rank = 0;
  std::array<std::size_t, 8> out_ext{};
  if constexpr (requires { out.data(); out.shape(); }) {
    dst = out.data();
    out_rank = out.shape().size();
    for (std::size_t d = 0; d < out_rank && d < 8; ++d) out_ext[d] = static_cast<std::size_t>(out.shape()[d]);
  } else {
    dst = out.data;
    out_rank = out.extents.size();
    for (std::size_t d = 0; d < out_rank && d < 8; ++d) out_ext[d] = out.extents[d];
  }
  bool ok = out_rank == Rank;
  for (std::size_t d = 0; d < Rank; ++d) {
    actual[d] = ext[d];
    ok = ok && out_ext[d] == ext[d];
  }
  if (!ok)
    throw shape_error("tapeless: " + std::string(what) + " has extents " + format_extents(actual, Rank) +
                      ", but the destination has extents " + format_extents(out_ext.data(), out_rank < 8 ? out_rank : 8));
  std::copy(data, data + n, dst);
}

}  // namespace detail

/// Writable memory for a result: `tl::out(pointer, extents...)`.
template <dtype T, std::size_t Rank>
struct output_view {
  T* data = nullptr;
  std::array<std::size_t, Rank> extents{};
};
template <dtype T, class... Extents>
  requires(std::is_integral_v<Extents> && ...)
[[nodiscard]] constexpr output_view<T, sizeof...(Extents)> out(T* data, Extents... extents) {
  return {data, {static_cast<std::size_t>(extents)...}};
}

namespace engine::tensor {

/// The executor of a tensor graph's step: the planned workspace, the fused forward loops and
/// kernels, and the reverse sweep from a scalar output or a seed gradient.
template <class E, class... Wrt>
class gradient_policy {
 public:
  using value_type = typename E::value_type;
  using executor_type = executor<E, value_type, Wrt...>;
  static constexpr engine::detail::entry api = engine::detail::entry::compile;
  static constexpr std::size_t root = executor_type::root;
  static constexpr std::size_t output_rank = E::shape_type::rank;
  static constexpr std::size_t value_buffers = executor_type::P.value_buffers;
  static constexpr std::size_t adjoint_buffers = executor_type::P.adjoint_buffers;

  template <engine::detail::entry Api, class... A>
  static constexpr bool accepts() {
    constexpr std::size_t seeds = (std::size_t{is_seed_v<A>} + ... + 0);
    static_assert(seeds <= 1, "tapeless::compile: pass at most one seed gradient");
    static_assert(seeds == 1 || output_rank == 0 || sizeof...(Wrt) == 0,
                  "tapeless::compile: the expression is not a scalar; pass a seed gradient of its shape: "
                  "step(bindings, tl::seed(g))");
    return seeds <= 1 && (seeds == 1 || output_rank == 0 || sizeof...(Wrt) == 0);
  }

  template <class Expr, class Bindings, class... A>
  void run(const Expr& expr, const Bindings& b, const A&... args) {
    x_.forward(expr, b);
    if constexpr (sizeof...(Wrt) > 0) {
      constexpr std::size_t seeds = (std::size_t{is_seed_v<A>} + ... + 0);
      if constexpr (seeds == 1) {
        const value_type* seed_data = nullptr;
        ([&] {
          if constexpr (is_seed_v<A>) seed_data = seed_of(args);
        }(), ...);
        x_.backward(seed_data);
      } else if constexpr (output_rank == 0) {
        x_.backward(nullptr);
      }
    }
  }

  class result {
   public:
    explicit result(const gradient_policy& p) : x_(&p.x_) {}

    /// The value of the expression: a number for a scalar, else an xtensor expression over the
    /// workspace (valid until the next step).
    [[nodiscard]] auto value() const {
      const auto& l = x_->value_layout(root);
      if constexpr (output_rank == 0) return *l.data;
      else return ::tapeless::detail::adapt_layout<value_type, output_rank>(l.data, l.ext);
    }

    template <class Leaf>
    static constexpr std::size_t wrt_index = gradients<value_type, Wrt...>::template index_of<Leaf>;

    /// The gradient with respect to `leaf`: a number for a scalar leaf, else an xtensor
    /// expression over the workspace (valid until the next step).
    template <class Leaf>
    [[nodiscard]] auto grad(const Leaf&) const {
      static_assert(wrt_index<Leaf> < sizeof...(Wrt),
                    "tapeless::compile: no gradient was planned for this leaf; list it in tl::wrt(...)");
      constexpr std::size_t id = wrt_ids_v<E, Wrt...>[wrt_index<Leaf> < sizeof...(Wrt) ? wrt_index<Leaf> : 0];
      const auto& l = x_->adjoint_layout(id);
      if constexpr (Leaf::shape_type::rank == 0) return *l.data;
      else return ::tapeless::detail::adapt_layout<value_type, Leaf::shape_type::rank>(l.data, l.ext);
    }

    /// Copies the gradient with respect to `leaf` into caller-owned memory (an xtensor
    /// container or tl::out(pointer, extents...)); throws shape_error if the extents differ.
    template <class Leaf, class Out>
    void grad_into(const Leaf&, Out&& out) const {
      static_assert(wrt_index<Leaf> < sizeof...(Wrt),
                    "tapeless::compile: no gradient was planned for this leaf; list it in tl::wrt(...)");
      constexpr std::size_t id = wrt_ids_v<E, Wrt...>[wrt_index<Leaf> < sizeof...(Wrt) ? wrt_index<Leaf> : 0];
      const auto& l = x_->adjoint_layout(id);
      ::tapeless::detail::copy_out<value_type, Leaf::shape_type::rank>(
          "the gradient of leaf \"" + std::string(Leaf::name.view()) + "\"", l.data, l.ext, out);
    }

   private:
    const executor_type* x_;
  };

  /// Elements of workspace memory the step owns (values, tie counts, adjoints).
  [[nodiscard]] std::size_t workspace_elements() const { return x_.workspace_elements(); }

 private:
  template <class S>
  const value_type* seed_of(const S& s) const {
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(*s.view.data)>, value_type>,
                  "tapeless::compile: the seed gradient has another dtype than the expression");
    static_assert(std::tuple_size_v<decltype(s.view.extents)> == output_rank,
                  "tapeless::compile: the seed gradient has another rank than the expression");
    const auto& l = x_.value_layout(root);
    for (std::size_t d = 0; d < output_rank; ++d)
      if (s.view.extents[d] != l.ext[d])
        throw shape_error("tapeless::compile: the seed gradient has extents " +
                          ::tapeless::detail::format_extents(s.view.extents.data(), output_rank) +
                          ", but the expression has extents " +
                          ::tapeless::detail::format_extents(l.ext.data(), output_rank));
    return s.view.data;
  }

  executor_type x_;
};

}  // namespace engine::tensor

/// The step of a tensor graph: values and gradients over a planned workspace.
template <class E, class... Wrt>
using compiled_tensor = step<E, engine::tensor::gradient_policy<E, Wrt...>>;

}  // namespace tapeless
