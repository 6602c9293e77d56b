#pragma once
// Tensor data bound to a leaf: a pointer to contiguous row-major elements and the extents.
// Containers are checked against the leaf's shape when bound: a mismatch throws shape_error
// naming the leaf, the expected and the actual extents, before any data is read.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <xtensor/xlayout.hpp>

#include "dtype.hpp"
#include "shape.hpp"

namespace tapeless {

/// Bound data whose extents do not fit the leaf's shape.
class shape_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A read-only view of contiguous row-major data: `tl::view(ptr, 64, 1000)`.
template <dtype T, std::size_t Rank>
struct tensor_view {
  const T* data = nullptr;
  std::array<std::size_t, Rank> extents{};

  [[nodiscard]] constexpr std::size_t size() const noexcept {
    std::size_t n = 1;
    for (std::size_t e : extents) n *= e;
    return n;
  }
};

/// Views `extents...` elements of contiguous row-major memory starting at `data`.
template <dtype T, class... Extents>
  requires(std::is_integral_v<Extents> && ...)
[[nodiscard]] constexpr tensor_view<T, sizeof...(Extents)> view(const T* data, Extents... extents) {
  return {data, {static_cast<std::size_t>(extents)...}};
}

namespace detail {

template <class C>
concept xtensor_container = requires(const C& c) {
  typename C::value_type;
  { c.data() };
  { c.shape() };
  C::static_layout;
};

inline std::string format_extents(const std::size_t* extents, std::size_t rank) {
  std::string s = "[";
  for (std::size_t i = 0; i < rank; ++i) {
    if (i) s += ", ";
    s += extents[i] == dynamic ? std::string("dynamic") : std::to_string(extents[i]);
  }
  return s + "]";
}

[[noreturn]] inline void throw_shape_error(std::string_view leaf, const std::size_t* expected, std::size_t expected_rank,
                                           const std::size_t* actual, std::size_t actual_rank) {
  throw shape_error("tapeless::bind: leaf \"" + std::string(leaf) + "\" expects extents " +
                    format_extents(expected, expected_rank) + ", but the bound data has extents " +
                    format_extents(actual, actual_rank));
}

/// Checks run-time extents against a leaf's shape (a dynamic extent accepts any size).
template <class Shape>
void check_extents(std::string_view leaf, const std::size_t* actual, std::size_t actual_rank) {
  bool ok = actual_rank == Shape::rank;
  for (std::size_t i = 0; ok && i < Shape::rank; ++i)
    ok = Shape::extents[i] == dynamic || Shape::extents[i] == actual[i];
  if (!ok) throw_shape_error(leaf, Shape::extents.data(), Shape::rank, actual, actual_rank);
}

/// The view of a container bound to a leaf of dtype T and shape Shape, checked.
template <dtype T, class Shape, class C>
tensor_view<T, Shape::rank> bind_tensor(std::string_view leaf, const C& c) {
  if constexpr (std::is_same_v<C, tensor_view<T, Shape::rank>>) {
    check_extents<Shape>(leaf, c.extents.data(), Shape::rank);
    return c;
  } else {
    tensor_view<T, Shape::rank> v{c.data(), {}};
    const auto& shape = c.shape();
    const std::size_t rank = shape.size();
    std::array<std::size_t, (Shape::rank > 0 ? Shape::rank : 1)> actual{};
    for (std::size_t i = 0; i < rank && i < Shape::rank; ++i) actual[i] = static_cast<std::size_t>(shape[i]);
    if (rank != Shape::rank) {
      std::array<std::size_t, 8> shown{};
      for (std::size_t i = 0; i < rank && i < shown.size(); ++i) shown[i] = static_cast<std::size_t>(shape[i]);
      throw_shape_error(leaf, Shape::extents.data(), Shape::rank, shown.data(), rank < 8 ? rank : 8);
    }
    check_extents<Shape>(leaf, actual.data(), rank);
    for (std::size_t i = 0; i < Shape::rank; ++i) v.extents[i] = actual[i];
    return v;
  }
}

/// Whether C can be bound to a tensor leaf of dtype T and rank R (a compile-time property).
template <class C, class T, std::size_t R>
constexpr bool bindable_tensor() {
  if constexpr (std::is_same_v<C, tensor_view<T, R>>) return true;
  else if constexpr (xtensor_container<C>)
    return std::is_same_v<typename C::value_type, T> && C::static_layout == xt::layout_type::row_major;
  else return false;
}

}  // namespace detail

}  // namespace tapeless
