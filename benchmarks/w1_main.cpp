// bench_w1's main: before any timing, trains every implementation for the full 500 steps from
// the same data and checks that they reach the same final loss (relative difference <= 1e-6 in
// float64; float32: 1e-2, see below). Prints the losses to stderr ('#' lines); exits with status
// 1 on a mismatch, so no ratio is printed for implementations that compute different things.
//
// Profiling: `bench_w1 --profile=<implementation>_<f64|f32> [--profile_steps=N]` only trains that
// implementation for N steps (default 20) and prints its final loss; under
//   valgrind --tool=callgrind --collect-atstart=no bench_w1 --profile=tapeless_f64
// only the training steps are counted (the set-up is not). Use a build without AVX-512
// (TAPELESS_BENCH_ARCH=x86-64-v3): valgrind 3.19 cannot run it.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "w1_common.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define W1_TOGGLE_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define W1_TOGGLE_COLLECT() ((void)0)
#endif

extern "C" void openblas_set_num_threads(int);

namespace {

// float32: training takes the loss from about 3e7 to about 3e-4, down to the level where the
// residuals y_pred - y are made of single-precision rounding; implementations that sum in another
// order (LibTorch's gemm kernels, the fused updates) then differ in the third digit. tapeless and
// the hand-written code run the same gemm calls and agree exactly.
constexpr double tolerance_f64 = 1e-6;
constexpr double tolerance_f32 = 1e-2;

bool check(const char* dtype, double tol, const std::vector<std::pair<std::string, double (*)(int)>>& impls) {
  std::vector<double> losses;
  for (const auto& [name, f] : impls) losses.push_back(f(w1::steps));
  const double ref = losses[0];
  bool ok = true;
  for (std::size_t i = 0; i < impls.size(); ++i) {
    const double rel = std::fabs(losses[i] - ref) / std::fabs(ref);
    std::fprintf(stderr, "# W1 %s final loss after %d steps: %-18s %.12g (relative to %s %.1e)\n", dtype, w1::steps,
                 impls[i].first.c_str(), losses[i], impls[0].first.c_str(), rel);
    if (!(rel <= tol)) {
      std::fprintf(stderr, "bench_w1: %s %s final loss differs from %s by %.2e (tolerance %.0e)\n",
                   dtype, impls[i].first.c_str(), impls[0].first.c_str(), rel, tol);
      ok = false;
    }
  }
  return ok;
}

int profile(const std::string& which, int steps) {
  const std::vector<std::pair<std::string, double (*)(int)>> impls = {
      {"tapeless_f64", w1::final_loss_tapeless_f64},
      {"tapeless_f32", w1::final_loss_tapeless_f32},
      {"handwritten_f64", w1::final_loss_handwritten_f64},
      {"handwritten_f32", w1::final_loss_handwritten_f32},
      {"handwritten_fused_f64", w1::final_loss_handwritten_fused_f64},
      {"handwritten_fused_f32", w1::final_loss_handwritten_fused_f32},
#ifdef W1_HAVE_LIBTORCH
      {"libtorch_f64", w1::final_loss_libtorch_f64},
      {"libtorch_f32", w1::final_loss_libtorch_f32},
#endif
  };
  for (const auto& [name, f] : impls)
    if (name == which) {
      w1::training_begins = [] { W1_TOGGLE_COLLECT(); };
      w1::training_ends = [] { W1_TOGGLE_COLLECT(); };
      std::printf("%s: loss after %d steps %.12g\n", name.c_str(), steps, f(steps));
      return 0;
    }
  std::fprintf(stderr, "bench_w1: unknown --profile=%s\n", which.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  openblas_set_num_threads(1);
  std::string which;
  int steps = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--profile=", 10) == 0) which = argv[i] + 10;
    if (std::strncmp(argv[i], "--profile_steps=", 16) == 0) steps = std::atoi(argv[i] + 16);
  }
  if (!which.empty()) return profile(which, steps);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bool ok = check("float64", tolerance_f64,
                  {{"handwritten", w1::final_loss_handwritten_f64},
                   {"handwritten_fused", w1::final_loss_handwritten_fused_f64},
                   {"tapeless", w1::final_loss_tapeless_f64},
#ifdef W1_HAVE_LIBTORCH
                   {"libtorch", w1::final_loss_libtorch_f64},
#endif
                  });
  ok = check("float32", tolerance_f32,
             {{"handwritten", w1::final_loss_handwritten_f32},
              {"handwritten_fused", w1::final_loss_handwritten_fused_f32},
              {"tapeless", w1::final_loss_tapeless_f32},
#ifdef W1_HAVE_LIBTORCH
              {"libtorch", w1::final_loss_libtorch_f32},
#endif
             }) && ok;
  {
    // The second-order lines: tapeless's J v and <v, H v> against <grad, v> and LibTorch's
    // double backward (both from the hand-written gradient's point of view: the same loss).
    const w1::second_order_probe t = w1::second_order_tapeless();
    std::fprintf(stderr, "# W1 second order (float64): tapeless loss %.12g, J v %.12g, <v, H v> %.12g\n", t.value,
                 t.jvp, t.vhv);
#ifdef W1_HAVE_LIBTORCH
    const w1::second_order_probe l = w1::second_order_libtorch();
    std::fprintf(stderr, "# W1 second order (float64): libtorch loss %.12g, J v %.12g, <v, H v> %.12g\n", l.value,
                 l.jvp, l.vhv);
    for (const auto& [what, a, b] : {std::tuple{"loss", t.value, l.value}, std::tuple{"J v", t.jvp, l.jvp},
                                     std::tuple{"<v, H v>", t.vhv, l.vhv}})
      if (!(std::fabs(a - b) <= 1e-9 * std::fabs(b))) {
        std::fprintf(stderr, "bench_w1: second order: tapeless's %s %.12g differs from LibTorch's %.12g\n", what, a, b);
        ok = false;
      }
#endif
  }
  if (!ok) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
