#pragma once
// One step type for every compiled computation: tl::step<E, Policy> holds the expression and an
// executor policy (the plan and workspace of one way of running E: values and gradients of a
// scalar or a tensor graph, J v, H v). Every call goes one way: check the bindings in the name of
// the entry point, then run the policy; the result reads the policy's workspace.
//
// A policy provides
//   static constexpr engine::detail::entry api;           the entry point it reports as
//   static constexpr std::size_t value_buffers, adjoint_buffers;
//   template <entry Api, class... A> static constexpr bool accepts();
//                                                         the call's other arguments (a seed
//                                                         gradient, directions), reported once
//   template <class Expr, class Bindings, class... A>
//   constexpr void run(const Expr&, const Bindings&, const A&... args);
//
// A function template that deduces some of its arguments never takes the expression as a
// parameter of a fixed type (`const E&` in a member of a template over E): GCC then walks that
// type as a tree, every occurrence of a shared subexpression again, which is exponential in the
// depth of a graph with sharing. The expression's type is deduced (Expr) instead.
//   class result;                                         constructed from const Policy&
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "bindings.hpp"
#include "checks.hpp"

namespace tapeless {

/// Arguments of a step call that are not bindings (a seed gradient, directions): specialised
/// next to each.
template <class A>
inline constexpr bool is_call_option_v = false;

namespace detail {

template <class A>
constexpr auto keep_binding_argument(const A& a) {
  if constexpr (is_call_option_v<A>) return std::tuple<>{};
  else return std::tuple<const A&>(a);
}

/// The call's bindings: every argument that is not a call option.
template <class... A>
constexpr auto call_bindings(const A&... args) {
  return std::apply([](const auto&... b) { return as_bindings(b...); }, std::tuple_cat(keep_binding_argument(args)...));
}

}  // namespace detail

template <class E, class Policy>
class step {
 public:
  using expression_type = E;
  using policy_type = Policy;
  using value_type = typename E::value_type;
  using result = typename Policy::result;
  static constexpr engine::detail::entry api = Policy::api;

  /// Buffers the workspace holds: values of stored nodes (and tie counts), and adjoints.
  static constexpr std::size_t value_buffers = Policy::value_buffers;
  static constexpr std::size_t adjoint_buffers = Policy::adjoint_buffers;

  constexpr explicit step(const E& expr) : expr_(expr) {}

  /// Checks the call in the name of Api, then runs it. False when the call was rejected (and
  /// reported at compile time).
  template <engine::detail::entry Api = api, class... A>
  constexpr bool run(const A&... args) {
    if constexpr (Policy::template accepts<Api, A...>()) {
      const auto b = detail::call_bindings(args...);
      if constexpr (engine::detail::check_bindings<Api, E, std::remove_cvref_t<decltype(b)>>()) {
        policy_.run(expr_, b, args...);
        return true;
      } else {
        return false;
      }
    } else {
      return false;
    }
  }

  /// Runs the step for these bindings (and a seed gradient or directions, as the policy takes).
  template <class... A>
  constexpr result operator()(const A&... args) & {
    run(args...);
    return result{policy_};
  }

  /// A step that is about to be destroyed: its result would read a freed workspace.
  template <class... A>
  constexpr result operator()(const A&...) && {
    engine::detail::report_temporary_step<api, A...>();
    return result{policy_};
  }

  /// The outcome of the last call, read from the workspace.
  [[nodiscard]] constexpr result last() const { return result{policy_}; }

  [[nodiscard]] constexpr Policy& policy() noexcept { return policy_; }
  [[nodiscard]] constexpr const Policy& policy() const noexcept { return policy_; }

  /// Elements of workspace memory the step owns.
  [[nodiscard]] std::size_t workspace_elements() const { return policy_.workspace_elements(); }

 private:
  E expr_;
  Policy policy_{};
};

}  // namespace tapeless
