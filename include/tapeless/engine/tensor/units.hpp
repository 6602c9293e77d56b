#pragma once
// View and kernel units. Every view runs the same way: its op says how it sees its operand
// (`see`), and the engine aliases that, or copies it when the plan asks for memory; the
// reverse pass writes the adjoint through the same view of the operand's adjoint. A kernel
// unit calls the kernels its op defines, found by type; an op without them is one compile
// error naming it.
#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "../../core/diagnostics.hpp"
#include "kernel_api.hpp"
#include "loops.hpp"

namespace tapeless::engine::tensor {

namespace detail {

template <class Op, class T>
concept view_op = requires(const layout<T>& l, const extents_t& e) {
  { Op::see(l, std::size_t{}, e) };
  Op::result_layout(layout_class::contiguous, std::size_t{});
  Op::covers_operand;
  Op::keeps_row_major_order;
};

}  // namespace detail

template <class Root, class S, class... Wrt>
class kernel_units : public loop_units<Root, S, Wrt...> {
  using base = loop_units<Root, S, Wrt...>;

 public:
  using typename base::T;
  using base::G;
  using base::P;
  using base::rank_of;
  using base::declared;
  template <std::size_t I>
  using op_t = typename base::template op_t<I>;

 protected:
  using base::adj_;
  using base::aux_;
  using base::val_;

  // ------------------------------------------------------------------------------------------
  // Views
  template <std::size_t U>
  void view_forward() {
    using op = op_t<U>;
    constexpr std::size_t o = G.nodes[U].operands[0];
    if constexpr (!detail::view_op<op, T>) {
      (void)diagnostics::view_op_without_see<op>{};
    } else if constexpr (P.roles[U] == role::alias) {
      val_[U] = this->template seen_through<U>(val_[o]);
    } else if constexpr (op::keeps_row_major_order) {
      copy_row_major(val_[o], rank_of(o), val_[U].data);
    } else {
      copy_row_major(this->template seen_through<U>(val_[o]), rank_of(U), val_[U].data);
    }
  }

  template <std::size_t U>
  void view_backward() {
    using op = op_t<U>;
    constexpr write mode = P.edge[U][0];
    // An adjoint alias: the view's consumer already wrote its operand's adjoint.
    if constexpr (detail::view_op<op, T> && mode != write::none && !P.adjoint_alias[U]) {
      constexpr std::size_t o = G.nodes[U].operands[0];
      const layout<T>& g = adj_[U];
      if constexpr (mode == write::assign && !op::covers_operand) {
        // The view's contribution is the whole of its operand's adjoint: zero outside it.
        T* p = adj_[o].data;
        std::fill(p, p + element_count(val_[o].ext, rank_of(o)), T(0));
      }
      const layout<T> dst = this->template seen_through<U>(adj_[o]);
      for_each_pair(rank_of(U), g.ext, dst.stride, g.stride, [&](std::ptrdiff_t od, std::ptrdiff_t og) {
        if constexpr (mode == write::assign) dst.data[od] = g.data[og];
        else dst.data[od] += g.data[og];
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Kernels
  template <std::size_t U>
  static constexpr auto info = [] {
    constexpr const graph::node_record& r = G.nodes[U];
    unit_info<r.arity> u;
    u.out = declared(U);
    for (std::size_t k = 0; k < r.arity; ++k) {
      u.in[k] = declared(r.operands[k]);
      u.edge[k] = P.edge[U][k];
    }
    return u;
  }();

  template <std::size_t U>
  static constexpr auto operand_names = [] {
    constexpr const graph::node_record& r = G.nodes[U];
    std::array<operand_name, r.arity> names{};
    for (std::size_t k = 0; k < r.arity; ++k) {
      const graph::node_descriptor* d = G.nodes[r.operands[k]].descriptor;
      names[k] = {d->name, d->kind == node_kind::input || d->kind == node_kind::param};
    }
    return names;
  }();

  template <std::size_t U>
  kernel_args<T, G.nodes[U].arity> args() {
    constexpr const graph::node_record& r = G.nodes[U];
    kernel_args<T, r.arity> a;
    for (std::size_t k = 0; k < r.arity; ++k) {
      a.in[k] = &val_[r.operands[k]];
      a.in_grad[k] = &adj_[r.operands[k]];
      a.operands[k] = operand_names<U>[k];
    }
    a.out = &val_[U];
    a.aux = aux_[U];
    a.grad = &adj_[U];
    return a;
  }

  template <std::size_t U>
  void kernel_forward() {
    using op = op_t<U>;
    const auto a = args<U>();
    if constexpr (requires { op::template forward_kernel<info<U>>(a); }) op::template forward_kernel<info<U>>(a);
    else (void)diagnostics::op_has_no_tensor_kernel<op>{};
  }

  template <std::size_t U>
  void kernel_backward() {
    using op = op_t<U>;
    const auto a = args<U>();
    if constexpr (requires { op::template backward_kernel<info<U>>(a); }) op::template backward_kernel<info<U>>(a);
    else (void)diagnostics::op_has_no_tensor_kernel<op>{};
  }
};

}  // namespace tapeless::engine::tensor
