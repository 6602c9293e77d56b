#pragma once
// nn::compile(loss, model): a compiled step over a module's parameters, in PyTorch's vocabulary.
//
//   auto step = nn::compile(loss, model);     // plans forward and backward once (tl::compile)
//   opt.zero_grad();
//   float l = step.backward(x = X, y = Y);    // forward + backward; .grad += dloss/dparam
//   opt.step();
//
//   auto predict = nn::compile(net(x), model); // a non-scalar expression: forward only
//   auto y_hat = predict(x = X);               // an xtensor expression over the step's workspace
//
// The module's parameters are bound by the step itself; the caller binds the inputs. As in
// PyTorch, backward *accumulates* into .grad: two backward calls without zero_grad give twice
// the gradient. Parameters of the module that the expression does not use keep their .grad.
#include <algorithm>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../engine/compile.hpp"
#include "../graph/analysis.hpp"
#include "../graph/descriptor.hpp"
#include "module.hpp"

namespace tapeless::nn {

/// Marks a step that only evaluates (PyTorch's torch.no_grad() around a forward pass).
struct no_grad_t {};
inline constexpr no_grad_t no_grad{};

namespace detail {

template <class E, class Leaf>
inline constexpr bool uses_leaf_v = graph::graph_v<E>.find(graph::descriptor_v<Leaf>) != graph::npos;

/// The leaf types of the module's parameters that E uses, as a std::tuple of leaf types.
template <class E, class Params>
struct used_leaves;
template <class E, class... P>
struct used_leaves<E, std::tuple<P...>> {
  using type = decltype(std::tuple_cat(
      std::conditional_t<uses_leaf_v<E, typename P::leaf_type>, std::tuple<typename P::leaf_type>, std::tuple<>>{}...));
};

template <class E, class Tuple>
struct compiled_for;
template <class E, class... L>
struct compiled_for<E, std::tuple<L...>> {
  using type = decltype(tapeless::compile(std::declval<const E&>(), wrt_list<L...>{}));
  static type make(const E& e) { return tapeless::compile(e, wrt_list<L...>{}); }
};

/// The binding of a parameter's value to its leaf.
template <class P>
auto bind_parameter(const P& p) {
  if constexpr (P::rank == 0) return typename P::leaf_type{} = p.value();
  else return typename P::leaf_type{} = p.value;
}

template <class T>
void accumulate(T* dst, const T* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += src[i];
}

}  // namespace detail

/// A compiled step over a module: `Grad` says whether it runs the backward pass.
template <class E, class Net, bool Grad>
class compiled_model {
 public:
  using value_type = typename E::value_type;
  using module_type = module<Net>;
  using leaves = typename detail::used_leaves<E, typename module_type::parameters_type>::type;
  using step_type = typename detail::compiled_for<E, std::conditional_t<Grad, leaves, std::tuple<>>>::type;

  compiled_model(const E& expr, module_type& m) : module_(&m), step_(detail::compiled_for<E, std::conditional_t<Grad, leaves, std::tuple<>>>::make(expr)) {}

  /// Forward and backward: adds the gradient of every parameter the expression uses to its
  /// .grad, and returns the value (the loss).
  template <class... B>
  value_type backward(const B&... data) {
    static_assert(Grad, "tapeless::nn::compile: this step was compiled without gradients (nn::no_grad, or a "
                        "non-scalar expression); call it as step(bindings) for its value");
    auto r = run(data...);
    std::apply([&](auto... leaf) { (accumulate(r, leaf), ...); }, leaves{});
    return r.value();
  }

  /// Forward only: the value, read from the step's workspace (valid until the next call). For a
  /// step compiled with gradients this still runs the backward pass but leaves .grad alone.
  template <class... B>
  auto operator()(const B&... data) {
    return run(data...).value();
  }

  [[nodiscard]] module_type& model() noexcept { return *module_; }
  [[nodiscard]] step_type& compiled() noexcept { return step_; }

 private:
  template <class... B>
  auto run(const B&... data) {
    auto& params = module_->parameters();
    return std::apply(
        [&](const auto&... p) { return step_(tapeless::bind(data..., detail::bind_parameter(p)...)); },
        select_used(params));
  }

  /// The parameters E uses, as a tuple of references (only they are bound: binding a leaf the
  /// expression does not have is not an error, but costs a check).
  static auto select_used(typename module_type::parameters_type& params) {
    return std::apply(
        [](auto&... p) {
          return std::tuple_cat([&]() {
            using P = std::remove_cvref_t<decltype(p)>;
            if constexpr (detail::uses_leaf_v<E, typename P::leaf_type>) return std::tuple<const P&>(p);
            else return std::tuple<>{};
          }()...);
        },
        params);
  }

  template <class R, class Leaf>
  void accumulate(const R& r, Leaf leaf) {
    auto& grad = module_->grad(leaf);
    if constexpr (Leaf::shape_type::rank == 0) {
      grad() += r.grad(leaf);
    } else {
      const auto g = r.grad(leaf);
      detail::accumulate(grad.data(), g.data(), grad.size());
    }
  }

  module_type* module_;
  step_type step_;
};

/// Compiles `expr` over the parameters of `model`. A scalar expression (a loss) gets a step
/// with backward(); a non-scalar one (a prediction) a forward-only step.
template <expression E, class Net>
[[nodiscard]] auto compile(const E& expr, module<Net>& model) {
  constexpr bool scalar = E::shape_type::rank == 0;
  return compiled_model<E, Net, scalar>(expr, model);
}

/// A forward-only step, also for a scalar expression: `nn::compile(loss, model, nn::no_grad)`.
template <expression E, class Net>
[[nodiscard]] auto compile(const E& expr, module<Net>& model, no_grad_t) {
  return compiled_model<E, Net, false>(expr, model);
}

}  // namespace tapeless::nn
