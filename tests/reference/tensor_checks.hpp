#pragma once
// One tensor expression against LibTorch: tapeless's compiled step (tl::compile with every param
// of the expression in tl::wrt) and LibTorch's autograd evaluate the same graph from the same
// data, and the value and the gradient of every param must agree elementwise. A non-scalar
// expression is differentiated with a seed gradient (PyTorch's backward(gradient)), the same
// random tensor on both sides.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <tapeless/tapeless.hpp>

#include "describe.hpp"
#include "reference_checks.hpp"
#include "torch_reference.hpp"

namespace tapeless::testing {

/// tapeless against LibTorch on tensors: the same formulas in the same dtype, but sums (over
/// reductions, matmul, broadcast gradients) run in another order, so each element may differ by
/// a few roundings of the largest terms: rtol relative to the element, atol relative to the
/// largest element of the tensor.
template <class T>
inline constexpr tolerance tensor_tolerance = std::is_same_v<T, float> ? tolerance{1e-4, 2e-5} : tolerance{1e-10, 1e-12};

/// The data bound to a leaf: a number for a scalar leaf, else an xtensor of its rank.
template <class Leaf>
using leaf_data_t = std::conditional_t<Leaf::shape_type::rank == 0, typename Leaf::value_type,
                                       xt::xtensor<typename Leaf::value_type, Leaf::shape_type::rank>>;

/// A container of `shape` filled from `next()`.
template <class T, std::size_t Rank, class Next>
auto make_data(const std::array<std::size_t, Rank>& shape, Next&& next) {
  if constexpr (Rank == 0) {
    return static_cast<T>(next());
  } else {
    typename xt::xtensor<T, Rank>::shape_type s;
    std::copy(shape.begin(), shape.end(), s.begin());
    xt::xtensor<T, Rank> out(s);
    for (T& v : out) v = static_cast<T>(next());
    return out;
  }
}

/// The data of `leaf` as a reference tensor (in double).
template <class T>
reference::tensor to_reference(const T& v) requires std::is_arithmetic_v<T> {
  return {{}, {static_cast<double>(v)}};
}
template <class C>
reference::tensor to_reference(const C& c) {
  reference::tensor t;
  t.shape.assign(c.shape().begin(), c.shape().end());
  t.data.assign(c.begin(), c.end());
  return t;
}

/// Elementwise comparison of tapeless's `actual` (any xtensor expression, or a number) with
/// LibTorch's `expected`.
template <class T, class A>
void check_tensor_close(const A& actual, const reference::tensor& expected, const std::string& what,
                        tolerance tol = tensor_tolerance<T>) {
  std::vector<double> got;
  std::vector<std::size_t> shape;
  if constexpr (std::is_arithmetic_v<A>) {
    got.push_back(static_cast<double>(actual));
  } else {
    const auto evaluated = xt::eval(actual);
    shape.assign(evaluated.shape().begin(), evaluated.shape().end());
    got.assign(evaluated.begin(), evaluated.end());
  }
  INFO(what);
  REQUIRE(shape == expected.shape);
  REQUIRE(got.size() == expected.data.size());
  double largest = 0;
  for (double v : expected.data)
    if (std::isfinite(v)) largest = std::max(largest, std::fabs(v));
  const tolerance scaled{tol.rtol, tol.atol * std::max(1.0, largest)};
  std::size_t bad = 0;
  std::ostringstream first;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!is_close(got[i], expected.data[i], scaled)) {
      if (bad++ == 0)
        first << std::setprecision(17) << "element " << i << ": " << got[i] << " against LibTorch's "
              << expected.data[i];
    }
  }
  INFO(bad << " of " << got.size() << " elements differ; first " << first.str());
  CHECK(bad == 0);
}

namespace detail {

template <class Leaf, class Data>
std::string describe_leaf_data(const Leaf&, const Data& d) {
  std::ostringstream out;
  out << std::setprecision(9) << Leaf::name.view() << " = ";
  if constexpr (std::is_arithmetic_v<Data>) out << d;
  else {
    out << "[";
    bool first = true;
    for (auto v : d) {
      out << (first ? "" : ", ") << v;
      first = false;
    }
    out << "]";
  }
  return out.str();
}

}  // namespace detail

/// Second-order results differ by more roundings than first-order ones (float: the gradient's
/// own error is scaled by the second derivative).
template <class T>
inline constexpr tolerance second_order_tolerance = std::is_same_v<T, float> ? tolerance{1e-3, 2e-4} : tolerance{1e-8, 1e-10};

