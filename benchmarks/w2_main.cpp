// bench_w2's main. Before any timing it checks that the implementations compute the same
// training, printing to stderr as '#' lines; on a failure it exits with status 1, so no ratio is
// printed for implementations that compute different things:
//
//  1. Every implementation reproduces PyTorch's losses of the first 10 steps (seed 004's 10
//     epochs, examples/data/simplenet_losses.csv) to a relative 1e-5: the same model, data,
//     initial weights and update rule. The implementations add in different orders, so they
//     differ from PyTorch by a few float32 roundings (about 1e-7 relative), not bit for bit.
//  2. The loss after 10000 steps agrees with the hand-written one to a relative 1e-3. The loss is
//     about 2e-7 there, still falling, and the rounding differences of every step have been
//     carried along by the weights: LibTorch and the hand-written code differ by about 1e-4.
//  3. The final loss after the 100000 steps agrees with the hand-written one to a relative 0.1.
//     The network (49 parameters) fits the 10 points exactly, so training ends on the float32
//     floor: about 3e-11, residuals p - y of some dozens of float32 ulps of y, and from about
//     50000 steps on every update lr * grad rounds away (the loss no longer changes in any
//     digit). Where exactly each implementation stops depends on its order of additions
//     (hand-written 3.068e-11, tapeless 3.028e-11, LibTorch 3.001e-11: 2 % apart); a wrong
//     gradient or update would stop orders of magnitude higher, the loss starts at 0.589.
//
// Profiling: `bench_w2 --profile=<handwritten|tapeless|libtorch> [--profile_steps=N]` only trains
// that implementation for N steps (default 100000) and prints its final loss, e.g. under
// `perf record`.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "w2_common.hpp"

namespace {

constexpr double tolerance_first_steps = 1e-5;
constexpr int middle_steps = 10000;
constexpr double tolerance_middle = 1e-3;
constexpr double tolerance_final = 0.1;

using implementation = std::pair<std::string, float (*)(int)>;

const std::vector<implementation>& implementations() {
  static const std::vector<implementation> impls = {
      {"handwritten", w2::final_loss_handwritten},
      {"tapeless", w2::final_loss_tapeless},
#ifdef W2_HAVE_LIBTORCH
      {"libtorch", w2::final_loss_libtorch},
#endif
  };
  return impls;
}

double relative(double a, double b) { return std::fabs(a - b) / std::fabs(b); }

bool check_first_steps() {
  bool ok = true;
  for (const auto& [name, final_loss] : implementations()) {
    double worst = 0;
    for (int s = 1; s <= static_cast<int>(w2::pytorch_losses.size()); ++s) {
      const double rel = relative(final_loss(s), w2::pytorch_losses[s - 1]);
      if (!(rel <= worst)) worst = rel;  // also catches NaN
    }
    std::fprintf(stderr, "# W2 losses of steps 1-10: %-12s largest difference to PyTorch %.1e (relative)\n",
                 name.c_str(), worst);
    if (!(worst <= tolerance_first_steps)) {
      std::fprintf(stderr, "bench_w2: %s's losses of the first 10 steps differ from PyTorch's by %.2e (tolerance %.0e)\n",
                   name.c_str(), worst, tolerance_first_steps);
      ok = false;
    }
  }
  return ok;
}

bool check_after(int steps, double tol) {
  const auto& impls = implementations();
  std::vector<float> losses;
  for (const auto& impl : impls) losses.push_back(impl.second(steps));
  bool ok = true;
  for (std::size_t i = 0; i < impls.size(); ++i) {
    const double rel = relative(losses[i], losses[0]);
    std::fprintf(stderr, "# W2 loss after %d steps: %-12s %.9g (relative to %s %.1e)\n", steps,
                 impls[i].first.c_str(), losses[i], impls[0].first.c_str(), rel);
    if (!(rel <= tol)) {
      std::fprintf(stderr, "bench_w2: %s's loss after %d steps differs from %s's by %.2e (tolerance %.0e)\n",
                   impls[i].first.c_str(), steps, impls[0].first.c_str(), rel, tol);
      ok = false;
    }
  }
  return ok;
}

int profile(const std::string& which, int steps) {
  for (const auto& [name, final_loss] : implementations())
    if (name == which) {
      std::printf("%s: loss after %d steps %.9g\n", name.c_str(), steps, final_loss(steps));
      return 0;
    }
  std::fprintf(stderr, "bench_w2: unknown --profile=%s\n", which.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string which;
  int steps = w2::steps;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--profile=", 10) == 0) which = argv[i] + 10;
    if (std::strncmp(argv[i], "--profile_steps=", 16) == 0) steps = std::atoi(argv[i] + 16);
  }
  if (!which.empty()) return profile(which, steps);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bool ok = check_first_steps();
  ok = check_after(middle_steps, tolerance_middle) && ok;
  ok = check_after(w2::steps, tolerance_final) && ok;
  if (!ok) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
