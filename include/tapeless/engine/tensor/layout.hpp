#pragma once
// Run-time layouts of tensor values: a pointer, extents and strides (in elements), plus the
// workspace arena that holds every buffer a compiled step needs.
#include <array>
#include <cstddef>
#include <new>
#include <string>
#include <utility>

#include "../../core/tensor_view.hpp"
#include "../../core/extents.hpp"
#include "../../detail/dual.hpp"

namespace tapeless::engine::tensor {

using extents_t = std::array<std::size_t, max_rank>;
using strides_t = std::array<std::ptrdiff_t, max_rank>;

template <class T>
struct layout {
  T* data = nullptr;
  extents_t ext{};
  strides_t stride{};
};

/// A layout of dual numbers may instead be two planes of numbers: a leaf bound in place in
/// forward mode, its value plane the binding's memory and its derivative plane the direction's
/// (null: zero throughout), with `data` null. The engine binds a leaf so only when every op
/// that reads it declares `reads_planes` (its kernels read such operands).
template <class T>
struct layout<::tapeless::detail::dual<T>> {
  ::tapeless::detail::dual<T>* data = nullptr;
  extents_t ext{};
  strides_t stride{};
  const T* value_plane = nullptr;
  const T* derivative_plane = nullptr;
};

inline std::size_t element_count(const extents_t& e, std::size_t rank) {
  std::size_t n = 1;
  for (std::size_t d = 0; d < rank; ++d) n *= e[d];
  return n;
}

inline strides_t contiguous_strides(const extents_t& e, std::size_t rank) {
  strides_t s{};
  std::ptrdiff_t step = 1;
  for (std::size_t d = rank; d-- > 0;) {
    s[d] = step;
    step *= static_cast<std::ptrdiff_t>(e[d]);
  }
  return s;
}

/// Strides of a value of rank r read over an iteration space of rank R (extents `it`), NumPy
/// aligned on the right: 0 along axes the value lacks or broadcasts.
template <class T>
strides_t aligned_strides(const layout<T>& l, std::size_t r, const extents_t& it, std::size_t R) {
  strides_t s{};
  for (std::size_t d = 0; d < R; ++d) {
    if (d + r < R) continue;
    const std::size_t nd = d + r - R;
    s[d] = (l.ext[nd] == 1 && it[d] != 1) ? 0 : l.stride[nd];
  }
  return s;
}

inline std::string extents_text(const extents_t& e, std::size_t rank) {
  return ::tapeless::detail::format_extents(e.data(), rank);
}

/// Calls f(o1, o2) for every index of an n-d space (rank <= 4), with the offsets of two strided
/// layouts.
template <class F>
void for_each_pair(std::size_t rank, const extents_t& e, const strides_t& s1, const strides_t& s2, F&& f) {
  extents_t x{1, 1, 1, 1};
  strides_t a{}, b{};
  for (std::size_t d = 0; d < rank; ++d) {
    x[max_rank - rank + d] = e[d];
    a[max_rank - rank + d] = s1[d];
    b[max_rank - rank + d] = s2[d];
  }
  for (std::size_t i0 = 0; i0 < x[0]; ++i0)
    for (std::size_t i1 = 0; i1 < x[1]; ++i1)
      for (std::size_t i2 = 0; i2 < x[2]; ++i2) {
        const std::ptrdiff_t o1 = static_cast<std::ptrdiff_t>(i0) * a[0] + static_cast<std::ptrdiff_t>(i1) * a[1] +
                                  static_cast<std::ptrdiff_t>(i2) * a[2];
        const std::ptrdiff_t o2 = static_cast<std::ptrdiff_t>(i0) * b[0] + static_cast<std::ptrdiff_t>(i1) * b[1] +
                                  static_cast<std::ptrdiff_t>(i2) * b[2];
        for (std::size_t i3 = 0; i3 < x[3]; ++i3)
          f(o1 + static_cast<std::ptrdiff_t>(i3) * a[3], o2 + static_cast<std::ptrdiff_t>(i3) * b[3]);
      }
}

/// Copies a strided value of rank r into contiguous row-major memory.
template <class T>
void copy_row_major(const layout<T>& src, std::size_t r, T* dst) {
  const strides_t ds = contiguous_strides(src.ext, r);
  for_each_pair(r, src.ext, ds, src.stride, [&](std::ptrdiff_t od, std::ptrdiff_t os) { dst[od] = src.data[os]; });
}

/// One aligned allocation holding every buffer of a compiled step.
template <class T>
class arena {
 public:
  arena() = default;
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;
  arena(arena&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  arena& operator=(arena&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~arena() { release(); }

  /// Makes room for n elements; contents are not kept.
  void reserve(std::size_t n) {
    if (n <= size_) return;
    release();
    data_ = static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
    size_ = n;
  }
  T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  void release() noexcept {
    if (data_) ::operator delete(data_, std::align_val_t{64});
    data_ = nullptr;
    size_ = 0;
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace tapeless::engine::tensor
