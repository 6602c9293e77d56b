// Evaluating and differentiating allocates nothing: the workspace lives on the stack and the
// passes are generated code. Counted with a replaced global operator new.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <tapeless/tapeless.hpp>

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc{};
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tl = tapeless;

TEST_CASE("value, grad and value_and_grad never touch the heap", "[engine]") {
  constexpr auto x = tl::input<"x">;
  constexpr auto w = tl::param<"w">;
  constexpr auto b = tl::param<"b">;
  constexpr auto h = tl::tanh(w * x + b);
  constexpr auto loss = tl::square(h - 0.5) + tl::softplus(h * h) / 3.0;

  // The counter itself must work, or the check below could not fail.
  const long before_probe = allocations.load();
  void* volatile probe = ::operator new(16);
  ::operator delete(probe);
  REQUIRE(allocations.load() == before_probe + 1);

  volatile double sink = 0;
  const long before = allocations.load();
  for (int step = 0; step < 100; ++step) {
    const double xv = 0.01 * step;
    sink = sink + tl::value(loss, x = xv, w = 0.3, b = -0.1);
    const auto g = tl::grad(loss, w, b).at(x = xv, w = 0.3, b = -0.1);
    sink = sink + g[w] + g[b];
    const auto r = tl::value_and_grad(loss, w).at(tl::bind(x = xv, w = 0.3, b = -0.1));
    sink = sink + r.value + r.grad;
  }
  CHECK(allocations.load() - before == 0);
  CHECK(sink != 0.0);
}
