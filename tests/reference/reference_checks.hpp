#pragma once
// One expression against LibTorch and against finite differences at one binding of its leaves:
// the value, the set of params that have a gradient, and every gradient.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <tapeless/tapeless.hpp>

#include "describe.hpp"
#include "support/gradcheck.hpp"
#include "support/op_checks.hpp"
#include "torch_reference.hpp"

namespace tapeless::testing {

/// tapeless against LibTorch: both evaluate the same formulas in the same dtype, so they agree
/// to a few roundings per node (more where a gradient sums contributions that cancel).
template <class T>
inline constexpr tolerance reference_tolerance =
    std::is_same_v<T, float> ? tolerance{2e-5, 2e-6} : tolerance{1e-11, 1e-13};

/// Whether leaf L occurs in expression E (decided on the types alone).
template <class E, class L>
inline constexpr bool occurs_in = std::is_same_v<E, L>;
template <class Op, class... Operands, class L>
inline constexpr bool occurs_in<node<Op, Operands...>, L> = (occurs_in<Operands, L> || ...);

/// The params among Leaves that occur in E, as a tuple of leaves.
template <class E, class... Leaves>
using used_params_t = decltype(std::tuple_cat(
    std::declval<std::conditional_t<Leaves::kind == node_kind::param && occurs_in<E, Leaves>, std::tuple<Leaves>,
                                    std::tuple<>>>()...));

template <class E, class T, std::size_t N, std::size_t... I, class... Leaves>
T value_at(const E& e, const std::array<T, N>& at, std::index_sequence<I...>, const Leaves&... leaves) {
  return tapeless::value(e, (leaves = at[I])...);
}

template <class T, class W>
double gradient_of(const T& gradient, const W&) requires std::is_arithmetic_v<T> {
  return gradient;
}
template <class G, class W>
double gradient_of(const G& gradients, const W& w) {
  return gradients[w];
}

template <class E, class T, std::size_t N, std::size_t... I, class... Leaves, class... Wrt>
std::pair<double, std::map<std::string, double>> value_and_gradients(const E& e, const std::array<T, N>& at,
                                                                     std::index_sequence<I...>, std::tuple<Wrt...>,
                                                                     const Leaves&... leaves) {
  const auto r = tapeless::value_and_grad(e, Wrt{}...).at((leaves = at[I])...);
  return {r.value, {{std::string(Wrt::name.view()), gradient_of(r.grad, Wrt{})}...}};
}

/// tapeless's Hessian-vector product along v (one number per param, in Wrt's order), by name.
template <class E, class T, std::size_t N, std::size_t... I, class... Leaves, class... Wrt>
std::map<std::string, double> hessian_vector_products(const E& e, const std::array<T, N>& at,
                                                      std::index_sequence<I...>, std::tuple<Wrt...>,
                                                      const std::array<double, sizeof...(Wrt)>& v,
                                                      const Leaves&... leaves) {
  const auto r = [&]<std::size_t... K>(std::index_sequence<K...>) {
    return tapeless::hvp(e, tapeless::wrt(Wrt{}...), v[K]...).at((leaves = at[I])...);
  }(std::index_sequence_for<Wrt...>{});
  std::map<std::string, double> out;
  std::size_t k = 0;
  ((out[std::string(Wrt::name.view())] = static_cast<double>(r.hvp[k++])), ...);
  return out;
}

/// Second derivatives agree less closely than first ones (one more rounding per node, and
/// the differences of products that a Hessian sums).
template <class T>
inline constexpr tolerance hvp_tolerance = std::is_same_v<T, float> ? tolerance{2e-4, 2e-5} : tolerance{1e-9, 1e-11};

inline std::string names_of(const std::map<std::string, double>& m) {
  std::string out;
  for (const auto& [name, value] : m) out += name + " ";
  return out;
}

template <class T, std::size_t N>
std::string describe_bindings(const std::array<std::string, N>& names, const std::array<T, N>& at) {
  std::ostringstream out;
  out << std::setprecision(17) << "bindings (" << dtype_name<T> << "):";
  for (std::size_t i = 0; i < N; ++i) out << ' ' << names[i] << " = " << static_cast<double>(at[i]);
  return out.str();
}

/// e, with leaves[i] bound to at[i], against LibTorch: the value, which params have a gradient,
/// and every gradient. Also checks that the reference graph has as many nodes as tapeless's.
template <class E, class... Leaves>
void check_against_torch(const E& e, const std::array<typename E::value_type, sizeof...(Leaves)>& at,
                         const Leaves&... leaves) {
  using T = typename E::value_type;
  using wrt = used_params_t<E, Leaves...>;
  static_assert(std::tuple_size_v<wrt> > 0, "a reference check needs an expression with at least one param");
  constexpr auto indices = std::make_index_sequence<sizeof...(Leaves)>{};
  const std::array<std::string, sizeof...(Leaves)> names{std::string(Leaves::name.view())...};
  INFO(describe_bindings(names, at));

  std::map<std::string, double> bindings;
  for (std::size_t i = 0; i < names.size(); ++i) bindings[names[i]] = at[i];
  const reference::graph described = describe(e);
  CHECK(described.nodes.size() == tapeless::graph::node_count_v<E>);
  const reference::evaluation torch = reference::evaluate(described, bindings);
  const auto [value, gradients] = value_and_gradients(e, at, indices, wrt{}, leaves...);

  check_close(value, torch.value, reference_tolerance<T>, "value against LibTorch");
  check_close(value_at(e, at, indices, leaves...), value, {0, 0}, "tl::value against tl::value_and_grad");
  INFO("params with a gradient: tapeless " << names_of(gradients) << "; LibTorch " << names_of(torch.gradients));
  REQUIRE(gradients.size() == torch.gradients.size());
  for (const auto& [name, gradient] : gradients) {
    INFO("d/d" << name);
    REQUIRE(torch.gradients.count(name) == 1);
    check_close(gradient, torch.gradients.at(name), reference_tolerance<T>, "gradient against LibTorch");
  }

  // Second order: H v along a fixed direction, against LibTorch's double backward, at generic
  // points. At 0, at an infinity or far out (|x| >= 10), LibTorch's second derivatives follow its
  // own conventions (pow masks its exponent-0 branch, softplus is linear above 20) and the
  // Hessian may be singular; tapeless's second derivatives there are checked against central
  // differences in tests/engine/second_order.cpp.
  bool generic = true;
  for (const auto& x : at) generic = generic && std::isfinite(static_cast<double>(x)) && x != 0 && std::abs(static_cast<double>(x)) < 10;
  if (!generic) return;
  std::array<double, std::tuple_size_v<wrt>> v{};
  std::map<std::string, double> direction;
  [&]<class... W>(std::tuple<W...>) {
    std::size_t k = 0;
    ((v[k] = 0.75 - 0.5 * static_cast<double>(k), direction[std::string(W::name.view())] = v[k], ++k), ...);
  }(wrt{});
  const reference::evaluation second = reference::evaluate(described, bindings, direction);
  const auto hvp = hessian_vector_products(e, at, indices, wrt{}, v, leaves...);
  for (const auto& [name, product] : hvp) {
    INFO("(H v) for " << name);
    REQUIRE(second.hvp.count(name) == 1);
    check_close(product, second.hvp.at(name), hvp_tolerance<T>, "Hessian-vector product against LibTorch");
  }
}

/// e's gradient with respect to each of its params, against central finite differences.
template <class E, class... Leaves>
void check_against_differences(const E& e, const std::array<typename E::value_type, sizeof...(Leaves)>& at,
                               const Leaves&... leaves) {
  using T = typename E::value_type;
  using wrt = used_params_t<E, Leaves...>;
  constexpr auto indices = std::make_index_sequence<sizeof...(Leaves)>{};
  const std::array<std::string, sizeof...(Leaves)> names{std::string(Leaves::name.view())...};
  INFO(describe_bindings(names, at));
  const auto gradients = value_and_gradients(e, at, indices, wrt{}, leaves...).second;

  const auto check_one = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
    using L = std::tuple_element_t<K, std::tuple<Leaves...>>;
    if constexpr (L::kind == node_kind::param && occurs_in<E, L>) {
      const auto f = [&](T v) {
        auto moved = at;
        moved[K] = v;
        return value_at(e, moved, indices, leaves...);
      };
      INFO("d/d" << names[K]);
      check_difference<T>(gradients.at(names[K]), central_difference<T>(f, at[K]),
                          "gradient against finite differences");
    }
  };
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (check_one(std::integral_constant<std::size_t, K>{}), ...);
  }(indices);
}

/// Both checks.
template <class E, class... Leaves>
void check_against_reference(const E& e, const std::array<typename E::value_type, sizeof...(Leaves)>& at,
                             const Leaves&... leaves) {
  check_against_torch(e, at, leaves...);
  check_against_differences(e, at, leaves...);
}

}  // namespace tapeless::testing
