#pragma once
// Seeded random numbers in PyTorch's vocabulary: a generator, torch.manual_seed, and fills
// (rand, uniform, randn, normal, bernoulli) of contiguous float or double storage.
//
// The engine is std::mt19937, the 32-bit Mersenne Twister that the C++ standard specifies
// exactly (and that PyTorch's CPU generator uses); like PyTorch, it is seeded with the low 32
// bits of the seed. The conversions are ours, written out so that every platform draws the
// same numbers (std::*_distribution are implementation-defined):
//   float in [0, 1):  the top 24 bits of one draw, times 2^-24;
//   double in [0, 1): the top 27 bits of one draw and the top 26 of the next, as one 53-bit
//                     integer a * 2^26 + b, times 2^-53 (genrand_res53 of the MT reference code);
//   standard normal:  Box-Muller on two doubles u1, u2 (u1 taken as 1 - u, in (0, 1]):
//                     r = sqrt(-2 log u1), r cos(2 pi u2) is returned, r sin(2 pi u2) kept for
//                     the next call; manual_seed drops the kept value.
// The numbers are therefore not torch.rand's, only drawn from the same kind of stream.
#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <xtensor/xtensor.hpp>

namespace tapeless::nn {

/// torch.Generator on the CPU. A copy continues the same stream independently (the kept normal
/// included). Not synchronised: give each thread a generator of its own.
class generator {
 public:
  static constexpr std::uint64_t default_seed = 5489;  // std::mt19937's own default

  explicit generator(std::uint64_t seed = default_seed) { manual_seed(seed); }

  /// Restarts the stream: the same seed gives the same numbers again.
  void manual_seed(std::uint64_t seed) {
    seed_ = seed;
    engine_.seed(static_cast<std::mt19937::result_type>(seed & 0xffff'ffffu));
    has_kept_normal_ = false;
  }
  [[nodiscard]] std::uint64_t initial_seed() const noexcept { return seed_; }

  [[nodiscard]] std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_()); }

  [[nodiscard]] float uniform01_float() { return static_cast<float>(next_u32() >> 8) * 0x1.0p-24f; }

  [[nodiscard]] double uniform01_double() {
    const std::uint64_t high = next_u32() >> 5;
    const std::uint64_t low = next_u32() >> 6;
    return static_cast<double>((high << 26) | low) * 0x1.0p-53;
  }

  [[nodiscard]] double standard_normal() {
    if (has_kept_normal_) {
      has_kept_normal_ = false;
      return kept_normal_;
    }
    const double u1 = 1.0 - uniform01_double();  // in (0, 1]: its logarithm is finite
    const double u2 = uniform01_double();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586 * u2;
    kept_normal_ = radius * std::sin(angle);
    has_kept_normal_ = true;
    return radius * std::cos(angle);
  }

