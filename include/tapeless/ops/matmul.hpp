#pragma once
// matmul — Math: C = A B for matrices (m, k) x (k, n) -> (m, n), or batches of them
// (b, m, k) x (b, k, n) -> (b, m, n). Gradients: dA = G Bᵀ, dB = Aᵀ G. Evaluated with BLAS;
// a transposed operand reaches BLAS as a flag, never as a copy.
// Example: `tl::matmul(tl::relu(tl::matmul(x, w1)), w2)`.
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../core/diagnostics.hpp"
#include "../core/expression.hpp"
#include "../core/shape_algebra.hpp"
#include "elementwise.hpp"

namespace tapeless {
namespace ops {
struct matmul {
  static constexpr op_class category = op_class::matmul;
  static constexpr std::string_view name = "matmul";
  template <class D0, class D1>
  using dtype_rule = D0;
  template <class S0, class S1>
  using shape_rule = matmul_t<S0, S1>;
};
}  // namespace ops

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
      } else if constexpr (SA::extents[SA::rank - 1] != SB::extents[SB::rank - 2] ||
                           SA::extents[SA::rank - 1] == dynamic) {
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
