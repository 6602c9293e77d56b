#pragma once
// The one BLAS routine the tensor engine calls: row-major gemm, C = alpha op(A) op(B) + beta C.
#include <cblas.h>

#include <cstddef>

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

}  // namespace tapeless::engine::tensor
