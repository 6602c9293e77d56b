#pragma once
// BLAS for the tensor engine: row-major C = alpha op(A) op(B) + beta C, by shape (a dot
// product, a matrix-vector product, a rank-1 update, or gemm) for the graph's dtype, and on
// value and derivative planes for dual numbers (forward mode).
#include <cblas.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "../../detail/dual.hpp"

#include "layout.hpp"

namespace tapeless::engine::tensor {

namespace blas {

inline int i(std::size_t n) { return static_cast<int>(n); }
inline CBLAS_TRANSPOSE op(bool t) { return t ? CblasTrans : CblasNoTrans; }

inline void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
                 std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc) {
  cblas_dgemm(CblasRowMajor, op(ta), op(tb), i(m), i(n), i(k), alpha, a, i(lda), b, i(ldb), beta, c, i(ldc));
}
inline void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                 std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  cblas_sgemm(CblasRowMajor, op(ta), op(tb), i(m), i(n), i(k), alpha, a, i(lda), b, i(ldb), beta, c, i(ldc));
}
inline void gemv(bool t, std::size_t rows, std::size_t cols, double alpha, const double* a, std::size_t lda,
                 const double* x, std::size_t incx, double beta, double* y, std::size_t incy) {
  cblas_dgemv(CblasRowMajor, op(t), i(rows), i(cols), alpha, a, i(lda), x, i(incx), beta, y, i(incy));
}
inline void gemv(bool t, std::size_t rows, std::size_t cols, float alpha, const float* a, std::size_t lda,
                 const float* x, std::size_t incx, float beta, float* y, std::size_t incy) {
  cblas_sgemv(CblasRowMajor, op(t), i(rows), i(cols), alpha, a, i(lda), x, i(incx), beta, y, i(incy));
}
inline double dot(std::size_t n, const double* x, std::size_t incx, const double* y, std::size_t incy) {
  return cblas_ddot(i(n), x, i(incx), y, i(incy));
}
inline float dot(std::size_t n, const float* x, std::size_t incx, const float* y, std::size_t incy) {
  return cblas_sdot(i(n), x, i(incx), y, i(incy));
}
inline void ger(std::size_t m, std::size_t n, double alpha, const double* x, std::size_t incx, const double* y,
                std::size_t incy, double* a, std::size_t lda) {
  cblas_dger(CblasRowMajor, i(m), i(n), alpha, x, i(incx), y, i(incy), a, i(lda));
}
inline void ger(std::size_t m, std::size_t n, float alpha, const float* x, std::size_t incx, const float* y,
                std::size_t incy, float* a, std::size_t lda) {
  cblas_sger(CblasRowMajor, i(m), i(n), alpha, x, i(incx), y, i(incy), a, i(lda));
}

}  // namespace blas

