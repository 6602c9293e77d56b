#pragma once
// Runs forward and backward programs over a scalar workspace: one value and one adjoint per
// unique node, in flat arrays (structure of arrays). Everything is constexpr, so scalar graphs
// can be evaluated and differentiated in constant expressions.
#include <array>
#include <cstddef>
#include <utility>

#include "../detail/dual.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "program.hpp"
#include "result.hpp"
#include "step.hpp"

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

template <class Root>
using workspace_for = scalar_workspace<typename Root::value_type, graph::node_count_v<Root>>;

template <class Root, class Bindings>
constexpr void forward(const Root& root, const Bindings& b, workspace_for<Root>& w) {
  load_constants(root, constant_program_t<Root>{}, w);
  run_forward(forward_program_t<Root>{}, w, b);
}

template <class Root, class... Wrt>
constexpr void backward(workspace_for<Root>& w) {
  w.adjoint[graph::node_count_v<Root> - 1] = typename Root::value_type(1);
  run_backward(backward_program_t<Root, Wrt...>{}, w);
}

/// The executor of a scalar graph's step: straight-line forward and reverse programs over one
/// value and one adjoint per node, usable in constant expressions.
template <class E, class... Wrt>
class scalar_policy {
 public:
  using value_type = typename E::value_type;
  static constexpr detail::entry api = detail::entry::compile;
  static constexpr std::size_t nodes = graph::node_count_v<E>;
  static constexpr std::size_t value_buffers = nodes;
  static constexpr std::size_t adjoint_buffers = sizeof...(Wrt) > 0 ? nodes : 0;

  template <detail::entry Api, class... A>
  static constexpr bool accepts() {
    constexpr bool bindings_only = (!is_call_option_v<A> && ...);
    static_assert(bindings_only, "tapeless: a scalar graph's step takes bindings only (its output is a number)");
    return bindings_only;
  }

  template <class Expr, class Bindings, class... A>
  constexpr void run(const Expr& expr, const Bindings& b, const A&...) {
    forward(expr, b, w_);
    if constexpr (sizeof...(Wrt) > 0) backward<E, Wrt...>(w_);
  }

  /// One call's outcome: the value and the gradients, read from the workspace (valid until the
  /// next call of the step).
  class result {
   public:
    constexpr explicit result(const scalar_policy& p) : p_(&p) {}

    [[nodiscard]] constexpr value_type value() const { return p_->w_.value[nodes - 1]; }

    template <class Leaf>
    [[nodiscard]] constexpr value_type grad(const Leaf&) const {
      constexpr std::size_t k = gradients<value_type, Wrt...>::template index_of<Leaf>;
      static_assert(k < sizeof...(Wrt),
                    "tapeless::compile: no gradient was planned for this leaf; list it in tl::wrt(...)");
      if constexpr (k < sizeof...(Wrt)) return p_->w_.adjoint[wrt_ids_v<E, Wrt...>[k]];
      else return value_type{};
    }

   private:
    const scalar_policy* p_;
  };

  [[nodiscard]] std::size_t workspace_elements() const { return 2 * nodes; }
  /// The values and adjoints of the last call, by node id.
  [[nodiscard]] constexpr const workspace_for<E>& workspace() const noexcept { return w_; }

 private:
  workspace_for<E> w_{};
};

}  // namespace tapeless::engine
