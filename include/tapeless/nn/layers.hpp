#pragma once
// Layers: composable expression builders in PyTorch's vocabulary. A layer is a constexpr object;
// applying it to an expression returns a larger expression, so `net(x)` is an ordinary tapeless
// graph whose type holds every parameter by name.
//
//   constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::linear<"fc2", 8, 1>);
//   constexpr auto y_pred = net(x);            // x: tl::input<"x", tl::shape<10, 4>, float>
//
// A layer with parameters lists them (with PyTorch's initialisation rule) in `parameter_list`;
// nn::module collects the lists of a network and owns the values and gradients.
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/expression.hpp"
#include "../detail/constexpr_math.hpp"
#include "../core/fixed_string.hpp"
#include "../core/hana.hpp"
#include "../core/leaf.hpp"
#include "../core/shape.hpp"
#include "../ops/add.hpp"
#include "../ops/compare.hpp"
#include "../ops/detach.hpp"
#include "../ops/div.hpp"
#include "../ops/exp.hpp"
#include "../ops/gelu.hpp"
#include "../ops/log.hpp"
#include "../ops/matmul.hpp"
#include "../ops/mul.hpp"
#include "../ops/reduce.hpp"
#include "../ops/relu.hpp"
#include "../ops/sigmoid.hpp"
#include "../ops/sub.hpp"
#include "../ops/tanh.hpp"
#include "../ops/transpose.hpp"
#include "../ops/where.hpp"
#include "diagnostics.hpp"

namespace tapeless::nn {

/// How a parameter is initialised: uniform in [low, high), or a constant.
struct init_rule {
  enum class kind { uniform, constant } what = kind::constant;
  double low = 0;
  double high = 0;
};

/// A parameter leaf together with its initialisation rule.
template <class Leaf, init_rule Rule>
struct parameter_spec {
  using leaf_type = Leaf;
  static constexpr init_rule rule = Rule;
};

template <class... Specs>
struct parameter_list {};

namespace detail {
template <class L>
struct parameters_of {
  using type = parameter_list<>;
};
template <class L>
  requires requires { typename L::parameter_list; }
struct parameters_of<L> {
  using type = typename L::parameter_list;
};

template <class... Lists>
struct concat_lists;
template <>
struct concat_lists<> {
  using type = parameter_list<>;
};
template <class... A>
struct concat_lists<parameter_list<A...>> {
  using type = parameter_list<A...>;
};
template <class... A, class... B, class... Rest>
struct concat_lists<parameter_list<A...>, parameter_list<B...>, Rest...> {
  using type = typename concat_lists<parameter_list<A..., B...>, Rest...>::type;
};
}  // namespace detail

/// The parameters of a layer or network (empty for activations).
template <class L>
using parameters_of_t = typename detail::parameters_of<std::remove_cvref_t<L>>::type;

// ---- free parameters ---------------------------------------------------------------------------

/// Parameters that belong to no layer (PyTorch's `w = torch.tensor(0.0, requires_grad=True)`),
/// for a module to own: `nn::module model(nn::parameters(w, b))`. They start at zero; set them
/// with model.value(w).
template <class... Leaves>
struct free_parameters {
  using parameter_list = nn::parameter_list<parameter_spec<Leaves, init_rule{}>...>;
};

template <class... Leaves>
[[nodiscard]] constexpr free_parameters<Leaves...> parameters(const Leaves&...) {
  static_assert(((is_leaf_v<Leaves> && Leaves::kind == node_kind::param) && ...),
                "tapeless::nn::parameters: list parameter leaves (tl::param<...>), not inputs or expressions");
  return {};
}

// ---- linear ------------------------------------------------------------------------------------

/// y = x Wᵀ + b, x of shape [batch, In]: PyTorch's nn.Linear(In, Out). The parameters are
/// "<Name>.weight" [Out, In] and "<Name>.bias" [Out], both initialised uniform in ±1/√In (as
/// PyTorch's default, kaiming_uniform with a = √5). Wᵀ reaches BLAS as a flag, not a copy.
template <fixed_string Name, std::size_t In, std::size_t Out, dtype T = float>
struct linear_layer {
  static_assert(In > 0 && Out > 0 && In != dynamic && Out != dynamic,
                "tapeless::nn::linear: the widths In and Out must be positive static extents");
  using value_type = T;
  static constexpr std::size_t in_features = In;
  static constexpr std::size_t out_features = Out;
  static constexpr leaf<Name + fixed_string(".weight"), node_kind::param, shape<Out, In>, T> weight{};
  static constexpr leaf<Name + fixed_string(".bias"), node_kind::param, shape<Out>, T> bias{};

  static constexpr double bound = 1.0 / ::tapeless::detail::cx::sqrt(static_cast<double>(In));
  using parameter_list = nn::parameter_list<
      parameter_spec<std::remove_cvref_t<decltype(weight)>, init_rule{init_rule::kind::uniform, -bound, bound}>,
      parameter_spec<std::remove_cvref_t<decltype(bias)>, init_rule{init_rule::kind::uniform, -bound, bound}>>;

  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    using S = typename X::shape_type;
    if constexpr (S::rank == 2 && S::extents[S::rank - 1] == In) {
      return matmul(x, transpose(weight)) + bias;
    } else {
      if constexpr (tapeless::detail::contains_rejected_v<X>) {
        // reported already, further down the expression
      } else if constexpr (S::rank != 2) {
        (void)diagnostics::layer_input_rank_unsupported<S::rank>{};
      } else {
        (void)diagnostics::layer_input_width_differs<In, S::extents[1]>{};
      }
      return node<ops::rejected<ops::matmul>, X, decltype(transpose(weight))>{x, transpose(weight)} + bias;
    }
  }
};

