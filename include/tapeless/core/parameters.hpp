#pragma once
// Ops with parameters in their type (axes, extents, ranges) fold them into one number, which the
// graph's structural hash mixes in, so that sum<0>(x) and sum<1>(x) are different nodes.
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace tapeless::detail {

constexpr std::uint64_t parameters_hash(std::initializer_list<std::uint64_t> values) {
  std::uint64_t h = 0x84222325cbf29ce4ull;
  for (std::uint64_t v : values) h = (h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2))) * 0x100000001b3ull;
  return h;
}

}  // namespace tapeless::detail