/// Forward mode and forward over reverse on e (the tensor plan on dual numbers), along a random
/// direction v of every param: the directional derivative J v satisfies <J v, u> = <v, J^T u>
/// with LibTorch's J^T u (u the seed), the gradients agree with LibTorch's, and so does H v, the
/// Hessian of <e, u> times v (LibTorch's double backward).
template <class E, class Seed, class... Leaves, class... Data>
void check_forward_mode(const E& e, const std::tuple<Data...>& data, const Seed& seed,
                        const reference::tensor* seed_data, const reference::tensor_evaluation& torch, std::mt19937_64& engine,
                        const reference::graph& described, const std::map<std::string, reference::tensor>& bindings,
                        const Leaves&... leaves) {
  using T = typename E::value_type;
  using wrt = used_params_t<E, Leaves...>;
  constexpr std::size_t rank = E::shape_type::rank;
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  [&]<class... W>(std::tuple<W...>) {
    const std::tuple<leaf_data_t<W>...> v{
        make_data<T, W::shape_type::rank>(W::shape_type::extents, [&] { return uniform(engine); })...};
    std::map<std::string, reference::tensor> direction;
    std::apply([&](const auto&... d) { ((direction[std::string(W::name.view())] = to_reference(d)), ...); }, v);
    const reference::tensor_evaluation second =
        reference::evaluate_tensors(described, bindings, seed_data, direction);
    using step_t = engine::tensor::dual_step<E, true, W...>;
    using D = typename step_t::D;
    auto step = std::make_unique<step_t>();
    std::vector<D> dual_seed;
    if constexpr (rank > 0)
      for (const auto& u : seed) dual_seed.push_back(D(u, T(0)));
    const auto dir = std::apply(
        [](const auto&... d) {
          return std::array<engine::tensor::direction_data<T>, sizeof...(W)>{engine::tensor::direction_of<T>(d)...};
        },
        v);
    const auto b = std::apply([&](const auto&... d) { return tapeless::bind((leaves = d)...); }, data);
    step->run(e, b, dir, rank == 0 ? nullptr : dual_seed.data());
    // <J v, u> against <v, J^T u> (LibTorch's gradients).
    owned_tensor_t<T, E> jv{};
    step_t::template unpack<1, rank>(step->state().value_layout(step_t::root), jv);
    double lhs = 0, rhs = 0, scale = 0;
    if constexpr (rank == 0) lhs = static_cast<double>(jv);
    else {
      auto u = seed.begin();
      for (const auto& x : jv) lhs += static_cast<double>(x) * static_cast<double>(*u++);
    }
    std::apply(
        [&](const auto&... d) {
          (
              [&](const auto& vk, const reference::tensor& g) {
                std::size_t i = 0;
                if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(vk)>>) {
                  rhs += static_cast<double>(vk) * g.data[0];
                  scale += std::fabs(static_cast<double>(vk) * g.data[0]);
                } else {
                  for (const auto& x : vk) {
                    rhs += static_cast<double>(x) * g.data[i];
                    scale += std::fabs(static_cast<double>(x) * g.data[i++]);
                  }
                }
              }(d, torch.gradients.at(std::string(W::name.view()))),
              ...);
        },
        v);
    INFO("<J v, u> = " << lhs << ", <v, J^T u> = " << rhs);
    CHECK(is_close(lhs, rhs, tolerance{second_order_tolerance<T>.rtol, second_order_tolerance<T>.atol * std::max(1.0, scale)}));
    // The gradients and H v.
    std::size_t k = 0;
    (
        [&] {
          owned_tensor_t<T, W> g{}, hv{};
          step_t::template unpack<0, W::shape_type::rank>(step->state().adjoint_layout(step_t::ids[k]), g);
          step_t::template unpack<1, W::shape_type::rank>(step->state().adjoint_layout(step_t::ids[k]), hv);
          const std::string name(W::name.view());
          check_tensor_close<T>(g, torch.gradients.at(name), "d/d" + name + " on dual numbers against LibTorch");
          check_tensor_close<T>(hv, second.hvp.at(name), "H v, block " + name + ", against LibTorch's double backward",
                                second_order_tolerance<T>);
          ++k;
        }(),
        ...);
  }(wrt{});
}

