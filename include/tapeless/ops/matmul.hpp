#pragma once
// matmul — Math: C = A B, as torch.matmul: matrices (m, k) x (k, n) -> (m, n); a vector on the
// left is a row, on the right a column (its axis leaves the result: (k) x (k, n) -> (n),
// (m, k) x (k) -> (m), (k) x (k) -> ()); batches of matrices broadcast their batch axes
// ((b, m, k) x (k, n) -> (b, m, n)). Gradients: dA = G Bᵀ, dB = Aᵀ G, summed over the batches
// that broadcast an operand. Evaluated with BLAS
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
  /// Its kernels read a dual operand bound as value and derivative planes (forward mode binds
  /// a leaf that only products read in place, without packing it into dual numbers).
  static constexpr bool reads_planes = true;

  /// The shape rule of torch.matmul: vector · vector is a scalar; a vector on the left is a row
  /// (its axis dropped from the result), on the right a column (likewise); otherwise the last
  /// two axes are matrices and the leading (batch) axes broadcast, NumPy style.
  static constexpr shape_outcome infer(const std::array<extents, 2>& in) {
    const extents& a = in[0];
    const extents& b = in[1];
    shape_outcome s{a};
    if (a.rank == 0 || b.rank == 0) {
      s.error = "operands must be vectors, matrices or batches of matrices (rank 1 to 4)";
      return s;
    }
    const std::size_t k_a = a.back(), k_b = b.rank == 1 ? b[0] : b.back(1);
    if (!extents_agree(k_a, k_b)) s.error = "the inner extents differ (lhs columns vs rhs rows)";
    const std::size_t batch_a = a.rank > 2 ? a.rank - 2 : 0, batch_b = b.rank > 2 ? b.rank - 2 : 0;
    const std::size_t batch = batch_a > batch_b ? batch_a : batch_b;
    s.out.rank = batch + (a.rank > 1 ? 1 : 0) + (b.rank > 1 ? 1 : 0);
    if (s.out.rank > max_rank) {
      s.error = "the result would have rank above 4";
      s.out.rank = max_rank;
      return s;
    }
    for (std::size_t d = 0; d < batch; ++d) {
      // Batch axes aligned on the right; a missing axis or an extent of 1 broadcasts.
      const std::size_t ea = d + batch_a >= batch ? a[d + batch_a - batch] : 1;
      const std::size_t eb = d + batch_b >= batch ? b[d + batch_b - batch] : 1;
      if (ea == 1) s.out[d] = eb;
      else if (eb == 1) s.out[d] = ea;
      else if (extents_agree(ea, eb)) s.out[d] = known_of(ea, eb);
      else s.error = "the batch extents do not broadcast";
    }
    std::size_t d = batch;
    if (a.rank > 1) s.out[d++] = a.back(1);
    if (b.rank > 1) s.out[d++] = b.back();
    return s;
  }
  template <class D0, class D1>
  using dtype_rule = D0;
  template <class S0, class S1>
  using shape_rule = rule_shape_t<matmul, S0, S1>;

  /// The matrix problem of one unit: C (m x n) = A (m x k) B (k x n) for every batch index, with
  /// vectors as a row (lhs) or a column (rhs), and each operand's batch offsets.
  template <auto Info>
  struct problem {
    static constexpr std::size_t ra = Info.in[0].rank, rb = Info.in[1].rank, rc = Info.out.rank;
    static constexpr std::size_t batch_rank = rc - (ra > 1 ? 1 : 0) - (rb > 1 ? 1 : 0);
    static constexpr std::size_t static_m = ra > 1 ? Info.in[0].back(1) : 1;
    static constexpr std::size_t static_n = rb > 1 ? Info.in[1].back() : 1;
    static constexpr std::size_t static_k = Info.in[0].back();

    /// The matrix of an operand or result layout at a batch offset: (rows, cols, strides).
    template <class L>
    static L as_matrix_layout(const L& l, std::size_t rank, bool vector_is_row) {
      L m = l;  // data, and a dual leaf's planes
      if (rank == 1) {
        m.ext = {vector_is_row ? 1 : l.ext[0], vector_is_row ? l.ext[0] : 1, 0, 0};
        m.stride = {vector_is_row ? static_cast<std::ptrdiff_t>(l.ext[0]) * l.stride[0] : l.stride[0],
                    vector_is_row ? l.stride[0] : 1, 0, 0};
        if (l.ext[0] <= 1) m.stride = {1, 1, 0, 0};
        return m;
      }
      m.ext = {l.ext[rank - 2], l.ext[rank - 1], 0, 0};
      m.stride = {l.stride[rank - 2], l.stride[rank - 1], 0, 0};
      return m;
    }
    /// Offset of batch `q` (row-major over the result's batch axes) in an operand of rank r:
    /// its batch axes are aligned on the right, and broadcast ones (missing, or extent 1) read
    /// stride 0. `first` tells whether this is the first batch that reads that offset.
    template <class L>
    static std::ptrdiff_t batch_offset(const L& l, std::size_t r, const engine::tensor::extents_t& out_ext,
                                       std::size_t q, bool& first) {
      const std::size_t own = r > 2 ? r - 2 : 0;
      std::ptrdiff_t off = 0;
      first = true;
      for (std::size_t d = batch_rank; d-- > 0;) {
        const std::size_t i = q % out_ext[d];
        q /= out_ext[d];
        if (d + own < batch_rank || l.ext[d + own - batch_rank] == 1) {
          first = first && i == 0;
          continue;
        }
        off += static_cast<std::ptrdiff_t>(i) * l.stride[d + own - batch_rank];
      }
      return off;
    }
  };

  template <auto Info, class T>
  static void forward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    using P = problem<Info>;
    const auto& a = *x.in[0];
    const auto& b = *x.in[1];
    auto& c = *x.out;
    const auto ma = P::as_matrix_layout(a, P::ra, true), mb = P::as_matrix_layout(b, P::rb, false);
    const std::size_t m = ma.ext[0], k = ma.ext[1], n = mb.ext[1];
    const std::size_t batches = batch_count<P>(c.ext);
    bool first = true;
    for (std::size_t q = 0; q < batches; ++q) {
      const auto la = engine::tensor::as_matrix(ma, 2, P::batch_offset(a, P::ra, c.ext, q, first));
      const auto lb = engine::tensor::as_matrix(mb, 2, P::batch_offset(b, P::rb, c.ext, q, first));
      engine::tensor::product_into<P::static_m, P::static_n, P::static_k>(
          la, lb, m, n, k, T(0), c.data + static_cast<std::ptrdiff_t>(q * m * n), static_cast<std::ptrdiff_t>(n), 1);
    }
  }

  template <auto Info, class T>
  static void backward_kernel(const engine::tensor::kernel_args<T, 2>& x) {
    using engine::tensor::write;
    using P = problem<Info>;
    const auto& a = *x.in[0];
    const auto& b = *x.in[1];
    const auto& g = *x.grad;
    const auto ma = P::as_matrix_layout(a, P::ra, true), mb = P::as_matrix_layout(b, P::rb, false);
    const std::size_t m = ma.ext[0], k = ma.ext[1], n = mb.ext[1];
    const std::size_t batches = batch_count<P>(g.ext);
    for (std::size_t q = 0; q < batches; ++q) {
      const engine::tensor::matrix<T> mg{g.data + static_cast<std::ptrdiff_t>(q * m * n), false, n > 0 ? n : 1};
      bool first = true;
      if constexpr (Info.edge[0] != write::none) {
        // dA (m x k) = G (m x n) Bᵀ; a broadcast A sums over the batches that read it.
        auto lb = engine::tensor::as_matrix(mb, 2, P::batch_offset(b, P::rb, g.ext, q, first));
        lb.trans = !lb.trans;
        auto& da = *x.in_grad[0];
        const auto mda = P::as_matrix_layout(da, P::ra, true);
        const std::ptrdiff_t at = P::batch_offset(da, P::ra, g.ext, q, first);
        engine::tensor::product_into<P::static_m, P::static_k, P::static_n>(
            mg, lb, m, k, n, first && Info.edge[0] == write::assign ? T(0) : T(1), da.data + at, mda.stride[0],
            mda.stride[1]);
      }
      if constexpr (Info.edge[1] != write::none) {
        // dB (k x n) = Aᵀ G (m x n)
        auto la = engine::tensor::as_matrix(ma, 2, P::batch_offset(a, P::ra, g.ext, q, first));
        la.trans = !la.trans;
        auto& db = *x.in_grad[1];
        const auto mdb = P::as_matrix_layout(db, P::rb, false);
        const std::ptrdiff_t at = P::batch_offset(db, P::rb, g.ext, q, first);
        engine::tensor::product_into<P::static_k, P::static_n, P::static_m>(
            la, mg, k, n, m, first && Info.edge[1] == write::assign ? T(0) : T(1), db.data + at, mdb.stride[0],
            mdb.stride[1]);
      }
    }
  }

 private:
  template <class P>
  static std::size_t batch_count(const engine::tensor::extents_t& out) {
    std::size_t q = 1;
    for (std::size_t d = 0; d < P::batch_rank; ++d) q *= out[d];
    return q;
  }
};
}  // namespace ops

