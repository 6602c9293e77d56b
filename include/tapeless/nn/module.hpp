#pragma once
// nn::module: the values and gradients of a network's parameters (PyTorch's nn.Module state).
//
//   nn::module model(net);                 // every parameter initialised by its layer's rule
//   model.value(fc1.weight)                // xt::xtensor<float, 2>&, shape [8, 4]
//   model.grad(fc1.weight)                 // its .grad, accumulated by backward passes
//   model.zero_grad();
//
// Values live in ordinary xtensor containers: an update written in plain C++ (PyTorch's
// `with torch.no_grad(): w -= lr * w.grad`) is not part of any graph, since no graph is
// recorded at run time. The parameters are enumerable: names(), shapes, parameter_count().
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
#include <xtensor/xtensor.hpp>

#include "../core/leaf.hpp"
#include "../core/tensor_view.hpp"
#include "layers.hpp"
#include "random.hpp"

namespace tapeless::nn {

/// One parameter: its leaf, its value and its gradient (PyTorch's .data and .grad).
template <class Spec>
struct parameter {
  using spec = Spec;
  using leaf_type = typename Spec::leaf_type;
  using value_type = typename leaf_type::value_type;
  using shape_type = typename leaf_type::shape_type;
  static constexpr std::size_t rank = shape_type::rank;
  static constexpr std::string_view name = leaf_type::name.view();
  static_assert(shape_type::is_static, "tapeless::nn::module: parameters need static shapes");

  static std::array<std::size_t, rank> extents() {
    std::array<std::size_t, rank> e{};
    for (std::size_t d = 0; d < rank; ++d) e[d] = shape_type::extents[d];
    return e;
  }

  xt::xtensor<value_type, rank> value = xt::xtensor<value_type, rank>::from_shape(extents());
  xt::xtensor<value_type, rank> grad = xt::zeros<value_type>(extents());
};

namespace detail {

template <class List>
struct parameter_tuple;
template <class... Specs>
struct parameter_tuple<parameter_list<Specs...>> {
  using type = std::tuple<parameter<Specs>...>;
  static constexpr std::array<std::string_view, sizeof...(Specs)> names{Specs::leaf_type::name.view()...};
};

template <std::size_t N>
constexpr bool names_unique(const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (names[i] == names[j]) return false;
  return true;
}

template <class Leaf, class Tuple>
struct index_of_leaf;
template <class Leaf, class... P>
struct index_of_leaf<Leaf, std::tuple<P...>> {
  static constexpr std::size_t value = [] {
    constexpr bool match[] = {std::is_same_v<typename P::leaf_type, Leaf>..., false};
    std::size_t i = 0;
    while (i < sizeof...(P) && !match[i]) ++i;
    return i;
  }();
};

template <class... Specs>
constexpr std::size_t count_of(parameter_list<Specs...>) {
  return (std::size_t{0} + ... + Specs::leaf_type::shape_type::size);
}

}  // namespace detail

template <class Net>
class module {
 public:
  using network_type = Net;
  using parameters_type = typename detail::parameter_tuple<parameters_of_t<Net>>::type;
  static constexpr std::size_t size = std::tuple_size_v<parameters_type>;
  static constexpr auto parameter_names = detail::parameter_tuple<parameters_of_t<Net>>::names;
  static_assert(detail::names_unique(parameter_names),
                "tapeless::nn::module: two parameters have the same name; give each layer its own name");

  /// Parameters initialised by their layers' rules from the default generator (nn::manual_seed).
  explicit module(const Net& net) : module(net, default_generator()) {}
  /// Parameters initialised from `gen`, layer by layer in order, weight before bias (as PyTorch).
  module(const Net& net, generator& gen) : net_(net) { reset_parameters(gen); }

  [[nodiscard]] const Net& network() const noexcept { return net_; }

  /// Applies the network: `model(x)` is `net(x)`.
  template <expression X>
  [[nodiscard]] constexpr auto operator()(const X& x) const {
    return net_(x);
  }