/// `nn::linear<"fc1", 4, 8>`: a Linear(4, 8) layer whose parameters are named "fc1.weight" and
/// "fc1.bias"; float32 unless a dtype is given (`nn::linear<"fc1", 4, 8, double>`).
template <fixed_string Name, std::size_t In, std::size_t Out, dtype T = float>
inline constexpr linear_layer<Name, In, Out, T> linear{};

// ---- activations -------------------------------------------------------------------------------
// Each is a function object: `nn::relu(x)` is an expression, and `nn::relu` is a layer in
// nn::sequential.

using tapeless::gelu;
using tapeless::relu;
using tapeless::sigmoid;
using tapeless::tanh;

/// leaky_relu(x) = x where x > 0, else slope·x (PyTorch's default slope 0.01; at 0 the gradient
/// is slope, as PyTorch). `nn::leaky_relu(x)`, `nn::leaky_relu(x, 0.2)`, or the layer
/// `nn::leaky_relu.with(0.2)`.
struct leaky_relu_function {
  double slope = 0.01;
  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    return (*this)(x, slope);
  }
  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x, double s) const {
    using T = typename X::value_type;
    return where(x > T(0), x, x * T(s));
  }
  [[nodiscard]] constexpr leaky_relu_function with(double s) const { return {s}; }
};
inline constexpr leaky_relu_function leaky_relu{};

/// log_softmax over the last axis: x - m - log Σ exp(x - m), with m = max over the axis held as a
/// constant (detach), so no exponential overflows for logits of any size and the gradient is
/// exactly g - softmax·Σg.
struct log_softmax_function {
  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    constexpr std::size_t axis = X::shape_type::rank - 1;
    static_assert(X::shape_type::rank >= 1, "tapeless::nn::log_softmax: needs a tensor of rank 1 or more");
    const auto shifted = x - detach(amax<axis>(x, keepdims));
    return shifted - log(sum<axis>(exp(shifted), keepdims));
  }
};
inline constexpr log_softmax_function log_softmax{};

/// softmax over the last axis: exp(x - m) / Σ exp(x - m), m = max over the axis (detached).
struct softmax_function {
  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    constexpr std::size_t axis = X::shape_type::rank - 1;
    static_assert(X::shape_type::rank >= 1, "tapeless::nn::softmax: needs a tensor of rank 1 or more");
    const auto e = exp(x - detach(amax<axis>(x, keepdims)));
    return e / sum<axis>(e, keepdims);
  }
};
inline constexpr softmax_function softmax{};

// ---- dropout -----------------------------------------------------------------------------------

/// Dropout (nn.Dropout(p)): in training, each element is zeroed with probability p and the
/// others are scaled by 1/(1 - p); in evaluation it is the identity. The random mask is an input
/// leaf "<Name>.mask" of the input's shape, which a step compiled with nn::compile fills before
/// each call (from the module's generator in training, with ones in evaluation): the graph stays
/// static and the mask costs one multiply. The input's shape must be static.
template <fixed_string Name>
struct dropout_layer {
  double p = 0.5;
  static constexpr auto mask_name = Name + fixed_string(".mask");

  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    static_assert(X::shape_type::is_static,
                  "tapeless::nn::dropout: the input needs a static shape (the mask is planned with the graph)");
    return x * leaf<mask_name, node_kind::input, typename X::shape_type, typename X::value_type>{};
  }
};

/// `nn::dropout<"drop1">(0.5)`: a dropout layer with probability p of zeroing an element.
template <fixed_string Name>
[[nodiscard]] constexpr dropout_layer<Name> dropout(double p = 0.5) {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("tapeless::nn::dropout: p must be in [0, 1]");
  return {p};
}

template <class L>
inline constexpr bool is_dropout_v = false;
template <fixed_string N>
inline constexpr bool is_dropout_v<dropout_layer<N>> = true;

// ---- sequential --------------------------------------------------------------------------------

/// Layers applied in order: sequential(a, b, c)(x) is c(b(a(x))). A Boost.Hana Sequence of its
/// layers (core/hana.hpp): hana::for_each(net, f) calls f on each layer in order (a sequential
/// inside it is one element; nn::for_each_layer enters it).
template <class... Layers>
struct sequential_layers {
  std::tuple<Layers...> layers;
  using parameter_list = typename detail::concat_lists<parameters_of_t<Layers>...>::type;

  using hana_tag = ::tapeless::detail::hana_sequence_tag;
  using hana_pack = ::tapeless::detail::type_pack<Layers...>;

  /// The K-th layer.
  template <std::size_t K>
  [[nodiscard]] constexpr const auto& get() const {
    return std::get<K>(layers);
  }

  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    return apply<0>(x);
  }

 private:
  template <std::size_t I, class X>
  constexpr auto apply(const X& x) const {
    if constexpr (I == sizeof...(Layers)) return x;
    else return apply<I + 1>(std::get<I>(layers)(x));
  }
};

/// Calls f(layer) for every layer of a network, depth first (a sequential inside a sequential
/// is entered).
template <class L, class F>
constexpr void for_each_layer(const L& l, F&& f);

template <class... Layers>
[[nodiscard]] constexpr sequential_layers<std::remove_cvref_t<Layers>...> sequential(const Layers&... layers) {
  static_assert(sizeof...(Layers) > 0, "tapeless::nn::sequential: give at least one layer");
  return {{layers...}};
}

template <class L>
inline constexpr bool is_sequential_v = false;
template <class... L>
inline constexpr bool is_sequential_v<sequential_layers<L...>> = true;

template <class L, class F>
constexpr void for_each_layer(const L& l, F&& f) {
  if constexpr (is_sequential_v<L>) std::apply([&](const auto&... layer) { (for_each_layer(layer, f), ...); }, l.layers);
  else f(l);
}

}  // namespace tapeless::nn
