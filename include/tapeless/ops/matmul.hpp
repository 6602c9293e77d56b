#pragma once
// matmul — Math: C = A B for matrices (m, k) x (k, n) -> (m, n), or batches of them
// (b, m, k) x (b, k, n) -> (b, m, n). Gradients: dA = G Bᵀ, dB = Aᵀ G. Evaluated with BLAS
// (small static products inline); a transposed operand reaches BLAS as a flag, never as a
// copy, and an operand's adjoint may be written transposed (x Wᵀ gives dW = Gᵀ x directly).
// Example: `tl::matmul(tl::relu(tl::matmul(x, w1)), w2)`.
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/extents.hpp"
#include "../engine/tensor/blas.hpp"
#include "../engine/tensor/kernel_api.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct matmul {
  static constexpr op_class category = op_class::kernel;
  static constexpr std::string_view name = "matmul";
  static constexpr bool matrix_operands = true;
  static constexpr bool backward_reads_output = false;

  /// The shape rule (compile time and run time).
  static constexpr shape_outcome infer(const std::array<extents, 2>& in) {
    const extents& a = in[0];
    const extents& b = in[1];
    shape_outcome s{a};
    if (a.rank != b.rank || a.rank < 2 || a.rank > 3) {
      s.error = "operands must be two matrices or two batches of matrices";
      return s;
    }
    const std::size_t R = a.rank;
    if (!extents_agree(a[R - 1], b[R - 2])) s.error = "the inner extents differ (lhs columns vs rhs rows)";
    else if (R == 3 && !extents_agree(a[0], b[0])) s.error = "the batch extents differ";
    if (R == 3) s.out[0] = known_of(a[0], b[0]);
    s.out[R - 2] = a[R - 2];
    s.out[R - 1] = b[R - 1];
    return s;
  }
  template <class D0, class D1>
  using dtype_rule = D0;
  template <class S0, class S1>
  using shape_rule = rule_shape_t<matmul, S0, S1>;

  template <auto Info, class T>
  static void forward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    constexpr std::size_t R = Info.out.rank;
    const auto& a = *x.in[0];
    const auto& b = *x.in[1];
    auto& c = *x.out;
    const std::size_t m = c.ext[R - 2], n = c.ext[R - 1], k = a.ext[R - 1];
    const std::size_t batches = R == 3 ? c.ext[0] : 1;
    for (std::size_t q = 0; q < batches; ++q) {
      const auto ma = engine::tensor::as_matrix(a, R, batch(a, q, R));
      const auto mb = engine::tensor::as_matrix(b, R, batch(b, q, R));
      engine::tensor::product_into<Info.out[R - 2], Info.out[R - 1], Info.in[0][R - 1]>(
          ma, mb, m, n, k, T(0), c.data + batch(c, q, R), c.stride[R - 2], c.stride[R - 1]);
    }
  }

  template <auto Info, class T>
  static void backward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    using engine::tensor::write;
    constexpr std::size_t R = Info.out.rank;
    const auto& a = *x.in[0];
    const auto& b = *x.in[1];
    const auto& g = *x.grad;
    const std::size_t m = g.ext[R - 2], n = g.ext[R - 1], k = a.ext[R - 1];
    const std::size_t batches = R == 3 ? g.ext[0] : 1;
    for (std::size_t q = 0; q < batches; ++q) {
      const engine::tensor::matrix<T> mg{g.data + batch(g, q, R), false, n > 0 ? n : 1};
      if constexpr (Info.edge[0] != write::none) {
        // dA (m x k) = G (m x n) Bᵀ
        auto mb = engine::tensor::as_matrix(b, R, batch(b, q, R));
        mb.trans = !mb.trans;
        auto& da = *x.in_grad[0];
        engine::tensor::product_into<Info.out[R - 2], Info.in[0][R - 1], Info.out[R - 1]>(
            mg, mb, m, k, n, Info.edge[0] == write::assign ? T(0) : T(1), da.data + batch(da, q, R), da.stride[R - 2],
            da.stride[R - 1]);
      }
      if constexpr (Info.edge[1] != write::none) {
        // dB (k x n) = Aᵀ G (m x n)
        auto ma = engine::tensor::as_matrix(a, R, batch(a, q, R));
        ma.trans = !ma.trans;
        auto& db = *x.in_grad[1];
        engine::tensor::product_into<Info.in[0][R - 1], Info.out[R - 1], Info.out[R - 2]>(
            ma, mg, k, n, m, Info.edge[1] == write::assign ? T(0) : T(1), db.data + batch(db, q, R), db.stride[R - 2],
            db.stride[R - 1]);
      }
    }
  }

 private:
  template <class L>
  static std::ptrdiff_t batch(const L& l, std::size_t q, std::size_t R) {
    return R == 3 ? static_cast<std::ptrdiff_t>(q) * l.stride[0] : 0;
  }
};
}  // namespace ops

/// Whether A and B can be multiplied as matrices (2-D, or batched 3-D with equal batch).
template <class A, class B>
inline constexpr bool matmul_compatible_v =
    ops::matmul::infer(std::array<extents, 2>{extents_of<A>, extents_of<B>}).ok();

/// The shape of A x B (meaningful when matmul_compatible_v<A, B>).
template <class A, class B>
using matmul_t = rule_shape_t<ops::matmul, A, B>;

/// The matrix product of a and b (both rank 2, or both rank 3 with the same batch extent).
template <expression A, expression B>
[[nodiscard]] constexpr auto matmul(const A& a, const B& b) {
  using SA = typename A::shape_type;
  using SB = typename B::shape_type;
  constexpr bool same_dtype = std::is_same_v<typename A::value_type, typename B::value_type>;
  constexpr bool ok = same_dtype && matmul_compatible_v<SA, SB>;
  if constexpr (!ok) {
    if constexpr (!detail::contains_rejected_v<A> && !detail::contains_rejected_v<B>) {
      if constexpr (!same_dtype) {
        (void)diagnostics::dtypes_differ<ops::matmul, typename A::value_type, typename B::value_type>{};
      } else if constexpr (SA::rank != SB::rank || SA::rank < 2 || SA::rank > 3) {
        (void)diagnostics::matmul_ranks_unsupported<SA::rank, SB::rank>{};
      } else if constexpr (!extents_agree(SA::extents[SA::rank - 1], SB::extents[SB::rank - 2])) {
        (void)diagnostics::matmul_inner_extents_differ<SA::extents[SA::rank - 1], SB::extents[SB::rank - 2]>{};
      } else {
        (void)diagnostics::matmul_batch_extents_differ<SA::extents[0], SB::extents[0]>{};
      }
    }
    return node<ops::rejected<ops::matmul>, A, B>{a, b};
  } else if constexpr (!A::positional && !B::positional) {
    return node<ops::matmul, A, B>{};
  } else {
    return node<ops::matmul, A, B>{a, b};
  }
}
}  // namespace tapeless