/// e, with leaves[i] bound to data[i], against LibTorch: its value and the gradient of every
/// param in it (a non-scalar e with a seed gradient drawn from `seed_engine`). Returns LibTorch's
/// evaluation.
template <class E, class... Leaves, class... Data>
reference::tensor_evaluation check_tensors_against_torch(const E& e, const std::tuple<Data...>& data,
                                                         std::mt19937_64& seed_engine, const Leaves&... leaves) {
  static_assert(sizeof...(Leaves) == sizeof...(Data), "one datum per leaf");
  using T = typename E::value_type;
  using wrt = used_params_t<E, Leaves...>;
  static_assert(std::tuple_size_v<wrt> > 0, "a reference check needs an expression with at least one param");
  constexpr std::size_t rank = E::shape_type::rank;
  static_assert(E::shape_type::is_static, "reference checks use static shapes");

  std::ostringstream shown;
  std::apply([&](const auto&... d) { ((shown << detail::describe_leaf_data(leaves, d) << "; "), ...); }, data);
  INFO("bindings (" << dtype_name<T> << "): " << shown.str());

  std::map<std::string, reference::tensor> bindings;
  std::apply([&](const auto&... d) { ((bindings[std::string(Leaves::name.view())] = to_reference(d)), ...); }, data);
  const reference::graph described = describe(e);
  CHECK(described.nodes.size() == tapeless::graph::node_count_v<E>);

  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const auto seed = make_data<T, rank>(E::shape_type::extents, [&] { return uniform(seed_engine); });
  const reference::tensor seed_data = to_reference(seed);
  const reference::tensor_evaluation torch =
      reference::evaluate_tensors(described, bindings, rank == 0 ? nullptr : &seed_data);

  auto step = [&]<class... W>(std::tuple<W...>) { return tapeless::compile(e, tapeless::wrt(W{}...)); }(wrt{});
  const auto r = std::apply(
      [&](const auto&... d) {
        if constexpr (rank == 0) return step((leaves = d)...);
        else return step((leaves = d)..., tapeless::seed(seed));
      },
      data);
  check_tensor_close<T>(r.value(), torch.value, "value against LibTorch");
  [&]<class... W>(std::tuple<W...>) {
    (check_tensor_close<T>(r.grad(W{}), torch.gradients.at(std::string(W::name.view())),
                           "d/d" + std::string(W::name.view()) + " against LibTorch"),
     ...);
  }(wrt{});
#if defined(TAPELESS_CHECK_SECOND_ORDER)
  check_forward_mode(e, data, seed, rank == 0 ? nullptr : &seed_data, torch, seed_engine, described, bindings, leaves...);
#endif
  return torch;
}

/// Several expressions checked as one graph (one compiled step): each is flattened to one axis
/// and they are concatenated, three at a time. Give each part leaves of its own, so that a
/// gradient that disagrees names the part.
template <expression A>
constexpr auto flat(const A& a) {
  return tapeless::reshape<A::shape_type::size>(a);
}
template <expression A, expression... More>
  requires(sizeof...(More) <= 2)
constexpr auto stack(const A& a, const More&... more) {
  if constexpr (sizeof...(More) == 0) return flat(a);
  else return tapeless::concatenate<0>(flat(a), flat(more)...);
}
template <expression A, expression B, expression C, expression... More>
  requires(sizeof...(More) >= 1)
constexpr auto stack(const A& a, const B& b, const C& c, const More&... more) {
  return tapeless::concatenate<0>(stack(a, b, c), stack(more...));
}

/// Leaves of dtype T and shape (E...): `param_of<"x", T, 2, 3>`, `input_of<"u", T, 4>`.
template <fixed_string Name, class T, std::size_t... E>
inline constexpr auto param_of = tapeless::param<Name, tapeless::shape<E...>, T>;
template <fixed_string Name, class T, std::size_t... E>
inline constexpr auto input_of = tapeless::input<Name, tapeless::shape<E...>, T>;

/// Random data for each leaf, uniform in [lo, hi], drawn from `engine`.
template <class... Leaves>
std::tuple<leaf_data_t<Leaves>...> random_data(std::mt19937_64& engine, double lo, double hi, const Leaves&...) {
  std::uniform_real_distribution<double> uniform(lo, hi);
  return {make_data<typename Leaves::value_type, Leaves::shape_type::rank>(Leaves::shape_type::extents,
                                                                           [&] { return uniform(engine); })...};
}

/// e against LibTorch at random data (uniform in [lo, hi]) drawn from a generator seeded with
/// `seed`.
template <class E, class... Leaves>
reference::tensor_evaluation check_tensors_at_random(const E& e, std::uint64_t seed, double lo, double hi,
                                                     const Leaves&... leaves) {
  std::mt19937_64 engine(seed);
  const auto data = random_data(engine, lo, hi, leaves...);
  return check_tensors_against_torch(e, data, engine, leaves...);
}

}  // namespace tapeless::testing
