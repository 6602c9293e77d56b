#pragma once
// A deterministic stand-in for torch.rand and torch.randn (and numpy.random.randn) in the
// examples: the seeds draw their data from PyTorch's or NumPy's generator, the examples from
// this one, with a fixed seed, so that every run (and the reference test that replays an
// example in LibTorch) sees exactly the same numbers.
#include <cmath>
#include <cstdint>
#include <random>

namespace seeds {

/// 64-bit Mersenne Twister (fully specified by the standard, unlike std::*_distribution):
/// uniform in [0, 1) from the top 53 bits of a draw, standard normal by Box-Muller.
class generator {
 public:
  explicit generator(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, 1), as torch.rand.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  /// Standard normal, as torch.randn.
  double normal() {
    const double u1 = 1.0 - uniform();  // in (0, 1]: its logarithm is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace seeds