  /// Uniform integer in [0, bound), without bias: the draw is masked to the bits that bound - 1
  /// needs and drawn again while it is too large (fewer than two draws on average).
  [[nodiscard]] std::uint64_t next_below(std::uint64_t bound) {
    if (bound == 0) throw std::invalid_argument("tapeless::nn::generator::next_below: bound is 0; it must be at least 1");
    const std::uint64_t largest = bound - 1;
    std::uint64_t mask = largest;
    for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
    for (;;) {
      std::uint64_t draw = next_u32();
      if (mask > 0xffff'ffffu) draw = (draw << 32) | next_u32();
      draw &= mask;
      if (draw <= largest) return draw;
    }
  }

 private:
  std::mt19937 engine_;
  std::uint64_t seed_ = default_seed;
  double kept_normal_ = 0.0;
  bool has_kept_normal_ = false;
};

/// The generator the fills use when none is given, as PyTorch's default CPU generator.
[[nodiscard]] inline generator& default_generator() {
  static generator instance;
  return instance;
}

/// torch.manual_seed: seeds the default generator.
inline void manual_seed(std::uint64_t seed) { default_generator().manual_seed(seed); }

namespace detail {

template <class T>
concept float_or_double = std::same_as<T, float> || std::same_as<T, double>;
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "tapeless::nn: the random fills assume IEEE 754 float and double");

template <class C>
using element_t = std::remove_pointer_t<decltype(std::declval<C&>().data())>;

template <class T>
inline constexpr bool is_span_v = false;
template <class T, std::size_t N>
inline constexpr bool is_span_v<std::span<T, N>> = true;

inline std::string number_text(double value) {
  std::array<char, 32> text{};
  const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
  return std::string(text.data(), result.ptr);
}

template <class T>
constexpr const char* type_name() {
  return std::same_as<T, float> ? "float" : "double";
}

// A finite double that converts to T without leaving T's range.
template <class T>
bool representable(double value) {
  return std::isfinite(value) && std::abs(value) <= static_cast<double>(std::numeric_limits<T>::max());
}

// Storage is dense when its strides, if it has any, are those of a row-major (or, if allowed,
// column-major) layout of its shape; extents of 1 may have any stride.
template <class C>
bool is_dense(const C& c, bool column_major_too = true) {
  if constexpr (requires {
                  c.strides();
                  c.shape();
                }) {
    const auto& shape = c.shape();
    const auto& strides = c.strides();
    const std::size_t rank = shape.size();
    auto matches = [&](bool row_major) {
      std::ptrdiff_t expected = 1;
      for (std::size_t k = 0; k < rank; ++k) {
        const std::size_t axis = row_major ? rank - 1 - k : k;
        if (shape[axis] > 1 && static_cast<std::ptrdiff_t>(strides[axis]) != expected) return false;
        expected *= static_cast<std::ptrdiff_t>(shape[axis]);
      }
      return true;
    };
    return matches(true) || (column_major_too && matches(false));
  }
  return true;
}

// An xtensor view's data() is its underlying container's; its elements start data_offset()
// further on.
template <class C>
std::size_t offset_of(const C& c) {
  if constexpr (requires { c.data_offset(); })
    return static_cast<std::size_t>(c.data_offset());
  else
    return 0;
}

template <class C>
std::span<element_t<C>> dense_span(C& c, const char* function) {
  if (!is_dense(c))
    throw std::invalid_argument(std::string("tapeless::nn::") + function +
                                ": the container is a strided view, not dense storage; fill a container or a "
                                "std::span over contiguous elements");
  return {c.data() + offset_of(c), static_cast<std::size_t>(c.size())};
}

}  // namespace detail

/// Contiguous storage of float or double that the fills write through .data() and .size():
/// xt::xtensor, xt::xarray, std::vector, std::array (std::span has overloads of its own).
template <class C>
concept float_storage = !detail::is_span_v<std::remove_cvref_t<C>> && requires(C& c) {
  { c.data() } -> std::same_as<detail::element_t<C>*>;
  { c.size() } -> std::convertible_to<std::size_t>;
} && detail::float_or_double<detail::element_t<C>>;

// ---- fills of a span -----------------------------------------------------------------------

/// torch.rand: U[0, 1).
template <detail::float_or_double T, std::size_t E>
void rand(std::span<T, E> out, generator& gen = default_generator()) {
  for (T& x : out) {
    if constexpr (std::same_as<T, float>)
      x = gen.uniform01_float();
    else
      x = gen.uniform01_double();
  }
}

/// Tensor.uniform_(lo, hi): U[lo, hi); lo == hi fills with lo.
template <detail::float_or_double T, std::size_t E>
void uniform(std::span<T, E> out, double lo, double hi, generator& gen = default_generator()) {
  if (!detail::representable<T>(lo) || !detail::representable<T>(hi) || !(lo <= hi))
    throw std::invalid_argument("tapeless::nn::uniform: the range [" + detail::number_text(lo) + ", " +
                                detail::number_text(hi) + ") is not an interval of finite " +
                                detail::type_name<T>() + " values with lo <= hi");
  const T low = static_cast<T>(lo);
  const T high = static_cast<T>(hi);
  const double width = static_cast<double>(high) - static_cast<double>(low);
  if (!std::isfinite(width))
    throw std::invalid_argument("tapeless::nn::uniform: the width of [" + detail::number_text(lo) + ", " +
                                detail::number_text(hi) + ") overflows a double");
  for (T& x : out) {
    double u;
    if constexpr (std::same_as<T, float>)
      u = static_cast<double>(gen.uniform01_float());
    else
      u = gen.uniform01_double();
    // low + width * u lies in [low, high] (rounding can reach high itself; the interval is
    // half-open), so the conversion to T is exact or rounds within the range.
    x = static_cast<T>(static_cast<double>(low) + width * u);
    if (x >= high && low < high) x = std::nextafter(high, low);
  }
}

/// torch.randn: N(0, 1), computed in double (see standard_normal) and rounded to T.
template <detail::float_or_double T, std::size_t E>
void randn(std::span<T, E> out, generator& gen = default_generator()) {
  for (T& x : out) x = static_cast<T>(gen.standard_normal());
}

/// Tensor.normal_(mean, std): N(mean, std^2); std == 0 fills with mean. The arithmetic is
/// done in T (IEEE), so a draw beyond T's range is an infinity.
template <detail::float_or_double T, std::size_t E>
void normal(std::span<T, E> out, double mean, double std_dev, generator& gen = default_generator()) {
  if (!detail::representable<T>(mean))
    throw std::invalid_argument("tapeless::nn::normal: mean is " + detail::number_text(mean) +
                                "; it must be a finite " + detail::type_name<T>());
  if (!detail::representable<T>(std_dev) || !(std_dev >= 0.0))
    throw std::invalid_argument("tapeless::nn::normal: std is " + detail::number_text(std_dev) +
                                "; it must be a finite " + detail::type_name<T>() + " >= 0");
  const T mean_t = static_cast<T>(mean);
  const T std_t = static_cast<T>(std_dev);
  for (T& x : out) x = mean_t + std_t * static_cast<T>(gen.standard_normal());
}

/// Tensor.bernoulli_(p): 1 where uniform01_double() < p, else 0; a dropout mask keeps each
/// unit with p = 1 - rate.
template <detail::float_or_double T, std::size_t E>
void bernoulli(std::span<T, E> out, double p, generator& gen = default_generator()) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument("tapeless::nn::bernoulli: p is " + detail::number_text(p) + "; it must be in [0, 1]");
  for (T& x : out) x = gen.uniform01_double() < p ? T{1} : T{0};
}