/// C (m x n, rows ldc apart) = alpha op(A) op(B) + beta C, with op(A) m x k and op(B) k x n
/// stored row-major with leading dimensions lda and ldb (transposed: stored k x m, n x k). The
/// routine follows the shape: one output element is a dot product, one output column or row a
/// matrix-vector product (gemv, about four times faster than gemm there), an inner extent of 1
/// a rank-1 update (ger); everything else gemm. With beta 0, C's old contents are never read.
template <class T>
  requires std::is_same_v<T, double> || std::is_same_v<T, float>
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  // Strides along op(A)'s row and column, and op(B)'s.
  const std::size_t a_row = trans_a ? 1 : lda, a_col = trans_a ? lda : 1;
  const std::size_t b_row = trans_b ? 1 : ldb, b_col = trans_b ? ldb : 1;
  if (k == 0) {
    blas::gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);  // C = beta C
  } else if (m == 1 && n == 1) {
    const T d = blas::dot(k, a, a_col, b, b_row);
    c[0] = beta == T(0) ? alpha * d : alpha * d + beta * c[0];
  } else if (n == 1) {
    // One column: y (m, stride ldc) = op(A) x, x = op(B)'s column.
    if (beta == T(0))
      for (std::size_t r = 0; r < m; ++r) c[r * ldc] = T(0);
    blas::gemv(trans_a, trans_a ? k : m, trans_a ? m : k, alpha, a, lda, b, b_row, beta, c, ldc);
  } else if (m == 1) {
    // One row: y (n) = op(B)ᵀ x, x = op(A)'s row.
    if (beta == T(0)) std::fill(c, c + n, T(0));
    blas::gemv(!trans_b, trans_b ? n : k, trans_b ? k : n, alpha, b, ldb, a, a_col, beta, c, 1);
  } else if (k == 1) {
    // Inner extent 1: C = beta C + alpha x yᵀ, x = op(A)'s column, y = op(B)'s row.
    for (std::size_t r = 0; r < m; ++r) {
      T* row = c + r * ldc;
      if (beta == T(0)) std::fill(row, row + n, T(0));
      else if (beta != T(1))
        for (std::size_t q = 0; q < n; ++q) row[q] *= beta;
    }
    blas::ger(m, n, alpha, a, a_row, b, b_col, c, ldc);
  } else {
    blas::gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
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

/// A matrix of dual numbers, interleaved (`data`) or as value and derivative planes read in
/// place (a leaf bound so in forward mode; a null derivative plane is zero).
template <class T>
struct matrix<::tapeless::detail::dual<T>> {
  const ::tapeless::detail::dual<T>* data;
  bool trans;
  std::size_t ld;
  const T* value_plane = nullptr;
  const T* derivative_plane = nullptr;
};

/// gemm on dual numbers, C = op(A) op(B) + beta C: to first order (A + dA)(B + dB) gives the
/// value A B and the derivative dA B + A dB, so BLAS runs on value and derivative planes. An
/// operand bound as planes is read in place; an interleaved one is split into planes in a
/// scratch buffer (it grows to the largest product, then is reused), and a derivative that is
/// zero throughout (data, not a direction) costs no product. A split B is laid out so that
/// op(B) reads as [B dB] (k x 2n): A [B dB] is then one product of twice the width.
template <class T>
void dual_gemm(const matrix<::tapeless::detail::dual<T>>& a, const matrix<::tapeless::detail::dual<T>>& b,
               std::size_t m, std::size_t n, std::size_t k, ::tapeless::detail::dual<T> beta,
               ::tapeless::detail::dual<T>* c, std::size_t ldc) {
  using D = ::tapeless::detail::dual<T>;
  const std::size_t a_rows = a.trans ? k : m, a_cols = a.trans ? m : k;
  const std::size_t b_rows = b.trans ? n : k, b_cols = b.trans ? k : n;
  thread_local std::vector<T> scratch;
  const std::size_t need = (a.value_plane ? 0 : 2 * m * k) + (b.value_plane ? 0 : 2 * k * n) + 2 * m * n;
  if (scratch.size() < need) scratch.resize(need);
  T* room = scratch.data();
  // Value and derivative planes (null: zero) and their leading dimension.
  const T *av = a.value_plane, *ad = a.derivative_plane, *bv = b.value_plane, *bd = b.derivative_plane;
  std::size_t lda = a.ld, ldb = b.ld;
  bool b_wide = false;  // [B dB] adjacent, as one k x 2n operand
  // Copies x's values and derivatives into v and d (row r of the stored matrix at v + r * ld);
  // true if any derivative is nonzero.
  auto split = [](const matrix<D>& x, std::size_t rows, std::size_t cols, T* v, T* d, std::size_t ld) {
    bool moves = false;
    for (std::size_t r = 0; r < rows; ++r) {
      const D* row = x.data + r * x.ld;
      T* vr = v + r * ld;
      T* dr = d + r * ld;
      for (std::size_t q = 0; q < cols; ++q) {
        vr[q] = row[q].v;
        dr[q] = row[q].d;
        moves = moves || row[q].d != T(0);
      }
    }
    return moves;
  };
  if (!a.value_plane) {
    T* v = room;
    T* d = room + a_rows * a_cols;
    room += 2 * a_rows * a_cols;
    av = v;
    ad = split(a, a_rows, a_cols, v, d, a_cols) ? d : nullptr;
    lda = a_cols;
  }
  if (!b.value_plane) {
    // Stored k x n: rows [B_r dB_r]; stored n x k (transposed): the B rows above the dB rows.
    T* v = room;
    T* d = b.trans ? room + n * k : room + n;
    room += 2 * k * n;
    ldb = b.trans ? k : 2 * n;
    bv = v;
    bd = split(b, b_rows, b_cols, v, d, ldb) ? d : nullptr;
    b_wide = bd != nullptr;
  }
  // C's planes: [C dC], m x 2n.
  T* cv = room;
  T* cd = room + n;
  const std::size_t ldcp = 2 * n;
  if (b_wide) {
    gemm(a.trans, b.trans, m, 2 * n, k, T(1), av, lda, bv, ldb, T(0), cv, ldcp);
  } else {
    gemm(a.trans, b.trans, m, n, k, T(1), av, lda, bv, ldb, T(0), cv, ldcp);
    if (bd) gemm(a.trans, b.trans, m, n, k, T(1), av, lda, bd, ldb, T(0), cd, ldcp);
  }
  if (ad) gemm(a.trans, b.trans, m, n, k, T(1), ad, lda, bv, ldb, bd ? T(1) : T(0), cd, ldcp);
  if (!ad && !bd)
    for (std::size_t i = 0; i < m; ++i) std::fill(cd + i * ldcp, cd + i * ldcp + n, T(0));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      D& y = c[i * ldc + j];
      const T v = cv[i * ldcp + j], d = cd[i * ldcp + j];
      if (beta.v == T(0)) y = {v, d};
      else y = {beta.v * y.v + v, beta.v * y.d + d};
    }
}

