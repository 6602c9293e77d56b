#pragma once
// The one BLAS routine the tensor engine calls: row-major gemm, C = alpha op(A) op(B) + beta C,
// for the graph's dtype and for dual numbers over it (forward mode).
#include <cblas.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "../../detail/dual.hpp"

#include "layout.hpp"

namespace tapeless::engine::tensor {

inline void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, double alpha,
                 const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta, double* c,
                 std::size_t ldc) {
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b,
              static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
}

inline void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                 std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b,
              static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
}

/// gemm on dual numbers: C + dC = (A + dA)(B + dB) to first order, so C = A B and
/// dC = dA B + A dB. The operands are split into value and derivative planes, and BLAS runs
/// on the planes: one product for C and one for dC ([dA A] [B; dB], a product of twice the
/// inner extent), or a single product when one operand's derivative is zero (a data input).
/// The planes live in a scratch buffer that grows to the largest product and is then reused.
template <class T>
inline void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k,
                 ::tapeless::detail::dual<T> alpha, const ::tapeless::detail::dual<T>* a, std::size_t lda,
                 const ::tapeless::detail::dual<T>* b, std::size_t ldb, ::tapeless::detail::dual<T> beta,
                 ::tapeless::detail::dual<T>* c, std::size_t ldc) {
  thread_local std::vector<T> scratch;
  const std::size_t need = 2 * m * k + 2 * k * n + 2 * m * n;
  if (scratch.size() < need) scratch.resize(need);
  T* ap = scratch.data();
  T* bp = ap + 2 * m * k;
  T* cv = bp + 2 * k * n;
  T* cd = cv + m * n;
  // The planes keep each operand's stored layout (the copies run through memory in order, and
  // BLAS applies the transposes), arranged so that one product of inner extent 2k is
  // [dA A] [B; dB]: A stored m x k gives rows [dA_i A_i]; stored k x m (transposed), the dA rows
  // above the A rows. B stored k x n gives the B rows above the dB rows; stored n x k, rows
  // [B_j dB_j].
  bool a_moves = false, b_moves = false;
  const std::size_t a_rows = trans_a ? k : m, a_cols = trans_a ? m : k;
  for (std::size_t r = 0; r < a_rows; ++r) {
    const ::tapeless::detail::dual<T>* row = a + r * lda;
    T* d = trans_a ? ap + r * m : ap + r * 2 * k;
    T* v = trans_a ? ap + (k + r) * m : ap + r * 2 * k + k;
    for (std::size_t q = 0; q < a_cols; ++q) {
      d[q] = row[q].d;
      v[q] = row[q].v;
      a_moves = a_moves || row[q].d != T(0);
    }
  }
  const std::size_t b_rows = trans_b ? n : k, b_cols = trans_b ? k : n;
  for (std::size_t r = 0; r < b_rows; ++r) {
    const ::tapeless::detail::dual<T>* row = b + r * ldb;
    T* v = trans_b ? bp + r * 2 * k : bp + r * n;
    T* d = trans_b ? bp + r * 2 * k + k : bp + (k + r) * n;
    for (std::size_t q = 0; q < b_cols; ++q) {
      v[q] = row[q].v;
      d[q] = row[q].d;
      b_moves = b_moves || row[q].d != T(0);
    }
  }
  // Value and derivative planes and their leading dimensions; the whole buffers read with
  // inner extent 2k.
  const T* av = trans_a ? ap + k * m : ap + k;
  const T* ad = ap;
  const std::size_t lda_plane = trans_a ? m : 2 * k;
  const T* bv = bp;
  const T* bd = trans_b ? bp + k : bp + k * n;
  const std::size_t ldb_plane = trans_b ? 2 * k : n;
  const T one = alpha.v;
  gemm(trans_a, trans_b, m, n, k, one, av, lda_plane, bv, ldb_plane, T(0), cv, n);
  if (a_moves && b_moves) gemm(trans_a, trans_b, m, n, 2 * k, one, ad, lda_plane, bv, ldb_plane, T(0), cd, n);
  else if (a_moves) gemm(trans_a, trans_b, m, n, k, one, ad, lda_plane, bv, ldb_plane, T(0), cd, n);
  else if (b_moves) gemm(trans_a, trans_b, m, n, k, one, av, lda_plane, bd, ldb_plane, T(0), cd, n);
  else std::fill(cd, cd + m * n, T(0));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      auto& y = c[i * ldc + j];
      if (beta.v == T(0)) y = {cv[i * n + j], cd[i * n + j]};
      else y = {beta.v * y.v + cv[i * n + j], beta.v * y.d + cd[i * n + j]};
    }
}

}  // namespace tapeless::engine::tensor