// ---- fills of a container --------------------------------------------------------------------

template <float_storage C>
void rand(C& out, generator& gen = default_generator()) {
  rand(detail::dense_span(out, "rand"), gen);
}
template <float_storage C>
void uniform(C& out, double lo, double hi, generator& gen = default_generator()) {
  uniform(detail::dense_span(out, "uniform"), lo, hi, gen);
}
template <float_storage C>
void randn(C& out, generator& gen = default_generator()) {
  randn(detail::dense_span(out, "randn"), gen);
}
template <float_storage C>
void normal(C& out, double mean, double std_dev, generator& gen = default_generator()) {
  normal(detail::dense_span(out, "normal"), mean, std_dev, gen);
}
template <float_storage C>
void bernoulli(C& out, double p, generator& gen = default_generator()) {
  bernoulli(detail::dense_span(out, "bernoulli"), p, gen);
}

// ---- new tensors: nn::randn<float>({10, 4}, gen) ----------------------------------------------

template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> rand(const std::array<std::size_t, N>& shape, generator& gen = default_generator()) {
  xt::xtensor<T, N> out(shape);
  rand(out, gen);
  return out;
}
template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> rand(const std::size_t (&shape)[N], generator& gen = default_generator()) {
  return rand<T>(std::to_array(shape), gen);
}

template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> uniform(const std::array<std::size_t, N>& shape, double lo, double hi,
                                        generator& gen = default_generator()) {
  xt::xtensor<T, N> out(shape);
  uniform(out, lo, hi, gen);
  return out;
}
template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> uniform(const std::size_t (&shape)[N], double lo, double hi,
                                        generator& gen = default_generator()) {
  return uniform<T>(std::to_array(shape), lo, hi, gen);
}

template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> randn(const std::array<std::size_t, N>& shape, generator& gen = default_generator()) {
  xt::xtensor<T, N> out(shape);
  randn(out, gen);
  return out;
}
template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> randn(const std::size_t (&shape)[N], generator& gen = default_generator()) {
  return randn<T>(std::to_array(shape), gen);
}

template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> normal(const std::array<std::size_t, N>& shape, double mean, double std_dev,
                                       generator& gen = default_generator()) {
  xt::xtensor<T, N> out(shape);
  normal(out, mean, std_dev, gen);
  return out;
}
template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> normal(const std::size_t (&shape)[N], double mean, double std_dev,
                                       generator& gen = default_generator()) {
  return normal<T>(std::to_array(shape), mean, std_dev, gen);
}

template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> bernoulli(const std::array<std::size_t, N>& shape, double p,
                                          generator& gen = default_generator()) {
  xt::xtensor<T, N> out(shape);
  bernoulli(out, p, gen);
  return out;
}
template <detail::float_or_double T, std::size_t N>
[[nodiscard]] xt::xtensor<T, N> bernoulli(const std::size_t (&shape)[N], double p,
                                          generator& gen = default_generator()) {
  return bernoulli<T>(std::to_array(shape), p, gen);
}

// ---- permutations -------------------------------------------------------------------------------

/// Shuffles in place by Fisher-Yates: for i = n-1 down to 1, swap element i with element
/// next_below(i + 1). Every order is equally likely.
template <class T, std::size_t E>
void shuffle(std::span<T, E> values, generator& gen = default_generator()) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(gen.next_below(i));
    using std::swap;
    swap(values[i - 1], values[j]);
  }
}

/// torch.randperm(n): 0, ..., n-1 in random order.
[[nodiscard]] inline std::vector<std::size_t> randperm(std::size_t n, generator& gen = default_generator()) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(std::span<std::size_t>(order), gen);
  return order;
}

}  // namespace tapeless::nn
