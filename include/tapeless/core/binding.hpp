#pragma once
// A binding pairs a leaf with the data it stands for in one evaluation: `x = 2.0`.
#include <type_traits>

namespace tapeless {

template <class Leaf, class Value>
struct binding {
  using leaf_type = Leaf;
  Value value;
};

template <class T>
inline constexpr bool is_binding_v = false;
template <class L, class V>
inline constexpr bool is_binding_v<binding<L, V>> = true;

}  // namespace tapeless
