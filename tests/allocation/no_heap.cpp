// Evaluating and differentiating allocates nothing: the workspace lives on the stack and the
// passes are generated code. Counted with a replaced global operator new.
// Tensor steps: the workspace is one arena, allocated (with aligned new, also counted here) when
// the step is compiled or first called; later steps with the same extents allocate nothing.
#include <atomic>
#include <cmath>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <random>
#include <tapeless/nn.hpp>
#include <tapeless/tapeless.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

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

// Aligned new (the tensor workspace uses it) is counted too.
void* operator new(std::size_t size, std::align_val_t align) {
  ++allocations;
  const std::size_t a = static_cast<std::size_t>(align) < sizeof(void*) ? sizeof(void*) : static_cast<std::size_t>(align);
  void* p = nullptr;
  if (posix_memalign(&p, a, size ? size : 1) == 0) return p;
  throw std::bad_alloc{};
}
void* operator new[](std::size_t size, std::align_val_t align) { return ::operator new(size, align); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

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

namespace {

xt::xtensor<double, 2> filled(std::mt19937_64& engine, std::size_t rows, std::size_t cols) {
  std::uniform_real_distribution<double> uniform(-0.5, 0.5);
  xt::xtensor<double, 2> out = xt::xtensor<double, 2>::from_shape({rows, cols});
  for (double& v : out) v = uniform(engine);
  return out;
}

}  // namespace

TEST_CASE("training steps of seed 003's network allocate nothing", "[engine][tensor]") {
  // Seed 003's network at smaller extents.
  constexpr auto x = tl::input<"x", tl::shape<8, 20>>;
  constexpr auto y = tl::input<"y", tl::shape<8, 3>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<20, 6>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<6, 3>>;
  const auto loss = tl::sum(tl::square(tl::matmul(tl::relu(tl::matmul(x, w1)), w2) - y));

  std::mt19937_64 engine(3);
  const auto X = filled(engine, 8, 20);
  const auto Y = filled(engine, 8, 3);
  auto W1 = filled(engine, 20, 6);
  auto W2 = filled(engine, 6, 3);

  // The counter sees the workspace's aligned allocation: compiling allocates it.
  const long before_compile = allocations.load();
  auto step = tl::compile(loss, tl::wrt(w1, w2));
  REQUIRE(allocations.load() > before_compile);

  const double lr = 1e-3;
  const double first = step(x = X, y = Y, w1 = W1, w2 = W2).value();  // warm-up
  volatile double sink = 0;
  double last = first;
  const long before = allocations.load();
  for (int t = 0; t < 100; ++t) {
    const auto r = step(x = X, y = Y, w1 = W1, w2 = W2);
    last = r.value();
    // SGD: a plain loop for w1, xt::noalias for w2.
    const auto g1 = r.grad(w1);
    for (std::size_t i = 0; i < W1.size(); ++i) W1.data()[i] -= lr * g1.data()[i];
    xt::noalias(W2) -= lr * r.grad(w2);
    sink = sink + last;
  }
  CHECK(allocations.load() - before == 0);
  // The steps trained: the loss went down.
  CHECK(last < first);
  CHECK(sink != 0.0);
}

TEST_CASE("steps with a dynamic batch extent allocate nothing once laid out", "[engine][tensor]") {
  constexpr auto x = tl::input<"x", tl::shape<tl::dynamic, 20>>;
  constexpr auto y = tl::input<"y", tl::shape<tl::dynamic, 3>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<20, 6>>;
  constexpr auto b1 = tl::param<"b1", tl::shape<6>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<6, 3>>;
  const auto loss = tl::mean(tl::square(tl::matmul(tl::tanh(tl::matmul(x, w1) + b1), w2) - y));

  std::mt19937_64 engine(4);
  const auto X = filled(engine, 12, 20);
  const auto Y = filled(engine, 12, 3);
  auto W1 = filled(engine, 20, 6);
  auto W2 = filled(engine, 6, 3);
  xt::xtensor<double, 1> B1 = xt::xtensor<double, 1>::from_shape({6});
  for (double& v : B1) v = 0.1;

  auto step = tl::compile(loss, tl::wrt(w1, b1, w2));
  // The first call lays out the workspace for batch 12: the counter sees it.
  const long before_first = allocations.load();
  const double first = step(x = X, y = Y, w1 = W1, b1 = B1, w2 = W2).value();
  REQUIRE(allocations.load() > before_first);

  const double lr = 0.05;
  double last = first;
  const long before = allocations.load();
  for (int t = 0; t < 100; ++t) {
    const auto r = step(x = X, y = Y, w1 = W1, b1 = B1, w2 = W2);
    last = r.value();
    xt::noalias(W1) -= lr * r.grad(w1);
    const auto gb = r.grad(b1);
    for (std::size_t i = 0; i < B1.size(); ++i) B1.data()[i] -= lr * gb.data()[i];
    xt::noalias(W2) -= lr * r.grad(w2);
  }
  CHECK(allocations.load() - before == 0);
  CHECK(last < first);
}

TEST_CASE("training through the nn layer allocates nothing per step", "[nn]") {
  namespace nn = tapeless::nn;
  constexpr auto x = tl::input<"x", tl::shape<10, 4>, float>;
  constexpr auto y = tl::input<"y", tl::shape<10, 1>, float>;
  constexpr auto net = nn::sequential(nn::linear<"fc1", 4, 8>, nn::relu, nn::dropout<"drop">(0.25),
                                      nn::linear<"fc2", 8, 1>);
  constexpr auto loss = nn::mse_loss(net(x), y);

  nn::generator gen(7);
  nn::module model(net, gen);
  model.set_generator(gen);
  const xt::xtensor<float, 2> X = nn::randn<float>({10, 4}, gen);
  const xt::xtensor<float, 2> Y = nn::randn<float>({10, 1}, gen);
  auto step = nn::compile(loss, model);
  auto predict = nn::compile(net(x), model);
  nn::sgd sgd(model, {.lr = 0.01, .momentum = 0.9, .nesterov = true});
  nn::adam adam(model, {.lr = 1e-3});
  nn::cosine_annealing_lr schedule(adam, 100);

  // One warm-up round of everything, then count.
  sgd.zero_grad();
  float first = step.backward(x = X, y = Y);
  sgd.step();
  adam.step();
  (void)predict(x = X);

  constexpr auto fc1 = nn::linear<"fc1", 4, 8>;
  const xt::xtensor<float, 2> initial_weight = model.value(fc1.weight);
  const long before = allocations.load();
  float last = 0;
  for (int i = 0; i < 100; ++i) {
    adam.zero_grad();
    last = step.backward(x = X, y = Y);  // dropout mask drawn, forward, backward, .grad +=
    adam.step();
    schedule.step();
    sgd.step();
  }
  model.eval();
  volatile float sink = predict(x = X)(0, 0);
  (void)sink;
  CHECK(allocations.load() - before == 0);
  CHECK(std::isfinite(first));
  CHECK(std::isfinite(last));
  const bool updated = !(model.value(fc1.weight) == initial_weight);
  CHECK(updated);  // the steps did update the parameters
}

TEST_CASE("H v and J v steps allocate nothing once laid out", "[engine][tensor]") {
  // Products above the inline limit: the dual-number gemm splits its operands into planes in a
  // scratch buffer that grows once.
  constexpr auto x = tl::input<"x", tl::shape<16, 80>>;
  constexpr auto w1 = tl::param<"w1", tl::shape<80, 20>>;
  constexpr auto w2 = tl::param<"w2", tl::shape<20, 3>>;
  const auto loss = tl::sum(tl::square(tl::matmul(tl::tanh(tl::matmul(x, w1)), w2)));
  std::mt19937_64 engine(5);
  const auto X = filled(engine, 16, 80);
  const auto W1 = filled(engine, 80, 20);
  const auto W2 = filled(engine, 20, 3);
  auto V1 = filled(engine, 80, 20);
  auto V2 = filled(engine, 20, 3);
  auto h = tl::hvp(loss, tl::wrt(w1, w2));
  auto j = tl::jvp(loss, tl::wrt(w1, w2));
  const long before_first = allocations.load();
  const double first = h(x = X, w1 = W1, w2 = W2, tl::along(V1, V2)).hvp(w1)(0, 0);
  (void)j(x = X, w1 = W1, w2 = W2, tl::along(V1, V2));
  REQUIRE(allocations.load() > before_first);
  const long before = allocations.load();
  double sum = 0;
  for (int t = 0; t < 20; ++t) {
    V1(0, 0) += 0.01;
    sum += h(x = X, w1 = W1, w2 = W2, tl::along(V1, V2)).hvp(w1)(0, 0);
    sum += j(x = X, w1 = W1, w2 = W2, tl::along(V1, V2)).tangent();
  }
  CHECK(allocations.load() - before == 0);
  CHECK(sum != 20 * first);
}
