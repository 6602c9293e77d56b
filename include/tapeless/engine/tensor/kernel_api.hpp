#pragma once
// What the tensor engine hands an op's kernels. An op of class `kernel` defines, next to its
// rules,
//   template <auto Info, class T> static void forward_kernel(const kernel_args<T, arity>&);
//   template <auto Info, class T> static void backward_kernel(const kernel_args<T, arity>&);
// where Info is a unit_info<arity>: the declared extents (for kernels specialised on static
// sizes) and how each operand's adjoint is to be written. A view op (class `view`) instead
// says how it sees its operand (`see`) and the layouts that allows (`result_layout`); the
// engine runs every view the same way, for values and for adjoints.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "../../core/extents.hpp"
#include "layout.hpp"

namespace tapeless::engine::tensor {

/// How a contribution reaches an adjoint.
enum class write : unsigned char { none, assign, accumulate };

/// Compile-time facts about one unit for its kernels.
template <std::size_t Arity>
struct unit_info {
  std::array<extents, Arity> in{};       ///< declared extents of the operands (`dynamic` where unknown)
  extents out{};                         ///< declared extents of the result
  std::array<write, Arity> edge{};       ///< backward: how each operand's adjoint is written
};

/// An operand as messages name it: `leaf "x"`, or `the result of exp`.
struct operand_name {
  std::string_view name;
  bool leaf = false;
  [[nodiscard]] std::string text() const {
    return leaf ? "leaf \"" + std::string(name) + "\"" : "the result of " + std::string(name);
  }
};

/// The memory of one unit at run time.
template <class T, std::size_t Arity>
struct kernel_args {
  std::array<const layout<T>*, Arity> in{};  ///< the operands' values
  layout<T>* out = nullptr;                  ///< the result (contiguous, laid out by the engine)
  T* aux = nullptr;                          ///< the op's extra buffers (aux_buffers of the result's size)
  const layout<T>* grad = nullptr;           ///< backward: the result's adjoint (contiguous)
  std::array<layout<T>*, Arity> in_grad{};   ///< backward: the operands' adjoints, where Info.edge says
  std::array<operand_name, Arity> operands{};  ///< for messages
};

}  // namespace tapeless::engine::tensor
