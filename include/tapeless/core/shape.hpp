#pragma once
// Shapes are types: shape<> is a scalar, shape<64, 1000> a 64x1000 matrix.
// The shape algebra (broadcasting now; reductions and matmul with tensors) is compile-time code.
#include <array>
#include <cstddef>
#include <limits>
#include <utility>

namespace tapeless {

/// An extent that is only known when data is bound (e.g. the batch size).
inline constexpr std::size_t dynamic = std::numeric_limits<std::size_t>::max();

template <std::size_t... Extents>
struct shape {
  static constexpr std::size_t rank = sizeof...(Extents);
  static constexpr std::array<std::size_t, rank> extents{Extents...};
  static constexpr bool is_static = ((Extents != dynamic) && ...);
  /// Number of elements (static shapes only).
  static constexpr std::size_t size = (std::size_t{1} * ... * Extents);
};

using scalar_shape = shape<>;

template <class T>
inline constexpr bool is_shape_v = false;
template <std::size_t... E>
inline constexpr bool is_shape_v<shape<E...>> = true;

template <class T>
concept shape_type = is_shape_v<T>;

namespace detail {

// NumPy broadcasting of two extent lists, aligned on the right; 0 marks incompatibility. A
// dynamic extent may be bound to 1 or to the other extent: against a static n the result is n,
// against 1 or another dynamic extent it is dynamic (the bound extents are checked when data is
// bound).
template <class A, class B>
struct broadcast_result;

template <std::size_t... A, std::size_t... B>
struct broadcast_result<shape<A...>, shape<B...>> {
  static constexpr std::size_t rank = sizeof...(A) > sizeof...(B) ? sizeof...(A) : sizeof...(B);
  struct outcome {
    std::array<std::size_t, rank> extents{};
    bool compatible = true;
  };
  static constexpr outcome compute() {
    constexpr std::size_t a[] = {A..., 0};
    constexpr std::size_t b[] = {B..., 0};
    constexpr std::size_t na = sizeof...(A), nb = sizeof...(B);
    outcome out;
    for (std::size_t i = 0; i < rank; ++i) {
      const std::size_t ea = i < na ? a[na - 1 - i] : 1;
      const std::size_t eb = i < nb ? b[nb - 1 - i] : 1;
      std::size_t e = 0;
      if (ea == eb) e = ea;
      else if (ea == 1) e = eb;
      else if (eb == 1) e = ea;
      else if (ea == dynamic) e = eb;
      else if (eb == dynamic) e = ea;
      else out.compatible = false;
      out.extents[rank - 1 - i] = e;
    }
    return out;
  }
  static constexpr outcome value = compute();

  template <std::size_t... I>
  static auto make(std::index_sequence<I...>) -> shape<value.extents[I]...>;
  using type = decltype(make(std::make_index_sequence<rank>{}));
};

}  // namespace detail

/// True when two shapes broadcast against each other (NumPy rules).
template <class A, class B>
inline constexpr bool broadcastable_v = detail::broadcast_result<A, B>::value.compatible;

/// The broadcast shape of A and B (valid only when broadcastable_v<A, B>).
template <class A, class B>
using broadcast_t = typename detail::broadcast_result<A, B>::type;

}  // namespace tapeless
