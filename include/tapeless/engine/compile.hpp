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
#include "policies.hpp"
#include "program.hpp"
#include "wrt_list.hpp"

namespace tapeless {

/// Plans the value and the gradients of `expr` with respect to `wrt...` once; the returned
/// step is called with bindings: `auto step = tl::compile(loss, tl::wrt(w, b)); step(x = ...)`.
/// A tensor graph (any node not a scalar) compiles to a step over a planned workspace; its
/// output may be non-scalar, and the step then takes a seed gradient: step(bindings, tl::seed(g)).
template <expression E, class... Wrt>
[[nodiscard]] constexpr auto compile(const E& expr, wrt_list<Wrt...>) {
  if constexpr (engine::tensor::is_tensor_graph_v<E>) {
    if constexpr (sizeof...(Wrt) > 0) engine::detail::check_compilable<E, Wrt...>();
    else engine::detail::check_names<E>();
  } else {
    engine::detail::check_differentiable<engine::detail::entry::compile, E, Wrt...>();
  }
  return step_for<E, Wrt...>{expr};
}

/// A step that only evaluates: `tl::compile(expr)`.
template <expression E>
[[nodiscard]] constexpr auto compile(const E& expr) {
  return compile(expr, wrt_list<>{});
}

}  // namespace tapeless
