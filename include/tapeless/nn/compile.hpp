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
// A step refers to its module: the module must outlive the step and stay where it is.
#include <algorithm>
#include <cstddef>
#include <string_view>
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

/// The step of E with gradients for the leaves L... (none: a forward-only step), built through
/// tl::compile's checks.
template <class E, class Tuple>
struct compiled_for;
template <class E, class... L>
struct compiled_for<E, std::tuple<L...>> {
  using type = step_for<E, L...>;
  static type make(const E& e) {
    if constexpr (sizeof...(L) > 0) {
      return tapeless::compile(e, wrt_list<L...>{});
    } else {
      engine::detail::check_names<E>();
      return type{e};
    }
  }
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

/// The dropout layers of a network, as a std::tuple of their types.
template <class L>
struct dropouts_of {
  using type = std::conditional_t<is_dropout_v<L>, std::tuple<L>, std::tuple<>>;
};
template <class... L>
struct dropouts_of<sequential_layers<L...>> {
  using type = decltype(std::tuple_cat(typename dropouts_of<L>::type{}...));
};

/// The id of the input leaf named `name` in E's graph, or npos.
template <class E>
constexpr std::size_t find_input(std::string_view name) {
  const auto& g = graph::graph_v<E>;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g.nodes[i].descriptor->kind == node_kind::input && g.nodes[i].descriptor->name == name) return i;
  return graph::npos;
}

/// The mask of dropout layer D in E: its leaf type and a buffer for it (nothing if E does not
/// use the layer).
template <class E, class D, std::size_t Id = find_input<E>(D::mask_name.view())>
struct dropout_mask {
  static constexpr bool used = false;
};
template <class E, class D, std::size_t Id>
  requires(Id != graph::npos)
struct dropout_mask<E, D, Id> {
  static constexpr bool used = true;
  static constexpr const graph::node_descriptor* d = graph::graph_v<E>.nodes[Id].descriptor;
  using T = typename E::value_type;
  template <std::size_t... I>
  static auto leaf_for(std::index_sequence<I...>) -> leaf<D::mask_name, node_kind::input, shape<d->extents[I]...>, T>;
  using leaf_type = decltype(leaf_for(std::make_index_sequence<d->rank>{}));
  using buffer_type = xt::xtensor<T, leaf_type::shape_type::rank>;

  buffer_type buffer = buffer_type::from_shape(leaf_type::shape_type::extents);
  bool filled_for_eval = false;

  /// Training: 0 with probability p, else 1/(1 - p) (as torch.nn.functional.dropout).
  /// Evaluation: ones.
  void fill(const D& layer, bool training, generator& gen) {
    if (!training) {
      if (!filled_for_eval) buffer.fill(T(1));
      filled_for_eval = true;
      return;
    }
    filled_for_eval = false;
    if (layer.p >= 1) {
      buffer.fill(T(0));
      return;
    }
    bernoulli(buffer, 1 - layer.p, gen);
    const T scale = T(1 / (1 - layer.p));
    for (auto& v : buffer) v *= scale;
  }
};

template <class E, class Tuple>
struct masks_for;
template <class E, class... D>
struct masks_for<E, std::tuple<D...>> {
  using type = std::tuple<dropout_mask<E, D>...>;
};

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
    if constexpr (Grad) {
      auto r = run(data...);
      std::apply([&](auto... leaf) { (accumulate(r, leaf), ...); }, leaves{});
      return r.value();
    } else {
      return value_type{};
    }
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
    if constexpr (std::tuple_size_v<masks_type> == 0) {
      return std::apply(
          [&](const auto&... p) { return step_(tapeless::bind(data..., detail::bind_parameter(p)...)); },
          select_used(params));
    } else {
      fill_masks();
      return std::apply(
          [&](const auto&... p) {
            return std::apply(
                [&](const auto&... m) { return step_(tapeless::bind(data..., detail::bind_parameter(p)..., m...)); },
                mask_bindings());
          },
          select_used(params));
    }
  }

  void fill_masks() {
    for_each_layer(module_->network(), [&](const auto& layer) {
      using L = std::remove_cvref_t<decltype(layer)>;
      if constexpr (is_dropout_v<L>) {
        auto& m = std::get<detail::dropout_mask<E, L>>(masks_);
        if constexpr (std::remove_cvref_t<decltype(m)>::used) m.fill(layer, module_->is_training(), module_->generator());
      }
    });
  }

  auto mask_bindings() const {
    return std::apply(
        [](const auto&... m) {
          return std::tuple_cat([&]() {
            using M = std::remove_cvref_t<decltype(m)>;
            if constexpr (M::used) return std::make_tuple(typename M::leaf_type{} = m.buffer);
            else return std::tuple<>{};
          }()...);
        },
        masks_);
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

  using masks_type = typename detail::masks_for<E, typename detail::dropouts_of<Net>::type>::type;

  module_type* module_;
  step_type step_;
  masks_type masks_{};
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
