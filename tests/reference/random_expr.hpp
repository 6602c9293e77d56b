#pragma once
// Random scalar expressions, generated at compile time from integer seeds.
//
// random_expr<T, Seed>() is a tapeless expression of depth 4 or 5 over the params a, b, c, d and
// the input u. Each node chooses its op and its operands by hashing (Seed, depth, slot). At every
// depth an expression draws its operands from a pool of only `pool_size` subexpressions, so
// identical subexpressions recur within it (shared nodes, fan-out) and some ops see the same
// operand twice (x - x, max(x, x)). Ops whose domain or range is limited appear in safe forms:
// log(square(a) + 1), sqrt(square(a) + 0.5), a / (square(b) + 1), pow(abs(a) + 0.5, 1.5),
// pow(abs(a) + 0.5, leaf), pow(sin(a), 3), exp(tanh(a)), exp(-square(a)). Numbers are written
// either as plain numbers (run-time constants: never merged) or as tl::lit (in the type: merged).
#include <cstdint>

#include <tapeless/tapeless.hpp>

namespace tapeless::testing {

namespace random {

constexpr std::uint64_t splitmix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t hash(std::uint64_t seed, std::uint64_t depth, std::uint64_t slot) {
  return splitmix(splitmix(splitmix(seed) ^ depth) ^ (slot * 0x632be59bd9b4e019ull));
}

/// The ops a random expression may apply at a node; every one is chosen by some seed.
inline constexpr int op_count = 19;
/// How many distinct subexpressions an expression has at each depth above the leaves.
inline constexpr std::uint64_t pool_size = 4;
/// Leaves: a, b, c, d (params) and u (an input).
inline constexpr std::uint64_t leaf_count = 5;

template <class T, std::uint64_t Slot>
constexpr auto leaf() {
  if constexpr (Slot == 0) return param<"a", shape<>, T>;
  else if constexpr (Slot == 1) return param<"b", shape<>, T>;
  else if constexpr (Slot == 2) return param<"c", shape<>, T>;
  else if constexpr (Slot == 3) return param<"d", shape<>, T>;
  else return input<"u", shape<>, T>;
}

// Op number `Op` in one of four variants over the operands a, b and a leaf l. Ops 0-5 are
// binary, the others unary.
template <int Op, int Variant, class A, class B, class L>
constexpr auto combine(const A& a, const B& b, const L& l) {
  constexpr bool literal = Variant >= 2;
  if constexpr (Op == 0) return a + b;
  else if constexpr (Op == 1) return a - b;
  else if constexpr (Op == 2) return a * b;
  else if constexpr (Op == 3 && literal) return a / (square(b) + lit<1.0>);
  else if constexpr (Op == 3) return a / (square(b) + 1);
  else if constexpr (Op == 4) return max(a, b);
  else if constexpr (Op == 5) return min(a, b);
  else if constexpr (Op == 6) return -a;
  else if constexpr (Op == 7) return square(a);
  else if constexpr (Op == 8 && Variant == 0) return pow(abs(a) + 0.5, 1.5);
  else if constexpr (Op == 8 && Variant == 1) return pow(abs(a) + lit<0.5>, l);
  else if constexpr (Op == 8 && Variant == 2) return pow(sin(a), 3);
  else if constexpr (Op == 8) return pow(a, lit<2.0>);
  else if constexpr (Op == 9 && literal) return exp(-square(a));
  else if constexpr (Op == 9) return exp(tanh(a));
  else if constexpr (Op == 10 && literal) return log(square(a) + lit<1.0>);
  else if constexpr (Op == 10) return log(square(a) + 1);
  else if constexpr (Op == 11 && literal) return sqrt(square(a) + lit<0.5>);
  else if constexpr (Op == 11) return sqrt(square(a) + 0.5);
  else if constexpr (Op == 12) return abs(a);
  else if constexpr (Op == 13) return sin(a);
  else if constexpr (Op == 14) return cos(a);
  else if constexpr (Op == 15) return tanh(a);
  else if constexpr (Op == 16) return sigmoid(a);
  else if constexpr (Op == 17) return relu(a);
  else return softplus(a);
}

inline constexpr int binary_op_count = 6;

/// Subexpression number Slot at the given depth of the expression with this seed. The root and
/// about 5 in 8 other nodes are binary. The first operand of a node over leaves is always a param, so every
/// expression depends on at least one param; the second may be the input u.
template <class T, std::uint64_t Seed, int Depth, std::uint64_t Slot, bool Root = false>
constexpr auto subexpression() {
  if constexpr (Depth == 0) {
    return leaf<T, Slot>();
  } else {
    constexpr std::uint64_t h = hash(Seed, Depth, Slot);
    constexpr bool over_leaves = Depth == 1;
    constexpr auto a = subexpression<T, Seed, Depth - 1, (h >> 8) % (over_leaves ? leaf_count - 1 : pool_size)>();
    constexpr auto b = subexpression<T, Seed, Depth - 1, (h >> 16) % (over_leaves ? leaf_count : pool_size)>();
    constexpr auto l = leaf<T, (h >> 24) % leaf_count>();
    constexpr bool binary = Root || (h >> 60) % 8 < 5;
    constexpr std::uint64_t choice = h >> 32;
    constexpr int op = binary ? choice % binary_op_count
                              : binary_op_count + choice % (op_count - binary_op_count);
    return combine<op, static_cast<int>((h >> 50) % 4)>(a, b, l);
  }
}

}  // namespace random

/// The random expression of this seed, over dtype T.
template <class T, std::uint64_t Seed, int Depth = 4 + static_cast<int>(random::splitmix(Seed) % 2)>
constexpr auto random_expr() {
  return random::subexpression<T, Seed, Depth, 0, true>();
}

}  // namespace tapeless::testing