namespace tapeless::engine::tensor {

/// Largest product m·n·k for which a matmul of static extents runs the inline kernel below
/// instead of BLAS: under it, BLAS's per-call overhead (argument checks, kernel dispatch,
/// packing) costs more than the arithmetic (seed 004's SimpleNet: 10 x 8 x 4).
inline constexpr std::size_t small_gemm_limit = 4096;

/// C = op(A) op(B) + beta C with extents known at compile time, for small matrices: the loops
/// have constant trip counts, so the compiler unrolls and vectorises them.
template <std::size_t M, std::size_t N, std::size_t K, bool TransA, bool TransB, class T>
inline void small_gemm(const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if constexpr (TransB) {
    // op(B) is read along its rows below; a transposed B is copied to that layout first (K·N
    // elements, at most small_gemm_limit), so the inner loop is contiguous and vectorises.
    T bt[K * N];
    for (std::size_t j = 0; j < N; ++j)
      for (std::size_t p = 0; p < K; ++p) bt[p * N + j] = b[j * ldb + p];
    small_gemm<M, N, K, TransA, false>(a, lda, bt, N, beta, c, ldc);
    return;
  }
  for (std::size_t i = 0; i < M; ++i) {
    T acc[N];
    for (std::size_t j = 0; j < N; ++j) acc[j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    for (std::size_t p = 0; p < K; ++p) {
      const T aip = TransA ? a[p * lda + i] : a[i * lda + p];
      for (std::size_t j = 0; j < N; ++j) acc[j] += aip * (TransB ? b[j * ldb + p] : b[p * ldb + j]);
    }
    for (std::size_t j = 0; j < N; ++j) c[i * ldc + j] = acc[j];
  }
}

/// gemm with alpha = 1, by the inline kernel when M, N, K are static and small, else by BLAS.
template <std::size_t M, std::size_t N, std::size_t K, class T>
inline void gemm_sized(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
                       std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  constexpr std::size_t unknown = static_cast<std::size_t>(-1);
  if constexpr (M != unknown && N != unknown && K != unknown && M * N * K <= small_gemm_limit) {
    if (trans_a) {
      if (trans_b) small_gemm<M, N, K, true, true>(a, lda, b, ldb, beta, c, ldc);
      else small_gemm<M, N, K, true, false>(a, lda, b, ldb, beta, c, ldc);
    } else {
      if (trans_b) small_gemm<M, N, K, false, true>(a, lda, b, ldb, beta, c, ldc);
      else small_gemm<M, N, K, false, false>(a, lda, b, ldb, beta, c, ldc);
    }
  } else {
    gemm(trans_a, trans_b, m, n, k, T(1), a, lda, b, ldb, beta, c, ldc);
  }
}

/// A matrix of a layout (its last two axes) as BLAS reads it: data, transpose flag, leading
/// dimension.
template <class T>
struct matrix {
  const T* data;
  bool trans;
  std::size_t ld;
};

/// The matrix at `batch_offset` of a layout of rank r whose last two axes BLAS can read.
template <class T>
matrix<T> as_matrix(const layout<T>& l, std::size_t r, std::ptrdiff_t batch_offset) {
  const std::size_t rows = l.ext[r - 2], cols = l.ext[r - 1];
  const std::ptrdiff_t s0 = l.stride[r - 2], s1 = l.stride[r - 1];
  const T* p = l.data + batch_offset;
  if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= static_cast<std::ptrdiff_t>(cols)))
    return {p, false, std::max<std::size_t>({rows == 1 ? cols : static_cast<std::size_t>(s0), cols, 1})};
  if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= static_cast<std::ptrdiff_t>(rows)))
    return {p, true, std::max<std::size_t>({cols == 1 ? rows : static_cast<std::size_t>(s1), rows, 1})};
  throw std::logic_error("tapeless: a matrix operand's layout is not one BLAS can read");
}

/// C = op(A) op(B) + beta C into the matrix at `c` with strides (cs0, cs1): row-major, or
/// transposed (unit stride down the columns: then Cᵀ = op(B)ᵀ op(A)ᵀ is written).
template <std::size_t M, std::size_t N, std::size_t K, class T>
inline void product_into(const matrix<T>& a, const matrix<T>& b, std::size_t m, std::size_t n, std::size_t k, T beta,
                         T* c, std::ptrdiff_t cs0, std::ptrdiff_t cs1) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        T& x = c[static_cast<std::ptrdiff_t>(i) * cs0 + static_cast<std::ptrdiff_t>(j) * cs1];
        x = beta == T(0) ? T(0) : beta * x;
      }
    return;
  }
  if (cs1 == 1 || n == 1) {
    const std::size_t ldc = m == 1 ? n : static_cast<std::size_t>(cs0);
    gemm_sized<M, N, K>(a.trans, b.trans, m, n, k, a.data, a.ld, b.data, b.ld, beta, c, std::max<std::size_t>(ldc, n));
  } else {
    gemm_sized<N, M, K>(!b.trans, !a.trans, n, m, k, b.data, b.ld, a.data, a.ld, beta, c,
                        std::max<std::size_t>(static_cast<std::size_t>(cs1), m));
  }
}

}  // namespace tapeless::engine::tensor
