#pragma once
// A string usable as a template argument: the name of a leaf is part of its type.
#include <cstddef>
#include <string_view>

namespace tapeless {

template <std::size_t N>
struct fixed_string {
  char data[N]{};

  constexpr fixed_string(const char (&text)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i) data[i] = text[i];
  }

  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data, N - 1}; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return N - 1; }

  constexpr fixed_string() noexcept = default;

  /// Concatenation: `fixed_string{"fc1"} + fixed_string{".weight"}` is "fc1.weight".
  template <std::size_t M>
  [[nodiscard]] friend constexpr fixed_string<N + M - 1> operator+(const fixed_string& a, const fixed_string<M>& b) noexcept {
    fixed_string<N + M - 1> r;
    for (std::size_t i = 0; i + 1 < N; ++i) r.data[i] = a.data[i];
    for (std::size_t i = 0; i < M; ++i) r.data[N - 1 + i] = b.data[i];
    return r;
  }

  template <std::size_t M>
  [[nodiscard]] friend constexpr bool operator==(const fixed_string& a, const fixed_string<M>& b) noexcept {
    return a.view() == b.view();
  }
};

}  // namespace tapeless
