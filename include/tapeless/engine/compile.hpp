#pragma once
// compile(loss, wrt(w, b)): a step object that owns its workspace, planned once, and runs the
// forward and reverse passes into it on each call. The result of a call reads that workspace:
// r.value(), r.grad(w). Nothing is allocated per step.
#include <cstddef>
#include <type_traits>

#include "../core/expression.hpp"
#include "bindings.hpp"
#include "checks.hpp"
#include "differentiate.hpp"
#include "program.hpp"
#include "tensor/compiled.hpp"
#include "wrt_list.hpp"

namespace tapeless {

template <class E, class... Wrt>
class compiled {
 public:
  using value_type = typename E::value_type;
  using workspace_type = engine::workspace_for<E>;

  constexpr explicit compiled(const E& expr) : expr_(expr) {}

  /// One step's outcome: the value and the gradients, read from the step's workspace (valid
  /// until the next call of the step).
  class result {
   public:
    constexpr explicit result(const workspace_type& w) : workspace_(&w) {}

    [[nodiscard]] constexpr value_type value() const { return workspace_->value[graph::node_count_v<E> - 1]; }

    template <class Leaf>
    [[nodiscard]] constexpr value_type grad(const Leaf&) const {
      constexpr std::size_t k = gradients<value_type, Wrt...>::template index_of<Leaf>;
      static_assert(k < sizeof...(Wrt),
                    "tapeless::compile: no gradient was planned for this leaf; list it in tl::wrt(...)");
      if constexpr (k < sizeof...(Wrt)) return workspace_->adjoint[engine::wrt_ids_v<E, Wrt...>[k]];
      else return value_type{};
    }

   private:
    const workspace_type* workspace_;
  };

  /// A step that is about to be destroyed: its result would read a freed workspace.
  template <class... B>
  constexpr result operator()(const B&...) && {
    static_assert(diagnostics::always_false<B...>,
                  "tapeless::compile: call a named step (auto step = tl::compile(...); step(...)); the "
                  "result reads the step's workspace, which a temporary step takes with it");
    return result{workspace_};
  }

  /// Runs the forward and reverse passes for these bindings.
  template <class... B>
  constexpr result operator()(const B&... data) & {
    const auto b = detail::as_bindings(data...);
    if constexpr (engine::detail::check_bindings<engine::detail::entry::compile, E, std::remove_cvref_t<decltype(b)>>()) {
      engine::forward(expr_, b, workspace_);
      engine::backward<E, Wrt...>(workspace_);
    }
    return result{workspace_};
  }

 private:
  E expr_;
  workspace_type workspace_{};
};

/// Plans the value and the gradients of `expr` with respect to `wrt...` once; the returned
/// step is called with bindings: `auto step = tl::compile(loss, tl::wrt(w, b)); step(x = ...)`.
/// A tensor graph (any node not a scalar) compiles to a step over a planned workspace; its
/// output may be non-scalar, and the step then takes a seed gradient: step(bindings, tl::seed(g)).
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto compile(const E& expr, wrt_list<Wrt...>) {
  if constexpr (engine::tensor::is_tensor_graph_v<E>) {
    if constexpr (sizeof...(Wrt) > 0) engine::detail::check_compilable<E, Wrt...>();
    else engine::detail::check_names<E>();
    return compiled_tensor<E, Wrt...>{expr};
  } else {
    engine::detail::check_differentiable<engine::detail::entry::compile, E, Wrt...>();
    return compiled<E, Wrt...>{expr};
  }
}

/// A step that only evaluates: `tl::compile(expr)`.
template <expression E>
[[nodiscard]] constexpr auto compile(const E& expr) {
  return compile(expr, wrt_list<>{});
}

}  // namespace tapeless