/// A dtype mismatch is reported in the words the user wrote.
namespace diagnostics {
template <class A, class B>
struct dtypes_differ<ops::matmul, A, B> {
  static_assert(always_false<A, B>,
                "tapeless::matmul: the operands have different dtypes (float32 and float64); declare both "
                "leaves with the same dtype");
};
}  // namespace diagnostics

/// Whether A and B can be multiplied as torch.matmul does.
template <class A, class B>
inline constexpr bool matmul_compatible_v =
    ops::matmul::infer(std::array<extents, 2>{extents_of<A>, extents_of<B>}).ok();

/// The shape of matmul(A, B) (meaningful when matmul_compatible_v<A, B>).
template <class A, class B>
using matmul_t = rule_shape_t<ops::matmul, A, B>;

/// The matrix product of a and b with torch.matmul's semantics: vector · vector (a scalar),
/// matrix · vector, vector · matrix, matrix · matrix, and batches of matrices whose batch axes
/// broadcast ((b, m, k) · (k, n), (b, 1, m, k) · (c, k, n), ...).
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
      } else if constexpr (SA::rank == 0 || SB::rank == 0) {
        (void)diagnostics::matmul_ranks_unsupported<SA::rank, SB::rank>{};
      } else if constexpr (!extents_agree(extents_of<SA>.back(), SB::rank == 1 ? SB::extents[0] : extents_of<SB>.back(1))) {
        (void)diagnostics::matmul_inner_extents_differ<extents_of<SA>.back(),
                                                       (SB::rank == 1 ? SB::extents[0] : extents_of<SB>.back(1))>{};
      } else {
        (void)diagnostics::matmul_batch_extents_differ<SA, SB>{};
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