/// C = op(A) op(B) + beta C for matrices of a layout: inline for small static extents, else by
/// BLAS (on planes for dual numbers).
template <std::size_t M, std::size_t N, std::size_t K, class T>
inline void gemm_matrices(const matrix<T>& a, const matrix<T>& b, std::size_t m, std::size_t n, std::size_t k, T beta,
                          T* c, std::size_t ldc) {
  constexpr std::size_t unknown = static_cast<std::size_t>(-1);
  constexpr bool small = M != unknown && N != unknown && K != unknown && M * N * K <= small_gemm_limit;
  if constexpr (!::tapeless::detail::is_dual_v<T>) {
    gemm_sized<M, N, K>(a.trans, b.trans, m, n, k, a.data, a.ld, b.data, b.ld, beta, c, ldc);
  } else if constexpr (small) {
    if (a.value_plane || b.value_plane) dual_gemm(a, b, m, n, k, beta, c, ldc);
    else gemm_sized<M, N, K>(a.trans, b.trans, m, n, k, a.data, a.ld, b.data, b.ld, beta, c, ldc);
  } else {
    dual_gemm(a, b, m, n, k, beta, c, ldc);
  }
}

/// The matrix at `batch_offset` of a layout of rank r whose last two axes BLAS can read.
template <class T>
matrix<T> as_matrix(const layout<T>& l, std::size_t r, std::ptrdiff_t batch_offset) {
  const std::size_t rows = l.ext[r - 2], cols = l.ext[r - 1];
  const std::ptrdiff_t s0 = l.stride[r - 2], s1 = l.stride[r - 1];
  const T* p = l.data ? l.data + batch_offset : nullptr;
  matrix<T> out{p, false, 0};
  if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= static_cast<std::ptrdiff_t>(cols)))
    out.ld = std::max<std::size_t>({rows == 1 ? cols : static_cast<std::size_t>(s0), cols, 1});
  else if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= static_cast<std::ptrdiff_t>(rows)))
    out = {p, true, std::max<std::size_t>({cols == 1 ? rows : static_cast<std::size_t>(s1), rows, 1})};
  else
    throw std::logic_error("tapeless: a matrix operand's layout is not one BLAS can read");
  if constexpr (::tapeless::detail::is_dual_v<T>) {
    if (l.value_plane) {
      out.value_plane = l.value_plane + batch_offset;
      out.derivative_plane = l.derivative_plane ? l.derivative_plane + batch_offset : nullptr;
    }
  }
  return out;
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
    gemm_matrices<M, N, K>(a, b, m, n, k, beta, c, std::max<std::size_t>(ldc, n));
  } else {
    matrix<T> bt = b, at = a;
    bt.trans = !b.trans;
    at.trans = !a.trans;
    gemm_matrices<N, M, K>(bt, at, n, m, k, beta, c, std::max<std::size_t>(static_cast<std::size_t>(cs1), m));
  }
}

}  // namespace tapeless::engine::tensor