  void reset_parameters(generator& gen) {
    for_each_parameter([&](auto& p) {
      constexpr init_rule r = std::remove_cvref_t<decltype(p)>::spec::rule;
      if constexpr (r.what == init_rule::kind::uniform) uniform(p.value, r.low, r.high, gen);
      else p.value.fill(static_cast<typename std::remove_cvref_t<decltype(p)>::value_type>(r.low));
    });
  }

  /// True when the module holds this leaf (a parameter of one of its layers).
  template <class Leaf>
  static constexpr bool holds = detail::index_of_leaf<Leaf, parameters_type>::value < size;

  template <class Leaf>
  [[nodiscard]] auto& parameter(const Leaf&) {
    return std::get<checked_index<Leaf>()>(params_);
  }
  template <class Leaf>
  [[nodiscard]] const auto& parameter(const Leaf&) const {
    return std::get<checked_index<Leaf>()>(params_);
  }
  /// The value of a parameter (PyTorch's param.data).
  template <class Leaf>
  [[nodiscard]] auto& value(const Leaf& l) { return parameter(l).value; }
  template <class Leaf>
  [[nodiscard]] const auto& value(const Leaf& l) const { return parameter(l).value; }
  /// The accumulated gradient of a parameter (PyTorch's param.grad).
  template <class Leaf>
  [[nodiscard]] auto& grad(const Leaf& l) { return parameter(l).grad; }
  template <class Leaf>
  [[nodiscard]] const auto& grad(const Leaf& l) const { return parameter(l).grad; }

  /// Sets every gradient to zero (PyTorch's zero_grad(set_to_none=False)).
  void zero_grad() {
    for_each_parameter([](auto& p) { std::fill(p.grad.begin(), p.grad.end(), 0); });
  }

  /// Calls f(parameter&) for every parameter, in declaration order.
  template <class F>
  void for_each_parameter(F&& f) {
    std::apply([&](auto&... p) { (f(p), ...); }, params_);
  }
  template <class F>
  void for_each_parameter(F&& f) const {
    std::apply([&](const auto&... p) { (f(p), ...); }, params_);
  }

  /// The parameters' names, in declaration order ("fc1.weight", "fc1.bias", ...).
  [[nodiscard]] static std::vector<std::string> names() {
    return {parameter_names.begin(), parameter_names.end()};
  }
  /// Number of scalars over all parameters (PyTorch: sum(p.numel() for p in parameters())).
  [[nodiscard]] static constexpr std::size_t parameter_count() { return detail::count_of(parameters_of_t<Net>{}); }

  /// A table of the parameters: name, shape, dtype, count; and the total.
  [[nodiscard]] std::string summary() const {
    std::string s;
    for_each_parameter([&](const auto& p) {
      using P = std::remove_cvref_t<decltype(p)>;
      const auto e = P::extents();
      s += std::string(P::name) + " " + tapeless::detail::format_extents(e.data(), P::rank) + " " +
           std::string(dtype_name<typename P::value_type>) + " " + std::to_string(P::shape_type::size) + "\n";
    });
    return s + "total " + std::to_string(parameter_count()) + " parameters\n";
  }

  /// Dropout and other layers that behave differently in training: PyTorch's train() / eval().
  void train(bool on = true) noexcept { training_ = on; }
  void eval() noexcept { training_ = false; }
  [[nodiscard]] bool is_training() const noexcept { return training_; }

  /// The generator dropout masks are drawn from (nn::default_generator() unless set).
  void set_generator(nn::generator& gen) noexcept { generator_ = &gen; }
  [[nodiscard]] nn::generator& generator() noexcept { return generator_ ? *generator_ : default_generator(); }

  parameters_type& parameters() noexcept { return params_; }
  const parameters_type& parameters() const noexcept { return params_; }

 private:
  template <class Leaf>
  static constexpr std::size_t checked_index() {
    constexpr std::size_t i = detail::index_of_leaf<std::remove_cvref_t<Leaf>, parameters_type>::value;
    static_assert(i < size, "tapeless::nn::module: this leaf is not a parameter of the module's layers");
    return i < size ? i : 0;
  }

  Net net_;
  parameters_type params_{};
  bool training_ = true;
  nn::generator* generator_ = nullptr;
};

}  // namespace tapeless::nn
