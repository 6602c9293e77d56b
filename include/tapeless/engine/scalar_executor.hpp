#pragma once
// Runs forward and backward programs over a scalar workspace: one value and one adjoint per
// unique node, in flat arrays (structure of arrays). Everything is constexpr, so scalar graphs
// can be evaluated and differentiated in constant expressions.
#include <array>
#include <cstddef>
#include <utility>

#include "../detail/dual.hpp"
#include "bindings.hpp"
#include "program.hpp"

namespace tapeless::engine {

template <class T, std::size_t N>
struct scalar_workspace {
  std::array<T, N> value{};
  std::array<T, N> adjoint{};
};

template <class Leaf, std::size_t Out, class T, std::size_t N, class Bindings>
constexpr void execute(load_leaf<Leaf, Out>, scalar_workspace<T, N>& w, const Bindings& b) {
  w.value[Out] = b.template get<Leaf>();
}

template <class Literal, std::size_t Out, class T, std::size_t N, class Bindings>
constexpr void execute(load_literal<Literal, Out>, scalar_workspace<T, N>&w, const Bindings&) {
  w.value[Out] = Literal::value;
}

template <std::size_t Out, class Path, class T, std::size_t N, class Bindings>
constexpr void execute(load_constant<Out, Path>, scalar_workspace<T, N>&, const Bindings&) {
  // Constants are loaded from the expression object before the pass (load_constants).
}

template <class Op, std::size_t Out, std::size_t... In, class T, std::size_t N, class Bindings>
constexpr void execute(apply_op<Op, Out, In...>, scalar_workspace<T, N>& w, const Bindings&) {
  w.value[Out] = ::tapeless::detail::apply_forward<Op, T>(w.value[In]...);
}

template <class T, std::size_t N>
constexpr void execute_backward(no_step, scalar_workspace<T, N>&) {}

template <class Op, std::size_t Out, unsigned Needed, unsigned First, std::size_t... In, class T, std::size_t N>
constexpr void execute_backward(apply_vjp<Op, Out, Needed, First, In...>, scalar_workspace<T, N>& w) {
  constexpr std::size_t operands[] = {In...};
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    const auto contribute = [&]<std::size_t Slot>(std::integral_constant<std::size_t, Slot>) {
      if constexpr ((Needed >> Slot) & 1u) {
        const T c = Op::template vjp<Slot>(w.adjoint[Out], w.value[Out], w.value[In]...);
        if constexpr ((First >> Slot) & 1u) w.adjoint[operands[Slot]] = c;
        else w.adjoint[operands[Slot]] += c;
      }
    };
    (contribute(std::integral_constant<std::size_t, K>{}), ...);
  }(std::make_index_sequence<sizeof...(In)>{});
}

/// The sub-object of `e` reached through the operand slots S, Rest...
template <class E>
constexpr const E& follow(const E& e, std::index_sequence<>) {
  return e;
}
template <class E, std::size_t S, std::size_t... Rest>
constexpr decltype(auto) follow(const E& e, std::index_sequence<S, Rest...>) {
  return follow(e.template operand<S>(), std::index_sequence<Rest...>{});
}

/// Copies every constant of the expression object into its value slot.
template <class Root, std::size_t... Out, class... Path, class T, std::size_t N>
constexpr void load_constants(const Root& root, program<load_constant<Out, Path>...>, scalar_workspace<T, N>& w) {
  ((w.value[Out] = follow(root, Path{}).value), ...);
}

template <class... Steps, class T, std::size_t N, class Bindings>
constexpr void run_forward(program<Steps...>, scalar_workspace<T, N>& w, const Bindings& b) {
  (execute(Steps{}, w, b), ...);
}

template <class... Steps, class T, std::size_t N>
constexpr void run_backward(program<Steps...>, scalar_workspace<T, N>& w) {
  (execute_backward(Steps{}, w), ...);
}

}  // namespace tapeless::engine
